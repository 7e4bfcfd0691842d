import { useEffect, useState } from 'react';
import type { AnalysisResult, AnalysisSpec, Cell, ValueType } from '../../../shared/analysis/spec.js';
import type { ErrorInfo } from '../../../shared/errors.js';
import type { Locale } from '../../i18n/index.js';
import { formatValue } from '../../../shared/charts/format.js';
import { useApi } from '../../store/context.js';
import { errorInfo } from '../../store/slices/builder/index.js';

let seq = 0;

/**
 * Runs a side analysis (filter values, a field's range, view data) outside the store: its result is
 * only for the component that asked. A new spec or unmounting cancels the run in flight.
 */
export function useAnalysis(spec: AnalysisSpec | null): { result: AnalysisResult | null; error: ErrorInfo | null; loading: boolean } {
  const api = useApi();
  const key = spec ? JSON.stringify(spec) : null;
  const [state, setState] = useState<{ key: string | null; result: AnalysisResult | null; error: ErrorInfo | null }>({ key: null, result: null, error: null });
  useEffect(() => {
    if (!key) return;
    seq += 1;
    const requestId = `side-${Date.now().toString(36)}-${seq}`;
    let live = true;
    api.analysis.run(JSON.parse(key) as AnalysisSpec, { requestId, mode: 'auto' }).then(
      (result) => live && setState({ key, result, error: null }),
      (err) => live && setState({ key, result: null, error: errorInfo(err) }),
    );
    return () => {
      live = false;
      void api.analysis.cancel(requestId).catch(() => undefined);
    };
  }, [api, key]);
  const current = state.key === key;
  return { result: current ? state.result : null, error: current ? state.error : null, loading: key !== null && !current };
}

/** Output name for a count beside a dimension, never equal to the dimension's own name. */
const countName = (field: string) => (field === 'value_count' ? 'value_count_' : 'value_count');

/** Distinct values of a field with their row counts, most frequent first (at most 1000). */
export function valuesSpec(extract: string, field: string, calculated: AnalysisSpec['calculated']): AnalysisSpec {
  const as = countName(field);
  return {
    extract,
    ...(calculated?.length ? { calculated } : {}),
    dimensions: [{ field }],
    measures: [{ agg: 'count', as }],
    sort: [{ by: as, dir: 'desc' }],
    limit: 1000,
  };
}

/** The smallest and largest value of a field. */
export function rangeSpec(extract: string, field: string, calculated: AnalysisSpec['calculated']): AnalysisSpec {
  return {
    extract,
    ...(calculated?.length ? { calculated } : {}),
    measures: [
      { agg: 'min', field, as: 'min' },
      { agg: 'max', field, as: 'max' },
    ],
  };
}

/** A cell for people: numbers and dates in the locale's format, missing as ∅. */
export function formatCell(value: Cell, type: ValueType, locale: Locale): string {
  return formatValue(value, type, undefined, locale, { empty: '∅' });
}
