/**
 * Electron main process: windows, protocol, IPC wiring, safeStorage. Kept thin; all data work runs in
 * the worker thread (electron/worker), never on this thread.
 */
import { app, BrowserWindow, ipcMain, Menu, net, protocol, session, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { existsSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contracts, PUBLIC_SERVICES } from '../../shared/contracts/index.js';
import { isRpcRequest, type RpcResponse } from '../../shared/rpc/protocol.js';
import { register, RpcServer } from '../../shared/rpc/server.js';
import { CONTENT_SECURITY_POLICY } from '../../shared/security.js';
import { WorkerConnection } from '../worker/connection.js';
import { createKeychainDeviceService, tryDeviceUnlock } from './keychain.js';

const SCHEME = 'app';
const ORIGIN = `${SCHEME}://strongroom`;
const RPC_CHANNEL = 'strongroom:rpc';
const EVENT_CHANNEL = 'strongroom:event';

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;

/** Like VS Code's ValidatedIpcMain: only our own top frame, loaded from our own origin, may call. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame: WebFrameMain | null = event.senderFrame;
  if (!frame || !mainWindow || event.sender !== mainWindow.webContents) return false;
  if (frame !== mainWindow.webContents.mainFrame) return false;
  try {
    return new URL(frame.url).origin === ORIGIN;
  } catch {
    return false;
  }
}

function nativeBindingPath(): string | undefined {
  // Built by scripts/electron-native.mjs for Electron's ABI; unpacked from asar in the packaged app.
  const candidate = join(__dirname, '..', 'native', 'better_sqlite3.node').replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
  return existsSync(candidate) ? candidate : undefined;
}

function serveRenderer(rendererDir: string) {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    let relative: string;
    try {
      relative = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    const file = join(rendererDir, relative);
    if (url.host !== 'strongroom' || !file.startsWith(rendererDir + sep) || !existsSync(file)) {
      return new Response('Not found', { status: 404 });
    }
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function createWindow() {
  mainWindow = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    title: 'Strongroom',
    backgroundColor: '#0f1722',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click (auxclick) could open links in new windows; navigation is blocked anyway.
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  void mainWindow.loadURL(`${ORIGIN}/index.html`);
}

async function start() {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const profileDir = process.env.STRONGROOM_PROFILE || app.getPath('userData');
  const nativeBinding = nativeBindingPath();
  // A smaller demo warehouse for tests and demos on slow machines, as the browser host allows.
  const demoScale = Number(process.env.STRONGROOM_DEMO_SCALE) || undefined;
  const worker = new WorkerConnection(join(__dirname, 'worker.cjs'), { profileDir, ...(nativeBinding ? { nativeBinding } : {}), ...(demoScale ? { demoScale } : {}) });
  const mainServer = new RpcServer({ device: register(contracts.device, createKeychainDeviceService(worker)) });

  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveRenderer(join(__dirname, '..', 'renderer'));

  ipcMain.handle(RPC_CHANNEL, async (event, message: unknown): Promise<RpcResponse> => {
    if (!isTrustedSender(event) || !isRpcRequest(message)) {
      return { t: 'res', id: isRpcRequest(message) ? message.id : -1, ok: false, error: { code: 'NOT_PERMITTED', message: 'Refused: untrusted sender or malformed request' } };
    }
    if (!PUBLIC_SERVICES.has(message.service)) {
      return { t: 'res', id: message.id, ok: false, error: { code: 'NOT_PERMITTED', message: `Unknown method ${message.service}.${message.method}` } };
    }
    // The OS keychain lives here; everything else is the worker's.
    return message.service === 'device' ? mainServer.handle(message) : worker.request(message);
  });
  worker.onEvent((event) => mainWindow?.webContents.send(EVENT_CHANNEL, event));

  await tryDeviceUnlock(worker);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'appMenu' as const, visible: process.platform === 'darwin' },
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { label: 'View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
      { role: 'windowMenu' },
    ]),
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => void worker.close());
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

void start();
