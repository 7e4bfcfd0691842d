import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BAR_MODES, CHART_TYPES, type BarMode, type ChartEncoding, type ChartType } from '../../../shared/analysis/spec.js';
import { suggestCharts } from '../../../shared/charts/suggest.js';
import { useApp } from '../../store/context.js';
import { arrange, setChartOptions, setChartType } from '../../store/slices/builder/edits.js';
import { selectDoc, selectOutputs } from '../../store/slices/builder/selectors.js';
import { ChartGlyph } from './glyphs.js';
import { PopupMenu } from './Menu.js';

const FORMATS = ['number', 'currency', 'percent', 'compact'] as const;
const STACKABLE: ReadonlySet<ChartType> = new Set(['bar', 'column', 'area']);
/** Suggestions shown by "Suggest". */
const TOP = 5;

/** Chart type (radio group with glyphs), bar mode, number format and the "Show me" suggestions. */
export function ChartTypePicker() {
  const { t } = useTranslation();
  const chart = useApp((s) => selectDoc(s).chart);
  const edit = useApp((s) => s.editBuilder);
  const name = useId();
  const barId = useId();
  const formatId = useId();

  return (
    <section className="chart-picker" aria-label={t('analyses.chart.title')}>
      <fieldset className="chart-types">
        <legend>{t('analyses.chart.type')}</legend>
        {(['auto', ...CHART_TYPES] as const).map((type) => (
          <label key={type} className={(chart.type ?? 'auto') === type ? 'chart-type on' : 'chart-type'} title={t(`analyses.chartTypes.${type}`)}>
            <input type="radio" name={name} value={type} checked={(chart.type ?? 'auto') === type} onChange={() => edit((doc) => setChartType(doc, type === 'auto' ? null : type))} />
            <ChartGlyph type={type} />
            <span>{t(`analyses.chartTypes.${type}`)}</span>
          </label>
        ))}
      </fieldset>
      <div className="chart-options">
        {chart.type && STACKABLE.has(chart.type) && (
          <div className="field">
            <label htmlFor={barId}>{t('analyses.chart.barMode')}</label>
            <select id={barId} value={chart.barMode ?? ''} onChange={(e) => edit((doc) => setChartOptions(doc, { barMode: (e.target.value || undefined) as BarMode | undefined }))}>
              <option value="">{t('analyses.chart.default')}</option>
              {BAR_MODES.map((m) => (
                <option key={m} value={m}>
                  {t(`analyses.barModes.${m}`)}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={formatId}>{t('analyses.chart.format')}</label>
          <select id={formatId} value={chart.format ?? ''} onChange={(e) => edit((doc) => setChartOptions(doc, { format: (e.target.value || undefined) as (typeof FORMATS)[number] | undefined }))}>
            <option value="">{t('analyses.chart.default')}</option>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`analyses.formats.${f}`)}
              </option>
            ))}
          </select>
        </div>
        <SuggestButton />
      </div>
    </section>
  );
}

/** "Show me": ranked chart suggestions for the fields on the shelves; picking one arranges the shelves. */
function SuggestButton() {
  const { t } = useTranslation();
  const outputs = useApp(selectOutputs);
  const edit = useApp((s) => s.editBuilder);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();
  const suggestions: ChartEncoding[] = open ? suggestCharts(outputs).slice(0, TOP) : [];
  const describe = (e: ChartEncoding) => {
    const y = e.y === undefined ? [] : Array.isArray(e.y) ? e.y : [e.y];
    const parts = [e.x, ...y, e.color].filter((p): p is string => !!p);
    return parts.length ? t('analyses.chart.suggestion', { type: t(`analyses.chartTypes.${e.type}`), fields: parts.join(', ') }) : t(`analyses.chartTypes.${e.type}`);
  };
  return (
    <span className="menu-anchor">
      <button ref={button} type="button" className="secondary" disabled={outputs.length === 0} aria-haspopup="menu" aria-expanded={open} aria-controls={open ? menuId : undefined} onClick={() => setOpen((o) => !o)}>
        <ChartGlyph type="auto" size={16} /> {t('analyses.chart.suggest')}
      </button>
      {open && (
        <PopupMenu
          id={menuId}
          label={t('analyses.chart.suggestions')}
          opener={button}
          onClose={() => setOpen(false)}
          items={
            suggestions.length
              ? suggestions.map((e, i) => ({ key: `${i}-${e.type}`, label: describe(e), onSelect: () => edit((doc) => arrange(doc, e)) }))
              : [{ key: 'none', label: t('analyses.chart.noSuggestions'), disabled: true, onSelect: () => undefined }]
          }
        />
      )}
    </span>
  );
}
