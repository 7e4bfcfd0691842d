/**
 * The renderer's Content-Security-Policy, identical in the Electron app (protocol handler header and
 * index.html meta) and in the browser host. No 'unsafe-eval', no remote origins: scripts, styles,
 * fonts and images come from the app itself. `connect-src 'self'` covers the host's same-origin
 * WebSocket. 'unsafe-inline' for styles only (React style attributes and plotly's injected styles);
 * inline scripts stay forbidden.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
