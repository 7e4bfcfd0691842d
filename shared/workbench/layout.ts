/**
 * Dashboard grid layout: tiles on a 12-column grid of fixed-height rows, kept compacted upwards
 * (react-grid-layout's "vertical" compaction). Every function is pure and returns a new layout; the
 * input is never modified. After any function here the tiles do not overlap, each lies inside the
 * columns, and every coordinate is a whole number.
 *
 * Model: with vertical compaction a tile's place is decided by its order (top to bottom, then left to
 * right) and its columns: each tile rises until it rests on a tile above it. Moving a tile therefore
 * means giving it a new position in that order. `moveTile` and `resizeTile` first put the tile exactly
 * where asked and move every tile in its way: above it when the moved tile has passed that tile's top
 * edge and there is room, else down below it. Then they compact the whole layout with the moved tile
 * winning ties, so that it stays ahead of the tiles it was dropped onto.
 */

/** Columns of the dashboard grid (the contract's `DashboardTile.x + w <= 12`). */
export const GRID_COLUMNS = 12;
/** Tallest tile, in rows (the contract's limit). */
export const MAX_TILE_ROWS = 40;

/** A tile's place on the grid, in columns and rows from the top left. */
export interface LayoutItem {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The keys that move (arrows) or, with Shift, resize a focused tile. */
export type LayoutKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

const int = (n: number, fallback: number) => (Number.isFinite(n) ? Math.round(n) : fallback);

/** The same tile forced into the grid: 1..12 columns wide, inside the columns, 1..40 rows, not above row 0. */
export function clampItem<T extends LayoutItem>(item: T): T {
  const w = Math.min(GRID_COLUMNS, Math.max(1, int(item.w, 1)));
  const h = Math.min(MAX_TILE_ROWS, Math.max(1, int(item.h, 1)));
  const x = Math.min(GRID_COLUMNS - w, Math.max(0, int(item.x, 0)));
  const y = Math.max(0, int(item.y, 0));
  return item.x === x && item.y === y && item.w === w && item.h === h ? item : { ...item, x, y, w, h };
}

/** Whether two tiles share at least one cell. */
export function overlaps(a: Omit<LayoutItem, 'id'>, b: Omit<LayoutItem, 'id'>): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Rows the layout occupies (the first free row below every tile). */
export function layoutRows(items: readonly LayoutItem[]): number {
  return items.reduce((max, t) => Math.max(max, t.y + t.h), 0);
}

function firstCollision(placed: readonly LayoutItem[], item: Omit<LayoutItem, 'id'>): LayoutItem | undefined {
  return placed.find((p) => overlaps(p, item));
}

/**
 * Raises a tile as far as it goes, then drops it below whatever it still overlaps. A tile in the way
 * of the `pin`ned (dragged) tile whose top is above the pinned tile's top goes above it instead when
 * there is room: the dragged tile has passed its top edge, so the two swap (react-grid-layout does
 * the same).
 */
function settle<T extends LayoutItem>(placed: readonly LayoutItem[], item: T, pin?: LayoutItem): T {
  let y = item.y;
  while (y > 0 && !firstCollision(placed, { ...item, y: y - 1 })) y--;
  if (pin && item.y < pin.y && overlaps(pin, { ...item, y })) {
    const above = pin.y - item.h;
    if (above >= 0 && !firstCollision(placed, { ...item, y: above })) return { ...item, y: above };
  }
  for (let hit = firstCollision(placed, { ...item, y }); hit; hit = firstCollision(placed, { ...item, y })) y = hit.y + hit.h;
  return y === item.y ? item : { ...item, y };
}

/** Top-to-bottom, left-to-right; `first` wins ties of row. The id breaks remaining ties so order is stable. */
function byRow(first?: string) {
  return (a: LayoutItem, b: LayoutItem) =>
    a.y - b.y || (a.id === first ? -1 : b.id === first ? 1 : 0) || a.x - b.x || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Restores the caller's order of tiles (positions change, the list order does not). */
function inOrder<T extends LayoutItem>(original: readonly T[], moved: readonly T[]): T[] {
  const byId = new Map(moved.map((t) => [t.id, t]));
  return original.map((t) => byId.get(t.id)!);
}

/**
 * Vertical compaction: every tile rises until it rests on a tile above it; overlapping tiles are
 * pushed below. `pinned` stays exactly where it is and the others flow around it; `first` wins ties.
 */
function compactWith<T extends LayoutItem>(items: readonly T[], pinned?: string, first?: string): T[] {
  const clamped = items.map(clampItem);
  const placed: T[] = [];
  const pin = clamped.find((t) => t.id === pinned);
  if (pin) placed.push(pin);
  for (const item of [...clamped].sort(byRow(first))) {
    if (item.id === pinned) continue;
    placed.push(settle(placed, item, pin));
  }
  return inOrder(clamped, placed);
}

/** Clamps every tile into the grid and compacts upwards, resolving any overlap (for layouts read from elsewhere). */
export function compact<T extends LayoutItem>(items: readonly T[]): T[] {
  return compactWith(items);
}

/** The first free place (top row first, then leftmost) for a `w` × `h` tile, without moving anything. */
export function firstFreeSlot(items: readonly LayoutItem[], w: number, h: number): { x: number; y: number } {
  const size = clampItem({ id: '', x: 0, y: 0, w, h });
  const bottom = layoutRows(items);
  for (let y = 0; y <= bottom; y++) {
    for (let x = 0; x + size.w <= GRID_COLUMNS; x++) {
      if (!firstCollision(items, { x, y, w: size.w, h: size.h })) return { x, y };
    }
  }
  return { x: 0, y: bottom };
}

/** Adds a tile (its x and y are ignored) at the first free place. */
export function placeTile<T extends LayoutItem>(items: readonly T[], tile: T): T[] {
  const sized = clampItem(tile);
  const { x, y } = firstFreeSlot(items, sized.w, sized.h);
  return compactWith([...items, { ...sized, x, y }]);
}

/** Removes a tile; the tiles below rise into the space. */
export function removeTile<T extends LayoutItem>(items: readonly T[], id: string): T[] {
  return compactWith(items.filter((t) => t.id !== id));
}

function rearrange<T extends LayoutItem>(items: readonly T[], id: string, change: (t: T) => T): T[] {
  const index = items.findIndex((t) => t.id === id);
  if (index < 0) return [...items];
  const next = [...items];
  next[index] = clampItem(change(items[index]!));
  // Pinned pass: the tile where it was asked to be, the others out of its way (decides the order)...
  const around = compactWith(next, id);
  // ...then a free pass, so the tile rises like any other but keeps its place ahead of those it displaced.
  return compactWith(around, undefined, id);
}

/** Moves a tile so its top left corner is at column `x`, row `y` (clamped into the grid). */
export function moveTile<T extends LayoutItem>(items: readonly T[], id: string, x: number, y: number): T[] {
  return rearrange(items, id, (t) => ({ ...t, x, y }));
}

/** Resizes a tile to `w` columns by `h` rows, keeping its top left corner where it fits. */
export function resizeTile<T extends LayoutItem>(items: readonly T[], id: string, w: number, h: number): T[] {
  return rearrange(items, id, (t) => {
    const width = Math.min(GRID_COLUMNS, Math.max(1, int(w, t.w)));
    return { ...t, w: width, h, x: Math.min(t.x, GRID_COLUMNS - width) };
  });
}

const spans = (a: LayoutItem, b: LayoutItem) => a.x < b.x + b.w && b.x < a.x + a.w;

/**
 * A keyboard step. Left/right move one column. Up/down move past the nearest tile above or below
 * in the same columns (in a compacted grid a tile cannot hang over empty rows, so one row down would
 * just rise back). At the top or bottom of its column nothing changes.
 * With `resize`, the arrows change the width (left/right) or height (up/down) by one.
 */
export function keyboardStep<T extends LayoutItem>(items: readonly T[], id: string, key: LayoutKey, resize = false): T[] {
  const tile = items.find((t) => t.id === id);
  if (!tile) return [...items];
  if (resize) {
    const dw = key === 'ArrowRight' ? 1 : key === 'ArrowLeft' ? -1 : 0;
    const dh = key === 'ArrowDown' ? 1 : key === 'ArrowUp' ? -1 : 0;
    return resizeTile(items, id, tile.w + dw, tile.h + dh);
  }
  if (key === 'ArrowLeft' || key === 'ArrowRight') return moveTile(items, id, tile.x + (key === 'ArrowLeft' ? -1 : 1), tile.y);
  const column = items.filter((t) => t.id !== id && spans(t, tile));
  if (key === 'ArrowDown') {
    const below = column.filter((t) => t.y >= tile.y + tile.h).sort((a, b) => a.y - b.y || a.y + a.h - (b.y + b.h))[0];
    // Onto the bottom of the tile below: it now comes first and rises into our place, and we rest on it.
    return below ? moveTile(items, id, tile.x, below.y + below.h) : [...items];
  }
  const above = column.filter((t) => t.y + t.h <= tile.y).sort((a, b) => b.y + b.h - (a.y + a.h))[0];
  // Onto the top of the tile above: we win the tie, so that tile is pushed below us.
  return above ? moveTile(items, id, tile.x, above.y) : [...items];
}

/** Whether a layout keeps the rules (inside the grid, no overlaps): what the dashboards service checks. */
export function isValidLayout(items: readonly LayoutItem[]): boolean {
  for (let i = 0; i < items.length; i++) {
    const a = items[i]!;
    if (clampItem(a) !== a) return false;
    for (let j = i + 1; j < items.length; j++) if (overlaps(a, items[j]!)) return false;
  }
  return true;
}
