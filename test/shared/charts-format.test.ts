import { describe, expect, it } from 'vitest';
import { axisNumberFormat, dateTickFormat, formatDate, formatNumber, formatValue, inferGrain, plotlySeparators } from '../../shared/charts';

// Russian separates thousands with a non-breaking space (U+00A0), as Intl and typesetting do.
const nb = '\u00a0';

describe('number formats', () => {
  it.each([
    ['number', 1234.5, '1,234.5', `1${nb}234,5`],
    ['number', 1234567.891, '1,234,567.89', `1${nb}234${nb}567,89`],
    ['number', -0.5, '-0.5', '-0,5'],
    ['currency', 1234.5, '₽1,234.50', `1${nb}234,50${nb}₽`],
    ['percent', 0.1234, '12.3%', `12,3${nb}%`],
    ['compact', 1_234_567, '1.2M', `1,2${nb}млн`],
    ['compact', 1_234_567_890, '1.2B', `1,2${nb}млрд`],
    ['compact', 1234, '1.2K', `1,2${nb}тыс.`],
  ] as const)('%s %d → %s / %s', (format, value, en, ru) => {
    expect(formatNumber(value, format, 'en')).toBe(en);
    expect(formatNumber(value, format, 'ru')).toBe(ru);
  });
});

describe('dates per grain', () => {
  it.each([
    ['month', '2024-03-01', 'Mar 2024', 'мар 2024'],
    ['quarter', '2024-04-01', 'Q2 2024', '2 кв. 2024'],
    ['year', '2024-01-01', '2024', '2024'],
    ['day', '2024-03-05', '5 Mar 2024', '5 мар 2024'],
    ['week', '2024-03-04', '4 Mar 2024', '4 мар 2024'],
    ['day', '2024-05-09', '9 May 2024', '9 мая 2024'],
    ['month', '2024-05-01', 'May 2024', 'май 2024'],
    ['instant', '2024-03-05T14:30:00Z', '5 Mar 2024 14:30', '5 мар 2024 14:30'],
    ['instant', '2024-03-05T14:30:05.000Z', '5 Mar 2024 14:30:05', '5 мар 2024 14:30:05'],
  ] as const)('%s %s → %s / %s', (grain, value, en, ru) => {
    expect(formatDate(value, grain, 'en')).toBe(en);
    expect(formatDate(value, grain, 'ru')).toBe(ru);
  });

  it('epoch milliseconds format the same as ISO text (UTC)', () => {
    expect(formatDate(Date.UTC(2024, 11, 31, 23, 59), 'instant', 'en')).toBe('31 Dec 2024 23:59');
  });

  it('the grain comes from the planner’s output name, else from the values', () => {
    expect(inferGrain('booked_on_quarter', ['2024-01-01'])).toBe('quarter');
    expect(inferGrain('d', ['2024-01-01', '2024-02-01'])).toBe('month');
    expect(inferGrain('d', ['2023-01-01', '2024-01-01'])).toBe('year');
    expect(inferGrain('d', ['2024-01-01', '2024-02-15'])).toBe('day');
    expect(inferGrain('t', ['2024-01-01T10:00:00Z'], 'timestamp')).toBe('instant');
    expect(inferGrain('t', ['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'], 'timestamp')).toBe('month');
  });
});

describe('formatValue (charts and tables)', () => {
  it('formats each value type in the locale', () => {
    expect(formatValue(1234.5, 'number', undefined, 'ru')).toBe(`1${nb}234,5`);
    expect(formatValue(1234.5, 'number', 'currency', 'en')).toBe('₽1,234.50');
    expect(formatValue('2024-03-01', 'date', undefined, 'ru', { grain: 'month' })).toBe('мар 2024');
    expect(formatValue('2024-03-01', 'date', undefined, 'en')).toBe('1 Mar 2024');
    expect(formatValue('2024-03-01T09:05:00Z', 'timestamp', undefined, 'en')).toBe('1 Mar 2024 09:05');
    expect(formatValue(true, 'boolean', undefined, 'ru')).toBe('Да');
    expect(formatValue(false, 'boolean', undefined, 'en')).toBe('No');
    expect(formatValue('card', 'string', 'currency', 'en')).toBe('card');
    expect(formatValue(null, 'number', undefined, 'en')).toBe('');
    expect(formatValue(null, 'string', undefined, 'ru', { empty: '(пусто)' })).toBe('(пусто)');
  });
});

describe('plotly axis formats', () => {
  it('separators: decimal mark then thousands', () => {
    expect(plotlySeparators('en')).toBe('.,');
    expect(plotlySeparators('ru')).toBe(`,${nb}`);
  });

  it('value axes: d3 formats with the unit as prefix or suffix; large values in a unit of the largest one', () => {
    expect(axisNumberFormat('number', 'en', 5e5)).toEqual({ tickformat: ',~r', factor: 1 });
    expect(axisNumberFormat('number', 'en', 5e6)).toEqual({ tickformat: ',~r', ticksuffix: 'M', factor: 1e6, labelalias: { '0M': '0' } });
    expect(axisNumberFormat('currency', 'ru', 5e4)).toEqual({ tickformat: ',~f', ticksuffix: `${nb}₽`, factor: 1 });
    expect(axisNumberFormat('currency', 'ru', 5e6)).toEqual({ tickformat: ',~r', ticksuffix: `${nb}млн${nb}₽`, factor: 1e6, labelalias: { [`0${nb}млн${nb}₽`]: '0' } });
    expect(axisNumberFormat('currency', 'en', 5e4)).toEqual({ tickformat: ',~f', tickprefix: '₽', factor: 1 });
    expect(axisNumberFormat('currency', 'en', 5e9)).toEqual({ tickformat: ',~r', tickprefix: '₽', ticksuffix: 'B', factor: 1e9, labelalias: { '₽0B': '0' } });
    expect(axisNumberFormat('percent', 'en', 0.5)).toEqual({ tickformat: ',~%', factor: 1 });
    expect(axisNumberFormat('percent', 'ru', 0.5)).toEqual({ tickformat: ',~r', ticksuffix: `${nb}%`, factor: 0.01 });
    expect(axisNumberFormat('compact', 'ru', 5e6)).toEqual({ tickformat: ',~r', ticksuffix: `${nb}млн`, factor: 1e6, labelalias: { [`0${nb}млн`]: '0' } });
    expect(axisNumberFormat('compact', 'en', 5e9)).toEqual({ tickformat: ',~r', ticksuffix: 'B', factor: 1e9, labelalias: { '0B': '0' } });
    expect(axisNumberFormat('compact', 'en', 500)).toEqual({ tickformat: ',~r', factor: 1 });
  });

  it('an axis in a unit labels its zero tick "0", not "0M"; other ticks keep the unit', () => {
    // plotly draws prefix + number + suffix and then looks the label up in labelalias.
    const drawn = (axis: ReturnType<typeof axisNumberFormat>, n: string) => {
      const label = `${axis.tickprefix ?? ''}${n}${axis.ticksuffix ?? ''}`;
      return axis.labelalias?.[label] ?? label;
    };
    const compact = axisNumberFormat('compact', 'en', 12e6);
    expect(['0', '0.5', '10'].map((n) => drawn(compact, n))).toEqual(['0', '0.5M', '10M']);
    const roubles = axisNumberFormat('currency', 'ru', 600e6);
    expect(['0', '200'].map((n) => drawn(roubles, n))).toEqual(['0', `200${nb}млн${nb}₽`]);
    expect(drawn(axisNumberFormat('currency', 'en', 3e9), '0')).toBe('0');
    // Without a unit there is nothing to replace: "₽0" is a plain rouble axis's zero.
    expect(axisNumberFormat('currency', 'en', 5e4).labelalias).toBeUndefined();
  });

  it('date axes: d3 time formats per grain (month names come from the plotly locale)', () => {
    expect(dateTickFormat('month', 'ru')).toBe('%b %Y');
    expect(dateTickFormat('quarter', 'en')).toBe('Q%q %Y');
    expect(dateTickFormat('quarter', 'ru')).toBe('%q кв. %Y');
    expect(dateTickFormat('day', 'en')).toBe('%-d %b %Y');
  });
});
