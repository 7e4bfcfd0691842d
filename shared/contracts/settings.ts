import { z } from 'zod';
import { defineContract } from './define.js';

/** Shortest and longest idle auto-lock the product allows, in minutes. */
export const AUTO_LOCK_MINUTES = { min: 1, max: 240, default: 15 } as const;

/** User settings kept inside the encrypted cache. */
export interface Settings {
  /** Minutes of inactivity before the cache locks itself (default 15). */
  autoLockMinutes: number;
}

/** Reads and changes settings. Fails with LOCKED while locked. */
export interface SettingsService {
  get(): Promise<Settings>;
  /** Applies the given fields and returns the full settings. */
  update(patch: Partial<Settings>): Promise<Settings>;
}

export const settingsContract = defineContract<SettingsService>()({
  get: z.tuple([]),
  update: z.tuple([
    z
      .object({
        autoLockMinutes: z.number().int().min(AUTO_LOCK_MINUTES.min).max(AUTO_LOCK_MINUTES.max).optional(),
      })
      .strict(),
  ]),
});
