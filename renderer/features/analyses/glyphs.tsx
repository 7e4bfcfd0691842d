import type { ChartType, ValueType } from '../../../shared/analysis/spec.js';

/**
 * Small line glyphs for chart types and field types (24×24, stroke), decorative: the label next to
 * each says the same in words. Kept here rather than in components/Icon.tsx because only the
 * builder uses them.
 */
const CHART: Record<ChartType | 'auto', string> = {
  auto: 'M12 3l2 5 5 2-5 2-2 5-2-5-5-2 5-2zM19 16l1 2 2 1-2 1-1 2-1-2-2-1 2-1z',
  bar: 'M3 5h12M3 10h17M3 15h8M3 20h14',
  column: 'M5 21V11m5 10V4m5 17v-8m5 8V8M2 21h20',
  line: 'M3 17l5-6 4 3 8-9M3 21h18',
  area: 'M3 19l5-7 4 3 8-8v12zM3 21h18',
  scatter: 'M6 16h.01M9 9h.01M13 13h.01M17 6h.01M18 15h.01M3 21h18M3 3v18',
  bubble: 'M8 14a3 3 0 100-.01zm8-6a2 2 0 100-.01zm1 9a1.5 1.5 0 100-.01zM3 21h18M3 3v18',
  pie: 'M12 3a9 9 0 109 9h-9zM14 2v8h8a8 8 0 00-8-8z',
  donut: 'M12 3a9 9 0 110 18 9 9 0 010-18zm0 5a4 4 0 100 8 4 4 0 000-8zM12 3v5',
  heatmap: 'M3 3h6v6H3zm6 0h6v6H9zm6 0h6v6h-6zM3 9h6v6H3zm6 0h6v6H9zm6 0h6v6h-6zM3 15h6v6H3zm6 0h6v6H9zm6 0h6v6h-6z',
  histogram: 'M3 21V14h4v7m0-11h4v11m0-15h4v15m0-8h4v8M2 21h20',
  box: 'M12 3v4m0 10v4M7 7h10v10H7zm0 5h10',
  kpi: 'M4 15l4-4 3 3 6-6m0 0h-4m4 0v4M3 20h18',
  table: 'M3 4h18v16H3zM3 9h18M3 14h18M9 4v16',
  pivot: 'M3 3h18v18H3zM3 8h18M8 3v18M12 12h6m-6 4h6',
  combo: 'M5 21v-7m5 7V10m5 11v-5M3 9l5-3 5 4 8-6M2 21h20',
  map: 'M9 4L3 6v14l6-2 6 2 6-2V4l-6 2zm0 0v14m6-12v14',
};

export function ChartGlyph({ type, size = 18 }: { type: ChartType | 'auto'; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.7} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d={CHART[type]} />
    </svg>
  );
}

// Plain characters every UI font has (no emoji, no rare symbols that fall back to boxes).
const TYPE_MARK: Record<ValueType, string> = { string: 'Abc', number: '#', date: 'D', timestamp: 'DT', boolean: 'T/F' };

/** A field's type as a small badge (the name of the type is in the field button's description). */
export function TypeBadge({ type, keyField }: { type: ValueType; keyField?: boolean }) {
  return (
    <span className={`type-badge t-${type}`} aria-hidden="true">
      {keyField ? 'PK' : TYPE_MARK[type]}
    </span>
  );
}
