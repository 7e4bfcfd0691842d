import type { Db } from '../cipher.js';

/** One schema step. `version` is the number in its file name and becomes `PRAGMA user_version`. */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}
