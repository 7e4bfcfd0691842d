import type { ForecastRun } from '../../../shared/contracts/forecast.js';
import { csvField, csvNumber, csvSeparator } from '../export/csv.js';

/**
 * A forecast run as a CSV table Excel opens correctly: UTF-8 with a byte-order mark, RFC 4180 quoting,
 * and the locale's convention: `,` between fields and `.` in numbers for English; `;` and `,` for
 * Russian (Excel in a Russian locale splits on `;`). One row per series and period: the history
 * (actual) and then the forecast with its interval bounds.
 */
export function forecastTableCsv(run: ForecastRun, locale: 'en' | 'ru'): { content: string; rows: number } {
  const sep = csvSeparator(locale);
  const num = (v: number | null | undefined) => csvNumber(v, locale, 6);
  const field = (v: string) => csvField(v, sep);
  const levels = run.levels;
  const header = [
    'period',
    ...run.groupFields,
    'kind',
    run.measure,
    'forecast',
    ...levels.flatMap((l) => [`lower_${l}`, `upper_${l}`]),
    'model',
  ];
  const lines = [header.map(field).join(sep)];
  for (const s of run.series) {
    const group = s.group.map((g) => field(g === null ? '' : String(g)));
    s.dates.forEach((d, i) => {
      if (s.actual[i] === null) return;
      lines.push([d, ...group, 'actual', num(s.actual[i]), '', ...levels.flatMap(() => ['', '']), ''].join(sep));
    });
    s.forecastDates.forEach((d, i) => {
      const bounds = levels.flatMap((l) => {
        const iv = s.intervals.find((x) => x.level === l);
        return [num(iv?.lower[i]), num(iv?.upper[i])];
      });
      lines.push([d, ...group, 'forecast', '', num(s.mean[i]), ...bounds, field(s.model)].join(sep));
    });
  }
  return { content: `\uFEFF${lines.join('\r\n')}\r\n`, rows: lines.length - 1 };
}
