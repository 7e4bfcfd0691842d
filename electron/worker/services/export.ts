import { createHash } from 'node:crypto';
import { parseSpec } from '../../../shared/analysis/planner.js';
import type { AnalysisResult, AnalysisSpec, Filter } from '../../../shared/analysis/spec.js';
import { columnLabels } from '../../../shared/charts/labels.js';
import type { AnalysisService } from '../../../shared/contracts/analysis.js';
import type { BuildOptions, BuiltFile, ExportPolicy, ExportService, ExportTarget } from '../../../shared/contracts/export.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../../shared/contracts/workbench.js';
import { StrongroomError } from '../../../shared/errors.js';
import { appendAudit } from '../db/repositories/audit.js';
import { listExtracts } from '../db/repositories/extracts.js';
import { requireReadable } from '../db/repositories/local-extracts.js';
import { getAnalysis, getDashboard } from '../db/repositories/workbench.js';
import { buildCsv } from '../export/csv.js';
import { buildPptx, type DeckSlide } from '../export/pptx.js';
import { buildXlsx } from '../export/xlsx.js';
import type { Vault } from '../vault.js';

/** One analysis to export: where it came from, its title and its spec. */
interface Item {
  key: string;
  title: string;
  spec: AnalysisSpec;
}

const RANK = { public: 0, internal: 1, confidential: 2, restricted: 3 } as const;
type Classification = keyof typeof RANK;

const MIME: Record<BuildOptions['format'], string> = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** A filter in words for the speaker notes: `channel in (card, cash)`. */
function filterText(f: Filter): string {
  const values = 'values' in f && Array.isArray(f.values) ? ` (${f.values.map(String).join(', ')})` : '';
  const range = 'min' in f || 'max' in f ? ` ${JSON.stringify({ min: (f as { min?: unknown }).min, max: (f as { max?: unknown }).max })}` : '';
  return `${f.field} ${f.op}${values}${range}`;
}

/** What a spec asks, in one line: measures by dimensions. */
export function specSummary(spec: AnalysisSpec): string {
  const measures = (spec.measures ?? []).map((m) => `${m.agg}(${m.field ?? '*'})`).join(', ') || 'rows';
  const dims = (spec.dimensions ?? []).map((d) => (d.grain ? `${d.field} by ${d.grain}` : d.field)).join(', ');
  return `${measures}${dims ? ` by ${dims}` : ''}${spec.chart ? `; ${spec.chart.type} chart` : ''}`;
}

const safeName = (title: string) => title.replace(/[^\p{L}\p{N}._ -]+/gu, '_').slice(0, 80).trim() || 'export';

export function createExportService(vault: Vault, analysis: AnalysisService, now: () => Date = () => new Date()): ExportService {
  function items(target: ExportTarget): { title: string; items: Item[] } {
    const db = vault.db();
    if (target.kind === 'spec') {
      const spec = parseSpec(target.spec);
      return { title: target.title ?? 'Analysis', items: [{ key: 'spec', title: target.title ?? 'Analysis', spec }] };
    }
    if (target.kind === 'analysis') {
      const a = getAnalysis(db, target.id);
      if (!a) throw new StrongroomError('NOT_FOUND', `No saved analysis "${target.id}".`);
      return { title: a.title, items: [{ key: a.id, title: a.title, spec: parseSpec(a.spec) }] };
    }
    const d = getDashboard(db, target.id);
    if (!d) throw new StrongroomError('NOT_FOUND', `No dashboard "${target.id}".`);
    const tiles = [...d.tiles].filter((t) => t.kind === 'analysis' && t.analysisId).sort((a, b) => a.y - b.y || a.x - b.x);
    const out: Item[] = [];
    for (const t of tiles) {
      const a = getAnalysis(db, t.analysisId!);
      if (a) out.push({ key: a.id, title: a.title, spec: parseSpec(a.spec) });
    }
    if (out.length === 0) throw new StrongroomError('INVALID_ARGUMENT', `The dashboard "${d.title}" shows no analysis to export.`);
    return { title: d.title, items: out };
  }

  /**
   * The policy of the target's extracts, read once: each must be readable now (present, lease running);
   * also answers their catalog entries and the warehouse users they were synced as, for the file.
   */
  function inspect(list: Item[], at: Date) {
    const db = vault.db();
    const names = [...new Set(list.map((i) => i.spec.extract))];
    const users = [...new Set(names.map((n) => requireReadable(db, n, at).warehouseUser ?? 'local user'))];
    const catalog = new Map(listExtracts(db, at).map((e) => [e.name, e]));
    let classification: Classification = 'public';
    for (const n of names) {
      const c = catalog.get(n)!.classification as Classification;
      if (RANK[c] > RANK[classification]) classification = c;
    }
    const formats = EXPORT_FORMATS.map((format: ExportFormat) => {
      const refusing = names.filter((n) => !catalog.get(n)!.allowedExports.includes(format));
      return {
        format,
        allowed: refusing.length === 0,
        reason: refusing.length ? `The export policy of ${refusing.map((n) => `"${n}"`).join(', ')} does not allow ${format.toUpperCase()} files.` : null,
      };
    });
    const policy: ExportPolicy = { classification, extracts: names, formats, watermark: classification === 'restricted' };
    return { policy, catalog, user: users.join(', ') };
  }

  return {
    async policy(target) {
      return inspect(items(target).items, now()).policy;
    },

    async build(target, options) {
      const { title, items: list } = items(target);
      const at = now();
      const { policy, catalog, user } = inspect(list, at);
      const rule = policy.formats.find((f) => f.format === options.format)!;
      if (!rule.allowed) throw new StrongroomError('NOT_PERMITTED', rule.reason!, { format: options.format, extracts: policy.extracts });
      if (options.format === 'csv' && list.length > 1) {
        throw new StrongroomError('INVALID_ARGUMENT', `A CSV file holds one table, and "${title}" has ${list.length} analyses: export it as XLSX (a sheet each) or PPTX.`);
      }
      const locale = options.locale ?? 'en';
      const watermark = policy.watermark ? `${user} · ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : undefined;
      const ran: Array<{ item: Item; result: AnalysisResult; labels: Record<string, string>; notes: string }> = [];
      for (const item of list) {
        const result = await analysis.run(item.spec, { mode: 'auto' });
        const labels = options.words ? columnLabels(item.spec, options.words, locale) : {};
        const e = catalog.get(item.spec.extract)!;
        const notes = [
          `Source: extract "${e.name}" (${e.title}), ${e.classification}, synced ${result.syncedAt ?? e.syncedAt ?? 'never'} (version ${result.extractVersion}).`,
          `Filters: ${(item.spec.filters ?? []).map(filterText).join('; ') || 'none'}.`,
          `Analysis: ${specSummary(item.spec)}. ${result.rowCount} result rows${result.truncated ? ' (truncated)' : ''}.`,
          `Exported ${at.toISOString()} by ${user} from Strongroom.`,
        ].join('\n');
        ran.push({ item, result, labels, notes });
      }
      const rows = ran.reduce((s, r) => s + r.result.rowCount, 0);
      let bytes: Uint8Array;
      if (options.format === 'csv') {
        bytes = new TextEncoder().encode(buildCsv(ran[0]!.result, { locale, labels: ran[0]!.labels }).content);
      } else if (options.format === 'xlsx') {
        bytes = await buildXlsx({
          sheets: ran.map((r) => ({ name: r.item.title, result: r.result, labels: r.labels })),
          classification: policy.classification.toUpperCase(),
          provenance: ran.map((r) => `${r.item.title}\n${r.notes}`).join('\n\n'),
          ...(watermark ? { watermark } : {}),
          locale,
        });
      } else {
        const freshness = ran.map((r) => r.result.syncedAt).filter((s): s is string => !!s).sort()[0];
        const slides: DeckSlide[] = ran.map((r) => ({
          title: r.item.title,
          spec: r.item.spec,
          result: r.result,
          labels: r.labels,
          notes: r.notes,
          ...(options.images?.[r.item.key] ? { image: options.images[r.item.key]! } : {}),
        }));
        bytes = await buildPptx({
          title,
          author: user,
          createdAt: at.toISOString(),
          freshness: freshness ? `Data synced ${freshness.slice(0, 16).replace('T', ' ')} UTC` : 'Data not synced',
          classification: policy.classification.toUpperCase(),
          ...(watermark ? { watermark } : {}),
          locale,
          slides,
        });
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      appendAudit(vault.db(), 'export.file', {
        target: target.kind === 'spec' ? { kind: 'spec', extract: list[0]!.spec.extract } : target,
        title,
        format: options.format,
        rows,
        bytes: bytes.length,
        sha256,
        extracts: policy.extracts,
        classification: policy.classification,
      });
      return { filename: `${safeName(title)}.${options.format}`, mimeType: MIME[options.format], base64: Buffer.from(bytes).toString('base64'), bytes: bytes.length, sha256, rows };
    },
  };
}
