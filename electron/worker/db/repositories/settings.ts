import { AUTO_LOCK_MINUTES, type Settings } from '../../../../shared/contracts/settings.js';
import type { Db } from '../cipher.js';

const DEFAULTS: Settings = { autoLockMinutes: AUTO_LOCK_MINUTES.default };

export function readSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as Array<{ key: string; value: string }>;
  const out: Settings = { ...DEFAULTS };
  for (const { key, value } of rows) {
    if (key === 'autoLockMinutes') out.autoLockMinutes = JSON.parse(value) as number;
  }
  return out;
}

export function writeSettings(db: Db, patch: Partial<Settings>): void {
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  db.transaction(() => {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) upsert.run(key, JSON.stringify(value));
    }
  })();
}

export function readMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(`meta.${key}`) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as string) : null;
}

export function writeMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    `meta.${key}`,
    JSON.stringify(value),
  );
}
