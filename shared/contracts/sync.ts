import { z } from 'zod';
import { defineContract } from './define.js';
import type { Classification } from './extracts.js';

/** An extract the warehouse permits this user, with its local state if synced. */
export interface RemoteExtract {
  name: string;
  title: string;
  description: string;
  classification: Classification;
  leaseDays: number;
  allowedExports: string[];
  /** Whether deletions are tracked by the warehouse (else found by comparing key sets). */
  tracksDeletes: boolean;
  /** Local state, or null if never synced into this cache. */
  local: { version: number; rowCount: number; syncedAt: string | null; leaseExpiresAt: string | null } | null;
}

export type SyncMode = 'full' | 'incremental';

/** What one extract's sync did. */
export interface ExtractSyncResult {
  name: string;
  status: 'synced' | 'failed' | 'cancelled' | 'revoked';
  mode?: SyncMode;
  /** Version after the sync (a new version on first load and on schema change). */
  version?: number;
  /** Rows read from the warehouse. */
  rowsRead: number;
  /** Rows deleted locally (incremental deletes, or every row when revoked). */
  rowsDeleted: number;
  /** Rows in the local copy afterwards. */
  rowCount: number;
  bytes: number;
  durationMs: number;
  /** Columns the warehouse did not let this user select, left out of the copy. */
  hiddenColumns?: string[];
  /** What changed in the schema, when a new version was made for it. */
  schemaChange?: { added: string[]; removed: string[]; retyped: string[] };
  error?: { code: string; message: string };
}

export interface SyncReport {
  connectionId: string;
  warehouseUser: string;
  startedAt: string;
  finishedAt: string;
  results: ExtractSyncResult[];
}

/** Progress of one extract's sync, as `sync.progress` events. */
export interface SyncProgress {
  name: string;
  phase: 'listing' | 'loading' | 'indexing' | 'deletes' | 'swapping' | 'done';
  rows: number;
  /** Rows expected, when known. */
  totalRows: number | null;
  bytes: number;
  rowsPerSecond: number;
  /** Seconds left at the current rate, when the total is known. */
  etaSeconds: number | null;
}

/** One past sync of one extract. */
export interface SyncRun {
  id: number;
  name: string;
  warehouseUser: string | null;
  mode: SyncMode | 'purge';
  status: 'synced' | 'failed' | 'cancelled' | 'revoked';
  startedAt: string;
  finishedAt: string | null;
  rowsRead: number;
  rowsDeleted: number;
  message: string | null;
}

/**
 * Syncing permitted warehouse extracts into the encrypted cache: full loads via COPY into a staging
 * table swapped in atomically, incremental upserts and deletes, revocation purges and leases.
 */
export interface SyncService {
  /** Extracts this connection's user is permitted to see, merged with local state. */
  remote(request: { connectionId: string }): Promise<RemoteExtract[]>;
  /**
   * Syncs the named extracts (all permitted ones when `names` is omitted), one after another. Local
   * extracts no longer permitted are purged and reported as `revoked`. Progress arrives as events.
   */
  run(request: { connectionId: string; names?: string[] }): Promise<SyncReport>;
  /** Cancels the running sync; the extract keeps its previous version. */
  cancel(): Promise<void>;
  /** Past syncs, newest first. */
  history(request?: { name?: string; limit?: number }): Promise<SyncRun[]>;
}

export const syncContract = defineContract<SyncService>()({
  remote: z.tuple([z.object({ connectionId: z.string().min(1) }).strict()]),
  run: z.tuple([z.object({ connectionId: z.string().min(1), names: z.array(z.string().min(1).max(63)).max(500).optional() }).strict()]),
  cancel: z.tuple([]),
  history: z.tuple([z.object({ name: z.string().optional(), limit: z.number().int().min(1).max(1000).optional() }).strict().optional()]),
});
