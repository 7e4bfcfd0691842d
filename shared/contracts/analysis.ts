import { z } from 'zod';
import type { AnalysisResult, ResultColumn } from '../analysis/spec.js';
import { defineContract } from './define.js';

export type { AnalysisResult, AnalysisSpec, ResultColumn } from '../analysis/spec.js';

/**
 * Where an analysis runs. `auto` uses the in-memory copy of the extract when it is loaded, else the
 * encrypted SQLite cache (and starts loading the in-memory copy for next time). `live` runs on the
 * warehouse under the user's own permissions (needs the extract's connection to be reachable).
 */
export type AnalysisMode = 'auto' | 'memory' | 'sqlite' | 'live';

export interface RunOptions {
  mode?: AnalysisMode;
  /** An id the caller picks so it can `cancel` this run. */
  requestId?: string;
  /** "Now" for relative date filters and TODAY() (ISO 8601); defaults to the current time. */
  now?: string;
  /** Skip the result cache (the answer is still stored in it). */
  noCache?: boolean;
}

/** One extract's in-memory columnar copy. */
export interface MemoryCopy {
  extract: string;
  version: number;
  syncedAt: string | null;
  state: 'loading' | 'ready' | 'failed';
  rows: number;
  bytes: number;
  loadMs: number | null;
  error?: string;
}

export interface AnalysisService {
  /**
   * Runs an analysis spec (see shared/analysis/spec.ts). The spec is validated here, not by the
   * transport: a bad one fails with INVALID_ANALYSIS and `details.path` (e.g. `filters[0].values`).
   * Also fails with NOT_FOUND (no such extract), LEASE_EXPIRED, LOCKED, CANCELLED, and for live mode
   * WAREHOUSE_UNREACHABLE / AUTH_FAILED / NOT_PERMITTED.
   */
  run(spec: unknown, options?: RunOptions): Promise<AnalysisResult>;
  /** Checks a spec against the extract's schema without running it; answers the output columns. */
  validate(spec: unknown): Promise<ResultColumn[]>;
  /** Cancels a run by its requestId. Answers whether a run with that id was in progress. */
  cancel(requestId: string): Promise<boolean>;
  /** Loads an extract's in-memory copy now (the first analysis of an extract otherwise starts it). */
  warm(extract: string): Promise<MemoryCopy>;
  /** In-memory copies and their size. */
  memory(): Promise<MemoryCopy[]>;
}

const runOptions = z
  .strictObject({
    mode: z.enum(['auto', 'memory', 'sqlite', 'live']).optional(),
    requestId: z.string().min(1).max(100).optional(),
    now: z.iso.datetime({ offset: true }).optional(),
    noCache: z.boolean().optional(),
  })
  .optional();

export const analysisContract = defineContract<AnalysisService>()({
  run: z.tuple([z.unknown(), runOptions]),
  validate: z.tuple([z.unknown()]),
  cancel: z.tuple([z.string().min(1).max(100)]),
  warm: z.tuple([z.string().min(1).max(200)]),
  memory: z.tuple([]),
});
