import { z } from 'zod';
import { defineContract } from './define.js';

/** Sensitivity label set by the warehouse when the extract is published. */
export type Classification = 'public' | 'internal' | 'confidential' | 'restricted';

/** One extract in the local cache. */
export interface ExtractSummary {
  /** Stable name, as published in the warehouse catalog. */
  name: string;
  title: string;
  description: string;
  classification: Classification;
  /** Rows in the local copy. */
  rowCount: number;
  /** When it was last synced (ISO 8601), or null if never. */
  syncedAt: string | null;
  /** After this instant (ISO 8601) the local copy may not be used until it syncs again. */
  leaseExpiresAt: string | null;
  /** Export formats the warehouse allows for this extract. */
  allowedExports: string[];
  /** Local version: bumped when the warehouse schema changes. */
  version: number;
  /** The warehouse user whose permissions shaped this copy. */
  warehouseUser: string | null;
  /** Columns the warehouse withheld from this user (column privileges), not in the copy. */
  hiddenColumns: string[];
  /** Whether the lease has run out (reading fails with LEASE_EXPIRED until the next sync). */
  leaseExpired: boolean;
}

/** One column of a local extract. */
export interface ExtractColumn {
  name: string;
  /** PostgreSQL type in the warehouse, e.g. `numeric(14,2)`. */
  pgType: string;
  /** How it is stored in the cache. */
  storage: 'integer' | 'bigint' | 'real' | 'boolean' | 'date' | 'timestamp' | 'text';
  /** Part of the primary key. */
  key: boolean;
}

export interface ExtractSchema {
  name: string;
  version: number;
  columns: ExtractColumn[];
  hiddenColumns: string[];
  rowCount: number;
  /** Schema history: each version and what changed. */
  versions: Array<{ version: number; createdAt: string; change: { added: string[]; removed: string[]; retyped: string[] } | null }>;
}

/** A page of rows, column by column (columnar: one array per column, in schema order). */
export interface RowPage {
  columns: string[];
  values: Array<Array<string | number | null>>;
  offset: number;
  rowCount: number;
}

/** The extracts in the local cache. Fails with LOCKED while locked. */
export interface ExtractsService {
  /** Extracts in the local cache, with freshness and lease state, by name. */
  list(): Promise<ExtractSummary[]>;
  /** Columns, hidden columns and version history. Fails with NOT_FOUND or LEASE_EXPIRED. */
  schema(request: { name: string }): Promise<ExtractSchema>;
  /** Rows in primary-key order, for browsing. Fails with NOT_FOUND or LEASE_EXPIRED. */
  rows(request: { name: string; offset: number; limit: number }): Promise<RowPage>;
}

export const extractsContract = defineContract<ExtractsService>()({
  list: z.tuple([]),
  schema: z.tuple([z.object({ name: z.string().min(1).max(63) }).strict()]),
  rows: z.tuple([z.object({ name: z.string().min(1).max(63), offset: z.number().int().min(0), limit: z.number().int().min(1).max(5000) }).strict()]),
});
