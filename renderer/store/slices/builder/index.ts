import type { SliceCreator } from '../../types.js';

/** Placeholder: filled in by the builder work. */
export interface BuilderSlice {
  /** Forgets everything this slice read from the cache (called on lock). */
  resetBuilder(): void;
}

export const createBuilderSlice: SliceCreator<BuilderSlice> = () => ({
  resetBuilder() {},
});
