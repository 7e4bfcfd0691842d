import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../shared/security.js';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [
    react(),
    {
      // One policy for every host: index.html carries the same CSP the servers send as a header
      // (less frame-ancestors, which browsers ignore in a meta tag).
      name: 'strongroom-csp',
      transformIndexHtml: (html) =>
        html.replace('%STRONGROOM_CSP%', CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ')),
    },
  ],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // No inline scripts or eval: the CSP forbids both.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
