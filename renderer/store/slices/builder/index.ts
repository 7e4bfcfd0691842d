import type { AnalysisResult, AnalysisSpec } from '../../../../shared/analysis/spec.js';
import type { ExtractColumn } from '../../../../shared/contracts/extracts.js';
import type { SavedAnalysis, SavedAnalysisSummary } from '../../../../shared/contracts/workbench.js';
import { isErrorCode, type ErrorInfo } from '../../../../shared/errors.js';
import type { SliceCreator } from '../../types.js';
import { addField, type Placed } from './edits.js';
import { commit, createHistory, redo, undo, type History } from './history.js';
import { emptyDoc, type BuilderDoc, type Target } from './model.js';
import { selectFields, selectSpec, selectSpecKey } from './selectors.js';
import { specToShelves } from './shelves.js';

export type { BuilderDoc, FieldInfo, Pill, ShelfId, Target, FilterItem } from './model.js';

/** The builder's last run. The result stays while a newer run is in flight (the chart dims, not blanks). */
export interface BuilderRun {
  status: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  /** Id of the run in flight (for cancel); answers to any other id are stale and dropped. */
  requestId: string | null;
  result: AnalysisResult | null;
  /** The spec the result answers (output names for marks, explore actions). */
  resultSpec: AnalysisSpec | null;
  /** The spec of the latest run (in flight, failed or answered): error paths point into it. */
  spec: AnalysisSpec | null;
  error: ErrorInfo | null;
}

/** The analysis open in the builder, as saved. */
export interface BuilderMeta {
  /** Null for an analysis never saved. */
  id: string | null;
  title: string;
  description: string;
  tags: string[];
}

export interface SaveRequest {
  title: string;
  description: string;
  tags: string[];
  /** Save as a new analysis even when one is open. */
  asCopy?: boolean;
  /** PNG data URL of the chart, taken by the caller; undefined keeps the stored one. */
  thumbnail?: string;
}

export interface BuilderSlice {
  builderView: 'list' | 'builder';
  /** Saved analyses (no specs), most recently updated first; null before the first load. */
  builderAnalyses: SavedAnalysisSummary[] | null;
  /** The last failure of a list action (load, open, duplicate, delete). */
  builderListError: ErrorInfo | null;
  /** Undo history of the open document; null when nothing is open. */
  builderHistory: History<BuilderDoc> | null;
  /** Columns of the open document's extract; null until read (or when it cannot be). */
  builderColumns: ExtractColumn[] | null;
  builderSchemaError: ErrorInfo | null;
  builderMeta: BuilderMeta;
  /** Spec key at the last save or open (the document is dirty when the spec differs). */
  builderSavedKey: string | null;
  builderRun: BuilderRun;
  builderSaving: boolean;
  builderSaveError: ErrorInfo | null;

  loadAnalyses(): Promise<void>;
  /** Opens an empty builder on an extract. */
  newAnalysis(extract: string): Promise<void>;
  /** Opens a saved analysis on the shelves. False (with builderListError) when it cannot be read. */
  openAnalysis(id: string): Promise<boolean>;
  /** Back to the list (the document is kept until another is opened). */
  closeBuilder(): void;
  duplicateAnalysis(id: string): Promise<void>;
  removeAnalysis(id: string): Promise<void>;
  /** Applies a pure edit as one undo step; edits sharing `key` in quick succession coalesce. */
  editBuilder(recipe: (doc: BuilderDoc) => BuilderDoc, key?: string): void;
  /** Puts a field on a shelf or opens a filter card for it; answers the new pill or card id. */
  addToShelf(target: Target, field: string, index?: number): string | null;
  /** Replaces the shelves with a spec (explore actions: keep only, exclude, drill down). */
  applySpec(spec: AnalysisSpec): void;
  undoBuilder(): void;
  redoBuilder(): void;
  /** Runs the current spec; a run already in flight is cancelled first. */
  /**
   * Runs the current spec. When only the chart encoding changed since the last answer, the answer is
   * reused and only redrawn (a chart type switch on a million points should not move them again);
   * `force` re-runs anyway (after a sync).
   */
  runBuilder(force?: boolean): Promise<void>;
  cancelBuilderRun(): Promise<void>;
  /** Re-reads the extract's columns (after a sync). */
  reloadBuilderSchema(): Promise<void>;
  /** Saves (or saves as a copy); answers the saved analysis, or null with builderSaveError. */
  saveAnalysis(request: SaveRequest): Promise<SavedAnalysis | null>;
  /** Forgets everything this slice read from the cache (called on lock). */
  resetBuilder(): void;
}

/** Errors from the transport are StrongroomErrors; anything with a known code is taken as one. */
export function errorInfo(err: unknown): ErrorInfo {
  if (err && typeof err === 'object' && isErrorCode((err as { code?: unknown }).code)) {
    const e = err as { code: ErrorInfo['code']; message?: unknown; details?: unknown };
    const info: ErrorInfo = { code: e.code, message: typeof e.message === 'string' ? e.message : e.code };
    if (e.details && typeof e.details === 'object') info.details = e.details as Record<string, unknown>;
    return info;
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

/** Whether two specs ask the engine the same question (they may differ in how it is drawn). */
export function sameQuery(a: AnalysisSpec, b: AnalysisSpec): boolean {
  const { chart: _a, ...qa } = a;
  const { chart: _b, ...qb } = b;
  return JSON.stringify(qa) === JSON.stringify(qb);
}

const IDLE: BuilderRun = { status: 'idle', requestId: null, result: null, resultSpec: null, spec: null, error: null };
const NO_META: BuilderMeta = { id: null, title: '', description: '', tags: [] };

const initial = {
  builderView: 'list' as const,
  builderAnalyses: null,
  builderListError: null,
  builderHistory: null,
  builderColumns: null,
  builderSchemaError: null,
  builderMeta: NO_META,
  builderSavedKey: null,
  builderRun: IDLE,
  builderSaving: false,
  builderSaveError: null,
};

const summary = ({ spec: _spec, ...rest }: SavedAnalysis): SavedAnalysisSummary => rest;

let runSeq = 0;

export const createBuilderSlice: SliceCreator<BuilderSlice> = (set, get, { api }) => {
  async function readColumns(extract: string): Promise<void> {
    try {
      const schema = await api.extracts.schema({ name: extract });
      if (get().builderHistory?.present.extract === extract) set({ builderColumns: schema.columns, builderSchemaError: null });
    } catch (err) {
      set({ builderColumns: null, builderSchemaError: errorInfo(err) });
    }
  }

  /** Opens a document: fresh history, no stale run; the columns arrive after. */
  async function open(doc: BuilderDoc, meta: BuilderMeta, saved: boolean): Promise<void> {
    const previous = get().builderRun;
    if (previous.status === 'running' && previous.requestId) void api.analysis.cancel(previous.requestId).catch(() => undefined);
    set({ builderHistory: createHistory(doc), builderMeta: meta, builderColumns: null, builderSchemaError: null, builderRun: IDLE, builderSaveError: null, builderView: 'builder', builderSavedKey: null });
    await readColumns(doc.extract);
    set({ builderSavedKey: saved ? selectSpecKey(get()) : null });
  }

  return {
    ...initial,

    async loadAnalyses() {
      try {
        set({ builderAnalyses: await api.analyses.list(), builderListError: null });
      } catch (err) {
        set({ builderListError: errorInfo(err) });
      }
    },

    newAnalysis: (extract) => open(emptyDoc(extract), NO_META, false),

    async openAnalysis(id) {
      let saved: SavedAnalysis;
      try {
        saved = await api.analyses.get(id);
      } catch (err) {
        set({ builderListError: errorInfo(err) });
        return false;
      }
      await open(specToShelves(saved.spec), { id: saved.id, title: saved.title, description: saved.description, tags: saved.tags }, true);
      return true;
    },

    closeBuilder() {
      void get().cancelBuilderRun();
      set({ builderView: 'list' });
    },

    async duplicateAnalysis(id) {
      try {
        const copy = summary(await api.analyses.duplicate(id));
        set((s) => ({ builderAnalyses: [copy, ...(s.builderAnalyses ?? [])], builderListError: null }));
      } catch (err) {
        set({ builderListError: errorInfo(err) });
      }
    },

    async removeAnalysis(id) {
      try {
        await api.analyses.remove(id);
        set((s) => ({
          builderAnalyses: (s.builderAnalyses ?? []).filter((a) => a.id !== id),
          builderListError: null,
          // The open document, if it was this one, becomes unsaved work.
          ...(s.builderMeta.id === id ? { builderMeta: { ...s.builderMeta, id: null }, builderSavedKey: null } : {}),
        }));
      } catch (err) {
        set({ builderListError: errorInfo(err) });
      }
    },

    editBuilder(recipe, key) {
      const history = get().builderHistory;
      if (!history) return;
      const next = recipe(history.present);
      if (next !== history.present) set({ builderHistory: commit(history, next, key === undefined ? {} : { key }) });
    },

    addToShelf(target, fieldName, index) {
      const field = selectFields(get()).find((f) => f.name === fieldName);
      if (!field) return null;
      let placed: Placed | null = null;
      get().editBuilder((doc) => {
        placed = addField(doc, target, field, index);
        return placed.doc;
      });
      return (placed as Placed | null)?.id ?? null;
    },

    applySpec(spec) {
      const doc = specToShelves(spec);
      get().editBuilder(() => doc);
    },

    undoBuilder() {
      const history = get().builderHistory;
      if (history) set({ builderHistory: undo(history) });
    },

    redoBuilder() {
      const history = get().builderHistory;
      if (history) set({ builderHistory: redo(history) });
    },

    async runBuilder(force = false) {
      const spec = selectSpec(get());
      const previous = get().builderRun;
      if (!force && spec && previous.status === 'done' && previous.result && previous.resultSpec && sameQuery(previous.resultSpec, spec)) {
        set({ builderRun: { ...previous, resultSpec: spec, spec } });
        return;
      }
      if (previous.status === 'running' && previous.requestId) void api.analysis.cancel(previous.requestId).catch(() => undefined);
      if (!spec) {
        set({ builderRun: IDLE });
        return;
      }
      runSeq += 1;
      const requestId = `builder-${Date.now().toString(36)}-${runSeq}`;
      set({ builderRun: { ...previous, status: 'running', requestId, spec, error: null } });
      try {
        const result = await api.analysis.run(spec, { requestId, mode: 'auto' });
        if (get().builderRun.requestId !== requestId) return;
        set({ builderRun: { status: 'done', requestId: null, result, resultSpec: spec, spec, error: null } });
      } catch (err) {
        if (get().builderRun.requestId !== requestId) return;
        const error = errorInfo(err);
        set((s) => ({ builderRun: { ...s.builderRun, status: error.code === 'CANCELLED' ? 'cancelled' : 'error', requestId: null, error: error.code === 'CANCELLED' ? null : error } }));
      }
    },

    async cancelBuilderRun() {
      const run = get().builderRun;
      if (run.status !== 'running' || !run.requestId) return;
      // Drop the answer now: the UI is free at once, whatever the worker does with the cancel.
      set({ builderRun: { ...run, status: 'cancelled', requestId: null } });
      try {
        await api.analysis.cancel(run.requestId);
      } catch {
        // The run may have finished meanwhile; its answer is already ignored.
      }
    },

    async reloadBuilderSchema() {
      const doc = get().builderHistory?.present;
      if (doc) await readColumns(doc.extract);
    },

    async saveAnalysis({ title, description, tags, asCopy, thumbnail }) {
      const spec = selectSpec(get());
      if (!spec) {
        set({ builderSaveError: { code: 'INVALID_ANALYSIS', message: 'Nothing to save: place a field on a shelf first', details: { path: 'dimensions' } } });
        return null;
      }
      const meta = get().builderMeta;
      set({ builderSaving: true, builderSaveError: null });
      try {
        const saved = await api.analyses.save({
          ...(meta.id && !asCopy ? { id: meta.id } : {}),
          title,
          description,
          tags,
          spec,
          ...(thumbnail !== undefined ? { thumbnail } : {}),
        });
        const item = summary(saved);
        set((s) => ({
          builderSaving: false,
          builderMeta: { id: saved.id, title: saved.title, description: saved.description, tags: saved.tags },
          builderSavedKey: JSON.stringify(spec),
          builderAnalyses: s.builderAnalyses ? [item, ...s.builderAnalyses.filter((a) => a.id !== saved.id)] : s.builderAnalyses,
        }));
        return saved;
      } catch (err) {
        set({ builderSaving: false, builderSaveError: errorInfo(err) });
        return null;
      }
    },

    resetBuilder() {
      set(initial);
    },
  };
};
