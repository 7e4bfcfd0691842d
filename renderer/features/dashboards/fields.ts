import { useEffect, useMemo } from 'react';
import type { ExtractColumn } from '../../../shared/contracts/index.js';
import { useApp } from '../../store/context.js';
import type { ExtractFields } from '../../store/slices/dashboards/index.js';

/** How a field is filtered in the filter bar. */
export type FieldKind = 'date' | 'number' | 'boolean' | 'text';

/** A field some tile of the dashboard can be filtered on, and the extracts that have it. */
export interface FieldInfo {
  name: string;
  kind: FieldKind;
  extracts: string[];
}

export function fieldKind(storage: ExtractColumn['storage']): FieldKind {
  if (storage === 'date' || storage === 'timestamp') return 'date';
  if (storage === 'integer' || storage === 'bigint' || storage === 'real') return 'number';
  return storage === 'boolean' ? 'boolean' : 'text';
}

/**
 * The columns of these extracts, read once per sync of each (a sync may change the schema).
 * An extract is absent from the answer while its columns load.
 */
export function useExtractFields(extracts: readonly string[]): Record<string, ExtractFields | undefined> {
  const all = useApp((s) => s.extractFields);
  const generations = useApp((s) => s.syncGeneration);
  const load = useApp((s) => s.loadExtractFields);
  const key = [...new Set(extracts)].sort().join('\u0000');
  useEffect(() => {
    if (!key) return;
    for (const name of key.split('\u0000')) void load(name);
  }, [key, generations, load]);
  return useMemo(() => {
    const out: Record<string, ExtractFields | undefined> = {};
    for (const name of key ? key.split('\u0000') : []) {
      const entry = all[name];
      // An answer from before the last sync is stale: wait for the new one.
      out[name] = entry && entry.generation === (generations[name] ?? 0) ? entry : undefined;
    }
    return out;
  }, [key, all, generations]);
}

/** The union of the extracts' fields, by name, for the filter bar. */
export function dashboardFields(fields: Record<string, ExtractFields | undefined>): FieldInfo[] {
  const byName = new Map<string, FieldInfo>();
  for (const [extract, entry] of Object.entries(fields)) {
    for (const column of entry?.columns ?? []) {
      const known = byName.get(column.name);
      if (known) known.extracts.push(extract);
      else byName.set(column.name, { name: column.name, kind: fieldKind(column.storage), extracts: [extract] });
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
