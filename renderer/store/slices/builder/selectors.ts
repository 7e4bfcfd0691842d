import type { AnalysisSpec, ResultColumn } from '../../../../shared/analysis/spec.js';
import type { AppState } from '../../types.js';
import { canRedo, canUndo } from './history.js';
import { emptyDoc, fieldsOf, type BuilderDoc, type FieldInfo } from './model.js';
import { outputColumns, shelvesToSpec } from './shelves.js';

/**
 * Pure selectors. The derived ones remember their last answer (by input identity), so components
 * selecting them get the same object until the document or schema changes (no re-render loops).
 */

const NO_DOC = emptyDoc('');

export const selectDoc = (s: AppState): BuilderDoc => s.builderHistory?.present ?? NO_DOC;
export const selectCanUndo = (s: AppState): boolean => (s.builderHistory ? canUndo(s.builderHistory) : false);
export const selectCanRedo = (s: AppState): boolean => (s.builderHistory ? canRedo(s.builderHistory) : false);

function memo2<A, B, R>(fn: (a: A, b: B) => R): (a: A, b: B) => R {
  let lastA: A | undefined;
  let lastB: B | undefined;
  let last: R | undefined;
  let has = false;
  return (a, b) => {
    if (!has || a !== lastA || b !== lastB) {
      last = fn(a, b);
      lastA = a;
      lastB = b;
      has = true;
    }
    return last as R;
  };
}

const fieldsMemo = memo2((columns: AppState['builderColumns'], calculated: BuilderDoc['extras']['calculated']) => fieldsOf(columns ?? [], calculated));
/** The extract's fields plus the document's calculated fields. */
export const selectFields = (s: AppState): FieldInfo[] => fieldsMemo(s.builderColumns, selectDoc(s).extras.calculated);

const specMemo = memo2((doc: BuilderDoc, fields: FieldInfo[]) => {
  const spec = doc.extract ? shelvesToSpec(doc, fields) : null;
  return { spec, key: spec ? JSON.stringify(spec) : null };
});
/** The spec of the shelves, or null when nothing is placed. */
export const selectSpec = (s: AppState): AnalysisSpec | null => specMemo(selectDoc(s), selectFields(s)).spec;
/** The spec as a string: effects re-run when it changes, not when an equal spec is rebuilt. */
export const selectSpecKey = (s: AppState): string | null => specMemo(selectDoc(s), selectFields(s)).key;

const outputsMemo = memo2((doc: BuilderDoc, fields: FieldInfo[]) => outputColumns(doc, fields));
/** Output columns of the shelves (names and types), for chart suggestions. */
export const selectOutputs = (s: AppState): ResultColumn[] => outputsMemo(selectDoc(s), selectFields(s));

/** Whether the shelves differ from what was last saved or opened. */
export const selectDirty = (s: AppState): boolean => s.builderHistory !== null && selectSpecKey(s) !== s.builderSavedKey;

