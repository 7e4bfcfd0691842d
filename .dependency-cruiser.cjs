// Import boundaries (ARCHITECTURE.md §1): the folder says where code runs. Patterns match the real
// tree and the fixtures in test/fixtures/boundaries/, which prove each rule fires.
const area = (name) => `(^|/)${name}/`;
const pkg = (names) => `(^|/)node_modules/(${names})/`;
const ELECTRON = pkg('electron');
const NODE_ONLY_PACKAGES = pkg('better-sqlite3-multiple-ciphers|ws');

module.exports = {
  forbidden: [
    {
      name: 'shared-is-environment-free',
      comment: 'shared/ runs everywhere: no Node built-ins, no electron, no DOM frameworks, no other layer.',
      severity: 'error',
      from: { path: area('shared') },
      to: {
        pathNot: area('shared'),
        dependencyTypesNot: ['npm'],
      },
    },
    {
      name: 'shared-no-environment-packages',
      severity: 'error',
      from: { path: area('shared') },
      to: { path: `${pkg('electron|react|react-dom|zustand|i18next|react-i18next')}|${NODE_ONLY_PACKAGES}` },
    },
    {
      name: 'renderer-is-browser-only',
      comment: 'renderer/ runs in the browser: no node:*, no electron, no Node-side layers.',
      severity: 'error',
      from: { path: area('renderer'), pathNot: 'vite\\.config\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-imports-shared-and-browser-packages-only',
      severity: 'error',
      from: { path: area('renderer'), pathNot: 'vite\\.config\\.ts$' },
      to: { path: `${area('electron')}|${ELECTRON}|${NODE_ONLY_PACKAGES}` },
    },
    {
      name: 'worker-never-imports-electron',
      comment: 'electron/worker is Node only; it must run in the CLI and the browser host too.',
      severity: 'error',
      from: { path: area('electron/worker') },
      to: { path: `${ELECTRON}|${area('renderer')}|${area('electron/(main|preload|host|cli)')}` },
    },
    {
      name: 'host-and-cli-use-shared-and-worker-only',
      severity: 'error',
      from: { path: area('electron/(host|cli)') },
      to: { path: `${ELECTRON}|${area('renderer')}|${area('electron/(main|preload)')}` },
    },
    {
      name: 'main-never-imports-renderer',
      severity: 'error',
      from: { path: area('electron/main') },
      to: { path: `${area('renderer')}|${area('electron/(preload|host|cli)')}` },
    },
    {
      name: 'preload-is-electron-and-shared-only',
      comment: 'A sandboxed preload may require only electron.',
      severity: 'error',
      from: { path: area('electron/preload') },
      to: { pathNot: `${area('shared')}|${ELECTRON}|${area('electron/preload')}` },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Type-only cycles (a slice and the store type that combines it) are harmless and allowed.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsConfig: { fileName: 'electron/tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs'] },
  },
};
