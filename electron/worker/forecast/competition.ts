import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Forecasting competition data in the M4 layout: `<Freq>-train.csv` and `<Freq>-test.csv`, one series
 * per row (the id first, then the values, rows of different lengths), and optionally an info file
 * (`*-info.csv` or `*info.csv`, with `id`, `h` and `frequency` columns) naming each series' horizon
 * and seasonal period. Without one, M4's horizons and periods apply.
 */
export interface CompetitionSeries {
  id: string;
  train: Float64Array;
  test: Float64Array;
  /** Forecast horizon. */
  h: number;
  /** Seasonal period (1: none). */
  period: number;
}

export interface CompetitionSet {
  /** `Monthly`, `Quarterly`, … as in the file names. */
  name: string;
  series: CompetitionSeries[];
}

/** M4's horizon and seasonal period by frequency (Other is M3's). */
export const M4_DEFAULTS: Record<string, { h: number; period: number }> = {
  Yearly: { h: 6, period: 1 },
  Quarterly: { h: 8, period: 4 },
  Monthly: { h: 18, period: 12 },
  Weekly: { h: 13, period: 1 },
  Daily: { h: 14, period: 1 },
  Hourly: { h: 48, period: 24 },
  Other: { h: 8, period: 1 },
};

/** Splits one CSV line of numbers and (optionally quoted) ids. The files have no embedded commas. */
function cells(line: string): string[] {
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

function readRows(path: string): Map<string, Float64Array> {
  const rows = new Map<string, Float64Array>();
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const [id, ...values] = cells(line);
    const numbers = values.filter((v) => v !== '' && v !== 'NA').map(Number);
    if (numbers.some((v) => !Number.isFinite(v))) throw new Error(`${path}: series ${id} has a value that is not a number`);
    rows.set(id!, Float64Array.from(numbers));
  }
  return rows;
}

function readInfo(dir: string): Map<string, { h: number; period: number }> {
  const file = readdirSync(dir).find((f) => /info\.csv$/i.test(f));
  const info = new Map<string, { h: number; period: number }>();
  if (!file) return info;
  const [header, ...lines] = readFileSync(join(dir, file), 'utf8').split(/\r?\n/).filter((l) => l.trim());
  const names = cells(header!).map((h) => h.toLowerCase());
  const at = (name: string) => names.indexOf(name);
  const [idAt, hAt, periodAt] = [at('id') >= 0 ? at('id') : at('m4id'), at('h') >= 0 ? at('h') : at('horizon'), at('frequency')];
  if (idAt < 0 || hAt < 0) return info;
  for (const line of lines) {
    const c = cells(line);
    info.set(c[idAt]!, { h: Number(c[hAt]), period: periodAt >= 0 ? Number(c[periodAt]) : Number.NaN });
  }
  return info;
}

/** Every frequency in the folder, in the order Yearly, Quarterly, Monthly, … then the rest by name. */
export function readCompetition(dir: string, only?: string[]): CompetitionSet[] {
  if (!existsSync(dir)) throw new Error(`No competition data in ${dir}`);
  const info = readInfo(dir);
  const order = Object.keys(M4_DEFAULTS);
  const names = readdirSync(dir)
    .map((f) => /^(.+)-train\.csv$/.exec(f)?.[1])
    .filter((n): n is string => !!n && existsSync(join(dir, `${n}-test.csv`)) && (!only || only.includes(n)))
    .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
  return names.map((name) => {
    const train = readRows(join(dir, `${name}-train.csv`));
    const test = readRows(join(dir, `${name}-test.csv`));
    const fallback = M4_DEFAULTS[name] ?? { h: 8, period: 1 };
    const series: CompetitionSeries[] = [];
    for (const [id, values] of train) {
      const future = test.get(id);
      if (!future) throw new Error(`${name}: series ${id} has no test values`);
      const given = info.get(id);
      const h = given && Number.isFinite(given.h) && given.h > 0 ? given.h : Math.min(fallback.h, future.length);
      const period = given && Number.isFinite(given.period) && given.period > 0 ? given.period : fallback.period;
      series.push({ id, train: values, test: future.subarray(0, h), h, period });
    }
    return { name, series };
  });
}
