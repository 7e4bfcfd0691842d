import type { Cell, Grain, ValueType } from '../analysis/spec.js';

/**
 * Locale formats for chart values, axes and tables. Numbers go through Intl (so Russian gets the
 * non-breaking-space thousands separator and comma decimals, `1 234,5`); month names are our own,
 * because Intl's Russian short months carry dots and a "г." suffix ("мар. 2024 г.") that reads badly
 * on an axis. Environment-free: no DOM, only ECMAScript Intl.
 */
export type ChartLocale = 'en' | 'ru';
/** The chart encoding's `format`: plain, roubles, a fraction shown as a percentage, or compact (1.2M). */
export type NumberFormat = 'number' | 'currency' | 'percent' | 'compact';

const TAGS: Record<ChartLocale, string> = { en: 'en-GB', ru: 'ru-RU' };

const SHORT_MONTHS: Record<ChartLocale, string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  ru: ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'],
};
/** With a day number Russian puts the month in the genitive: "5 мая", but "май 2024". */
const DAY_MONTHS: Record<ChartLocale, string[]> = { en: SHORT_MONTHS.en, ru: SHORT_MONTHS.ru.map((m) => (m === 'май' ? 'мая' : m)) };
const MONTHS: Record<ChartLocale, string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  ru: ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'],
};
const DAYS: Record<ChartLocale, string[]> = {
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  ru: ['воскресенье', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота'],
};
const SHORT_DAYS: Record<ChartLocale, string[]> = {
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  ru: ['вс', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб'],
};
const BOOLEANS: Record<ChartLocale, [string, string]> = { en: ['Yes', 'No'], ru: ['Да', 'Нет'] };

const OPTIONS: Record<NumberFormat, Intl.NumberFormatOptions> = {
  number: { maximumFractionDigits: 2 },
  currency: { style: 'currency', currency: 'RUB', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2, maximumFractionDigits: 2 },
  percent: { style: 'percent', maximumFractionDigits: 1 },
  compact: { notation: 'compact', maximumFractionDigits: 1 },
};

// Intl.NumberFormat construction is slow (tens of µs); tables format thousands of cells.
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(format: NumberFormat, locale: ChartLocale): Intl.NumberFormat {
  const key = `${locale}:${format}`;
  let f = formatters.get(key);
  // British English writes millions as "9.6m"; the analysts' convention (and the axis units) is 9.6M.
  const tag = locale === 'en' && format === 'compact' ? 'en-US' : TAGS[locale];
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(tag, OPTIONS[format])));
  return f;
}

/** A number in the locale: `1,234.5` / `1 234,5`, `₽1,234.50` / `1 234,50 ₽`, `12.3%` / `12,3 %`, `1.2M` / `1,2 млн`. */
export function formatNumber(value: number, format: NumberFormat, locale: ChartLocale): string {
  return formatter(format, locale).format(value);
}

/** Milliseconds since the epoch (UTC) of `YYYY-MM-DD` or an ISO date-time; NaN if it is neither. */
export function parseDateMs(value: string): number {
  if (value.length === 10) return Date.parse(`${value}T00:00:00Z`);
  return Date.parse(value);
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** A date truncated to `grain` (or an instant, with its UTC time): `Mar 2024` / `мар 2024`, `Q1 2024` / `1 кв. 2024`. */
export function formatDate(value: string | number, grain: Grain | 'instant', locale: ChartLocale): string {
  const ms = typeof value === 'number' ? value : parseDateMs(value);
  if (!Number.isFinite(ms)) return String(value);
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const month = SHORT_MONTHS[locale][d.getUTCMonth()]!;
  const day = `${d.getUTCDate()} ${DAY_MONTHS[locale][d.getUTCMonth()]!} ${year}`;
  switch (grain) {
    case 'year':
      return String(year);
    case 'quarter': {
      const q = Math.floor(d.getUTCMonth() / 3) + 1;
      return locale === 'ru' ? `${q} кв. ${year}` : `Q${q} ${year}`;
    }
    case 'month':
      return `${month} ${year}`;
    case 'week':
    case 'day':
      return day;
    case 'instant': {
      const seconds = d.getUTCSeconds();
      return `${day} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${seconds ? `:${pad(seconds)}` : ''}`;
    }
  }
}

/**
 * One cell as text, for tooltips, tables and mark lists. `format` applies to numbers; dates use
 * `grain` (default: day for dates, the full instant for timestamps). Null becomes `empty` ('' unless given).
 */
export function formatValue(
  value: Cell,
  type: ValueType,
  format: NumberFormat | undefined,
  locale: ChartLocale,
  options: { grain?: Grain | undefined; empty?: string } = {},
): string {
  if (value === null) return options.empty ?? '';
  if (typeof value === 'boolean') return BOOLEANS[locale][value ? 0 : 1];
  if (typeof value === 'number') {
    if (type === 'date' || type === 'timestamp') return formatDate(value, options.grain ?? (type === 'date' ? 'day' : 'instant'), locale);
    return formatNumber(value, format ?? 'number', locale);
  }
  if (type === 'date') return formatDate(value, options.grain ?? 'day', locale);
  if (type === 'timestamp') return formatDate(value, options.grain ?? 'instant', locale);
  return value;
}

/**
 * The grain of a date column: from the planner's default output name (`booked_on_month`), else from
 * the values (all on the 1st of January → year, all on the 1st of a month → month, else day).
 * Quarters are only recognised by name: three monthly values Jan/Apr/Jul would otherwise pass for quarters.
 */
export function inferGrain(name: string, values: Iterable<Cell>, type: ValueType = 'date'): Grain | 'instant' {
  const m = /_(day|week|month|quarter|year)$/.exec(name);
  if (m) return m[1] as Grain;
  let allYear = true;
  let allMonth = true;
  let allMidnight = true;
  let count = 0;
  for (const v of values) {
    if (v === null || typeof v === 'boolean') continue;
    const ms = typeof v === 'number' ? v : parseDateMs(v);
    if (!Number.isFinite(ms)) continue;
    count++;
    const d = new Date(ms);
    if (d.getUTCHours() || d.getUTCMinutes() || d.getUTCSeconds() || d.getUTCMilliseconds()) allMidnight = false;
    if (d.getUTCDate() !== 1) allMonth = allYear = false;
    if (d.getUTCMonth() !== 0) allYear = false;
    if (!allMidnight) break;
  }
  if (type === 'timestamp' && !allMidnight) return 'instant';
  if (count === 0) return 'day';
  // A lone 1 January is more likely one month of a filtered series than a yearly one.
  return allYear && count > 1 ? 'year' : allMonth ? 'month' : 'day';
}

/** d3 time format for a date axis at a grain (month names come from {@link plotlyLocale}). */
export function dateTickFormat(grain: Grain | 'instant', locale: ChartLocale): string {
  switch (grain) {
    case 'year':
      return '%Y';
    case 'quarter':
      return locale === 'ru' ? '%q кв. %Y' : 'Q%q %Y';
    case 'month':
      return '%b %Y';
    case 'week':
    case 'day':
      return '%-d %b %Y';
    case 'instant':
      return '';
  }
}

/** plotly's `layout.separators`: decimal mark, then thousands separator. */
export function plotlySeparators(locale: ChartLocale): string {
  return locale === 'ru' ? ',\u00a0' : '.,';
}

/** The `format` part of a plotly locale (register it with `config.locales`), so date axes speak the locale. */
export function plotlyLocale(locale: ChartLocale): {
  days: string[];
  shortDays: string[];
  months: string[];
  shortMonths: string[];
  date: string;
  decimal: string;
  thousands: string;
} {
  return {
    days: DAYS[locale],
    shortDays: SHORT_DAYS[locale],
    months: MONTHS[locale],
    shortMonths: SHORT_MONTHS[locale],
    date: locale === 'ru' ? '%d.%m.%Y' : '%d/%m/%Y',
    decimal: locale === 'ru' ? ',' : '.',
    thousands: locale === 'ru' ? '\u00a0' : ',',
  };
}

/** How a numeric axis shows its ticks; `factor` divides the plotted values (compact axes: millions). */
export interface AxisNumberFormat {
  tickformat: string;
  tickprefix?: string;
  ticksuffix?: string;
  /** Plotted value = value / factor. 1 except for compact axes. */
  factor: number;
  /**
   * Tick labels replaced as drawn (plotly's `labelalias`, keyed by the label with prefix and suffix):
   * an axis in millions labels its zero `0`, not `0M` / `0 млн ₽`.
   */
  labelalias?: Record<string, string>;
}

const COMPACT_UNITS: Record<ChartLocale, Array<[number, string]>> = {
  en: [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']],
  ru: [[1e12, '\u00a0трлн'], [1e9, '\u00a0млрд'], [1e6, '\u00a0млн'], [1e3, '\u00a0тыс.']],
};

/**
 * Tick format for a value axis. plotly's d3 formats honour `separators` but know no Russian words, so
 * an axis of large values is drawn in a unit (millions, ...) chosen from the largest value and says so
 * in a suffix: `600 млн`, `₽600M`, instead of `600 000 000` tipped sideways. Compact axes use a unit
 * from thousands up; plain and currency axes from millions (tooltips keep the full figures).
 */
export function axisNumberFormat(format: NumberFormat | undefined, locale: ChartLocale, maxAbs: number): AxisNumberFormat {
  const kind = format ?? 'number';
  if (kind === 'percent') return locale === 'ru' ? { tickformat: ',~r', ticksuffix: '\u00a0%', factor: 0.01 } : { tickformat: ',~%', factor: 1 };
  const unit = COMPACT_UNITS[locale].find(([size]) => maxAbs >= size && (kind === 'compact' || size >= 1e6));
  const tickformat = kind === 'currency' && !unit ? ',~f' : ',~r';
  const factor = unit ? unit[0] : 1;
  let axis: AxisNumberFormat;
  if (kind === 'currency') {
    axis = locale === 'ru' ? { tickformat, ticksuffix: `${unit ? unit[1] : ''}\u00a0₽`, factor } : { tickformat, tickprefix: '₽', ...(unit ? { ticksuffix: unit[1] } : {}), factor };
  } else {
    axis = { tickformat, ...(unit ? { ticksuffix: unit[1] } : {}), factor };
  }
  // Zero millions is just zero; half a million stays `0.5M`.
  if (unit) axis.labelalias = { [`${axis.tickprefix ?? ''}0${axis.ticksuffix ?? ''}`]: '0' };
  return axis;
}

/**
 * A value in a plotly hovertemplate, `%{y:…}` with the axis's unit: for big WebGL traces, where
 * per-point tooltip text would cost a string per point. `variable` is `x` or `y`.
 */
export function hoverTemplateValue(variable: 'x' | 'y', axis: AxisNumberFormat, format: NumberFormat | undefined): string {
  const prefix = axis.tickprefix ?? '';
  const suffix = axis.ticksuffix ?? '';
  if (format === 'currency') return `${prefix}%{${variable}:,.2f}${suffix}`;
  if (axis.factor !== 1) return `%{${variable}:,.3~f}${suffix}`;
  if (format === 'percent') return `%{${variable}:,.1%}`;
  return `%{${variable}:,.2~f}`;
}

/** A colour bar (heatmap, map) titled and ticked like a value axis. `title` is already escaped. */
export function colorbarFor(title: string, format: AxisNumberFormat): Record<string, unknown> {
  return {
    title: { text: title, side: 'right' },
    tickformat: format.tickformat,
    ...(format.tickprefix ? { tickprefix: format.tickprefix } : {}),
    ...(format.ticksuffix ? { ticksuffix: format.ticksuffix } : {}),
    ...(format.labelalias ? { labelalias: format.labelalias } : {}),
    thickness: 12,
    outlinewidth: 0,
  };
}
