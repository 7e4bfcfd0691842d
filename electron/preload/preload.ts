/**
 * Exposes one minimal transport to the renderer: send a request envelope, receive responses and
 * events. Never ipcRenderer itself. Sandboxed preloads may import only 'electron'.
 */
import { contextBridge, ipcRenderer } from 'electron';

type Listener = (message: unknown) => void;
let listener: Listener | null = null;

ipcRenderer.on('strongroom:event', (_event, message: unknown) => listener?.(message));

contextBridge.exposeInMainWorld('strongroomTransport', {
  /** Sends one RPC request; the response arrives through the registered listener. */
  send(message: unknown): void {
    void ipcRenderer.invoke('strongroom:rpc', message).then((response: unknown) => listener?.(response));
  },
  /** Registers the one receiver of responses and events. */
  onMessage(handler: Listener): void {
    listener = handler;
  },
});
