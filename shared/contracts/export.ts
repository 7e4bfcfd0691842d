import { z } from 'zod';
import type { ColumnLabelWords } from '../charts/labels.js';
import { defineContract } from './define.js';
import type { ExportFormat } from './workbench.js';

/**
 * Exports: what may leave the cache, as which files, and the record that it did. The policy comes from
 * the extract catalog (each extract's `allowed_exports` and classification; a report narrows it further
 * to its own `exportFormats`), and the worker enforces it: a format the policy forbids is refused here,
 * whatever the renderer shows. Every file built is audited (`export.file`: who, what, format, rows and
 * the file's SHA-256).
 *
 * The worker builds the formats that need no renderer (CSV, XLSX, PPTX) and hands the bytes back; the
 * renderer (a browser download) or the CLI (an atomic write to `--out`) saves them.
 */

export type ExportTarget =
  | { kind: 'analysis'; id: string }
  | { kind: 'dashboard'; id: string }
  | { kind: 'spec'; spec: unknown; title?: string };

export interface FormatPolicy {
  format: ExportFormat;
  allowed: boolean;
  /** Why not, in words, when not allowed. */
  reason: string | null;
}

export interface ExportPolicy {
  /** The most restrictive classification among the target's extracts. */
  classification: 'public' | 'internal' | 'confidential' | 'restricted';
  extracts: string[];
  formats: FormatPolicy[];
  /** Restricted data: every file carries a visible watermark with the user and the time. */
  watermark: boolean;
}

/** Formats the worker builds itself. */
export const BUILT_FORMATS = ['csv', 'xlsx', 'pptx'] as const;
export type BuiltFormat = (typeof BUILT_FORMATS)[number];

export interface BuildOptions {
  format: BuiltFormat;
  locale?: 'en' | 'ru';
  /** Words for column labels ("Sum of amount") in the user's language; raw column names without. */
  words?: ColumnLabelWords;
  /** PNG data URLs of charts PowerPoint cannot draw natively (heatmap, box, map), by analysis id or `spec`. */
  images?: Record<string, string>;
}

export interface BuiltFile {
  filename: string;
  mimeType: string;
  /** The file, base64. */
  base64: string;
  bytes: number;
  sha256: string;
  /** Result rows in the file. */
  rows: number;
}

export interface ExportService {
  /** Which formats the target may be exported to, and why not. NOT_FOUND, LEASE_EXPIRED. */
  policy(target: ExportTarget): Promise<ExportPolicy>;
  /**
   * Builds the file: runs each analysis on the cache, writes CSV, XLSX or a PPTX deck (native charts,
   * provenance in the speaker notes, the classification on every slide), and audits it. NOT_PERMITTED
   * when the policy forbids the format; INVALID_ANALYSIS, NOT_FOUND, LEASE_EXPIRED.
   */
  build(target: ExportTarget, options: BuildOptions): Promise<BuiltFile>;
}

const name = z.string().min(1).max(200);
export const exportTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('analysis'), id: z.string().min(1).max(100) }),
  z.strictObject({ kind: z.literal('dashboard'), id: z.string().min(1).max(100) }),
  z.strictObject({ kind: z.literal('spec'), spec: z.unknown(), title: name.optional() }),
]);

const template = z.string().max(200);
const wordsSchema = z.strictObject({
  rows: template,
  aggregations: z.record(z.string().max(40), template),
  grains: z.record(z.string().max(40), template),
  dated: template,
  binned: template,
});

export const exportContract = defineContract<ExportService>()({
  policy: z.tuple([exportTargetSchema]),
  build: z.tuple([
    exportTargetSchema,
    z.strictObject({
      format: z.enum(BUILT_FORMATS),
      locale: z.enum(['en', 'ru']).optional(),
      words: wordsSchema.optional(),
      images: z.record(z.string().max(100), z.string().max(20_000_000).startsWith('data:image/png;base64,')).optional(),
    }),
  ]),
});

