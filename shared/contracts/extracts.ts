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
}

/** The extracts in the local cache. Fails with LOCKED while locked. */
export interface ExtractsService {
  /** Extracts in the local cache, with freshness and lease state, by name. */
  list(): Promise<ExtractSummary[]>;
}

export const extractsContract = defineContract<ExtractsService>()({
  list: z.tuple([]),
});
