import type { DeviceUnlockStatus, Settings } from '../../../../shared/contracts/index.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { SliceCreator } from '../../types.js';
import { toInfo } from '../session/index.js';

export interface SettingsSlice {
  settings: Settings | null;
  device: DeviceUnlockStatus | null;
  settingsError: ErrorInfo | null;
  loadSettings(): Promise<void>;
  saveSettings(patch: Partial<Settings>): Promise<boolean>;
  changePassphrase(current: string, next: string): Promise<boolean>;
  setDeviceUnlock(enabled: boolean): Promise<boolean>;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get, { api }) => {
  async function guarded(action: () => Promise<void>): Promise<boolean> {
    set({ settingsError: null });
    try {
      await action();
      return true;
    } catch (err) {
      set({ settingsError: toInfo(err) });
      return false;
    }
  }
  return {
    settings: null,
    device: null,
    settingsError: null,
    loadSettings: async () => {
      await guarded(async () => {
        const [settings, device] = await Promise.all([api.settings.get(), api.device.status()]);
        set({ settings, device });
      });
      await get().loadCatalog();
    },
    saveSettings: (patch) =>
      guarded(async () => {
        set({ settings: await api.settings.update(patch) });
        await get().refreshSession();
      }),
    changePassphrase: (current, next) => guarded(() => api.session.changePassphrase({ current, next })),
    setDeviceUnlock: (enabled) =>
      guarded(async () => {
        set({ device: await (enabled ? api.device.enable() : api.device.disable()) });
      }),
  };
};
