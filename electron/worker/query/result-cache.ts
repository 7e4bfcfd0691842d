import type { AnalysisResult } from '../../../shared/analysis/spec.js';

/**
 * Recent answers, keyed by the plan (the spec after validation, with relative dates resolved) and the
 * extract's version and sync time, so a sync or schema change can never serve a stale answer. Memory
 * only (nothing decrypted reaches disk), bounded by an estimate of bytes, least recently used out.
 */
export class ResultCache {
  private readonly entries = new Map<string, { result: AnalysisResult; bytes: number }>();
  private bytes = 0;

  constructor(private readonly budgetBytes = 64 * 1024 * 1024) {}

  get(key: string): AnalysisResult | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.result;
  }

  set(key: string, result: AnalysisResult): void {
    const bytes = estimateBytes(result);
    if (bytes > this.budgetBytes / 4) return;
    this.delete(key);
    this.entries.set(key, { result, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  /** Forgets every answer about one extract (after a sync) or all of them (on lock). */
  clear(extract?: string): void {
    for (const key of [...this.entries.keys()]) if (extract === undefined || key.startsWith(`${JSON.stringify(extract)}|`)) this.delete(key);
  }

  private delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= old.bytes;
  }
}

function estimateBytes(result: AnalysisResult): number {
  let bytes = 256;
  for (const column of result.data) for (const cell of column) bytes += typeof cell === 'string' ? 16 + cell.length * 2 : 8;
  return bytes;
}
