import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compact,
  firstFreeSlot,
  GRID_COLUMNS,
  isValidLayout,
  keyboardStep,
  layoutRows,
  MAX_TILE_ROWS,
  moveTile,
  placeTile,
  removeTile,
  resizeTile,
  type LayoutItem,
  type LayoutKey,
} from '../../shared/workbench/layout.js';

const tile = (id: string, x: number, y: number, w: number, h: number): LayoutItem => ({ id, x, y, w, h });
const at = (items: LayoutItem[], id: string) => {
  const t = items.find((i) => i.id === id)!;
  return [t.x, t.y, t.w, t.h];
};

/** What makes a layout acceptable: inside the 12 columns, whole cells, sizes in range, no two tiles sharing a cell. */
function expectSound(items: LayoutItem[]) {
  for (const t of items) {
    expect(Number.isInteger(t.x) && Number.isInteger(t.y) && Number.isInteger(t.w) && Number.isInteger(t.h)).toBe(true);
    expect(t.x).toBeGreaterThanOrEqual(0);
    expect(t.y).toBeGreaterThanOrEqual(0);
    expect(t.w).toBeGreaterThanOrEqual(1);
    expect(t.x + t.w).toBeLessThanOrEqual(GRID_COLUMNS);
    expect(t.h).toBeGreaterThanOrEqual(1);
    expect(t.h).toBeLessThanOrEqual(MAX_TILE_ROWS);
  }
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i]!;
      const b = items[j]!;
      const shared = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      expect(shared, `${a.id} and ${b.id} overlap`).toBe(false);
    }
  expect(isValidLayout(items)).toBe(true);
}

/** No tile could rise by a row without hitting another: the layout is compacted upwards. */
function expectCompacted(items: LayoutItem[]) {
  for (const t of items) {
    if (t.y === 0) continue;
    const raised = { ...t, y: t.y - 1 };
    const blocked = items.some((o) => o.id !== t.id && raised.x < o.x + o.w && o.x < raised.x + raised.w && raised.y < o.y + o.h && o.y < raised.y + raised.h);
    expect(blocked, `${t.id} floats over empty rows`).toBe(true);
  }
}

describe('placing tiles', () => {
  it('fills the first free slot, top row first, then leftmost', () => {
    let layout: LayoutItem[] = [];
    layout = placeTile(layout, tile('a', 9, 9, 6, 4));
    layout = placeTile(layout, tile('b', 0, 0, 6, 4));
    layout = placeTile(layout, tile('c', 0, 0, 4, 2));
    expect(at(layout, 'a')).toEqual([0, 0, 6, 4]);
    expect(at(layout, 'b')).toEqual([6, 0, 6, 4]);
    expect(at(layout, 'c')).toEqual([0, 4, 4, 2]);
    expect(firstFreeSlot(layout, 8, 1)).toEqual({ x: 4, y: 4 });
    expect(firstFreeSlot(layout, 12, 1)).toEqual({ x: 0, y: 6 });
  });

  it('clamps a tile that is too wide or outside the columns', () => {
    const layout = placeTile([], tile('a', 0, 0, 30, 0));
    expect(at(layout, 'a')).toEqual([0, 0, 12, 1]);
    expect(compact([tile('b', 11, 5, 4, 2)])).toEqual([tile('b', 8, 0, 4, 2)]);
  });

  it('repairs an overlapping layout read from elsewhere by pushing the later tile down', () => {
    const fixed = compact([tile('a', 0, 0, 6, 3), tile('b', 3, 1, 6, 2)]);
    expect(at(fixed, 'a')).toEqual([0, 0, 6, 3]);
    expect(at(fixed, 'b')).toEqual([3, 3, 6, 2]);
  });
});

describe('moving and resizing', () => {
  const two = [tile('a', 0, 0, 6, 2), tile('b', 0, 2, 6, 2)];

  it('dragging a tile past the top of the one below swaps them; short of it, nothing changes', () => {
    expect(moveTile(two, 'a', 0, 2)).toEqual(two);
    const moved = moveTile(two, 'a', 0, 3);
    expect(at(moved, 'b')).toEqual([0, 0, 6, 2]);
    expect(at(moved, 'a')).toEqual([0, 2, 6, 2]);
    const tall = [tile('a', 0, 0, 6, 2), tile('b', 0, 2, 6, 4)];
    // A taller tile below needs room above the dragged one to move into: the swap comes a row later.
    expect(moveTile(tall, 'a', 0, 3)).toEqual(tall);
    expect(at(moveTile(tall, 'a', 0, 4), 'a')).toEqual([0, 4, 6, 2]);
    expect(at(moveTile(tall, 'a', 0, 4), 'b')).toEqual([0, 0, 6, 4]);
  });

  it('dragging a tile up onto another pushes that one down', () => {
    const moved = moveTile(two, 'b', 0, 0);
    expect(at(moved, 'b')).toEqual([0, 0, 6, 2]);
    expect(at(moved, 'a')).toEqual([0, 2, 6, 2]);
  });

  it('a tile moved into empty rows rises to rest on what is above it', () => {
    const moved = moveTile(two, 'b', 6, 9);
    expect(at(moved, 'b')).toEqual([6, 0, 6, 2]);
    expect(at(moved, 'a')).toEqual([0, 0, 6, 2]);
  });

  it('moving sideways into a neighbour pushes the neighbour below', () => {
    const side = [tile('a', 0, 0, 6, 2), tile('b', 6, 0, 6, 2)];
    const moved = moveTile(side, 'a', 1, 0);
    expect(at(moved, 'a')).toEqual([1, 0, 6, 2]);
    expect(at(moved, 'b')).toEqual([6, 2, 6, 2]);
  });

  it('growing a tile pushes the tiles below it down, shrinking lets them rise', () => {
    const grown = resizeTile(two, 'a', 8, 5);
    expect(at(grown, 'a')).toEqual([0, 0, 8, 5]);
    expect(at(grown, 'b')).toEqual([0, 5, 6, 2]);
    const shrunk = resizeTile(grown, 'a', 8, 1);
    expect(at(shrunk, 'b')).toEqual([0, 1, 6, 2]);
  });

  it('a resize that would leave the grid keeps the tile inside it', () => {
    const right = [tile('a', 8, 0, 4, 2)];
    expect(at(resizeTile(right, 'a', 6, 2), 'a')).toEqual([6, 0, 6, 2]);
    expect(at(resizeTile(right, 'a', 0, 99), 'a')).toEqual([8, 0, 1, MAX_TILE_ROWS]);
  });

  it('removing a tile lets the tiles below rise', () => {
    expect(removeTile(two, 'a')).toEqual([tile('b', 0, 0, 6, 2)]);
  });

  it('keeps the caller’s list order and leaves the input untouched', () => {
    const input = [tile('z', 0, 4, 6, 2), tile('a', 0, 0, 6, 2)];
    const copy = structuredClone(input);
    const out = moveTile(input, 'a', 3, 0);
    expect(out.map((t) => t.id)).toEqual(['z', 'a']);
    expect(input).toEqual(copy);
  });
});

describe('keyboard steps', () => {
  const grid = [tile('a', 0, 0, 6, 2), tile('b', 6, 0, 6, 3), tile('c', 0, 2, 6, 2)];

  it('left and right move one column, stopping at the edges', () => {
    expect(at(keyboardStep(grid, 'a', 'ArrowLeft'), 'a')).toEqual([0, 0, 6, 2]);
    const right = keyboardStep(grid, 'c', 'ArrowRight');
    // b (rows 0–2 of columns 6–11) shares row 2 with the moved c, so b is pushed below c.
    expect(at(right, 'c')).toEqual([1, 2, 6, 2]);
    expect(at(right, 'b')).toEqual([6, 4, 6, 3]);
    expect(at(keyboardStep(right, 'c', 'ArrowLeft'), 'c')).toEqual([0, 2, 6, 2]);
  });

  it('down moves past the tile below and up moves back', () => {
    const down = keyboardStep(grid, 'a', 'ArrowDown');
    expect(at(down, 'c')).toEqual([0, 0, 6, 2]);
    expect(at(down, 'a')).toEqual([0, 2, 6, 2]);
    expect(keyboardStep(down, 'a', 'ArrowUp')).toEqual(grid);
  });

  it('up at the top and down at the bottom change nothing', () => {
    expect(keyboardStep(grid, 'a', 'ArrowUp')).toEqual(grid);
    expect(keyboardStep(grid, 'c', 'ArrowDown')).toEqual(grid);
  });

  it('shift+arrows resize by one column or row within limits', () => {
    expect(at(keyboardStep(grid, 'a', 'ArrowDown', true), 'a')).toEqual([0, 0, 6, 3]);
    expect(at(keyboardStep(grid, 'a', 'ArrowDown', true), 'c')).toEqual([0, 3, 6, 2]);
    expect(at(keyboardStep(grid, 'a', 'ArrowLeft', true), 'a')).toEqual([0, 0, 5, 2]);
    expect(at(keyboardStep([tile('x', 0, 0, 1, 1)], 'x', 'ArrowLeft', true), 'x')).toEqual([0, 0, 1, 1]);
    expect(at(keyboardStep([tile('x', 0, 0, 1, 1)], 'x', 'ArrowUp', true), 'x')).toEqual([0, 0, 1, 1]);
    const wide = keyboardStep(grid, 'a', 'ArrowRight', true);
    expect(at(wide, 'a')).toEqual([0, 0, 7, 2]);
    expectSound(wide);
  });

  it('an unknown tile id changes nothing', () => {
    expect(keyboardStep(grid, 'nope', 'ArrowDown')).toEqual(grid);
    expect(moveTile(grid, 'nope', 3, 3)).toEqual(grid);
  });
});

describe('layout properties', () => {
  const keys: LayoutKey[] = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'];
  const op = fc.oneof(
    fc.record({ kind: fc.constant('place' as const), w: fc.integer({ min: -2, max: 14 }), h: fc.integer({ min: -1, max: 45 }) }),
    fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), x: fc.integer({ min: -5, max: 20 }), y: fc.integer({ min: -5, max: 60 }) }),
    fc.record({ kind: fc.constant('resize' as const), pick: fc.nat(), w: fc.integer({ min: -2, max: 14 }), h: fc.integer({ min: -1, max: 45 }) }),
    fc.record({ kind: fc.constant('key' as const), pick: fc.nat(), key: fc.constantFrom(...keys), resize: fc.boolean() }),
    fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  );

  it('after any sequence of placements, moves, resizes, key steps and removals no tiles overlap and all stay in the grid', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let layout: LayoutItem[] = [];
        let n = 0;
        for (const o of ops) {
          const target = layout.length ? layout[('pick' in o ? o.pick : 0) % layout.length]!.id : 'none';
          if (o.kind === 'place') layout = placeTile(layout, tile(`t${n++}`, 0, 0, o.w, o.h));
          else if (o.kind === 'move') layout = moveTile(layout, target, o.x, o.y);
          else if (o.kind === 'resize') layout = resizeTile(layout, target, o.w, o.h);
          else if (o.kind === 'key') layout = keyboardStep(layout, target, o.key, o.resize);
          else layout = removeTile(layout, target);
          expectSound(layout);
          expectCompacted(layout);
        }
        expect(layout.length).toBe(ops.filter((o) => o.kind === 'place').length - ops.filter((o) => o.kind === 'remove').length + countNoopRemovals(ops));
      }),
      { numRuns: 400 },
    );
  });

  it('compacting any jumble of tiles gives a sound layout, and compacting again changes nothing', () => {
    const jumble = fc.array(
      fc.record({ x: fc.integer({ min: -3, max: 15 }), y: fc.integer({ min: -3, max: 30 }), w: fc.integer({ min: 0, max: 14 }), h: fc.integer({ min: 0, max: 8 }) }),
      { maxLength: 25 },
    );
    fc.assert(
      fc.property(jumble, (rects) => {
        const once = compact(rects.map((r, i) => ({ id: `t${i}`, ...r })));
        expectSound(once);
        expectCompacted(once);
        expect(compact(once)).toEqual(once);
      }),
      { numRuns: 400 },
    );
  });

  it('a move never loses or duplicates a tile, and the moved tile keeps its size', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ w: fc.integer({ min: 1, max: 12 }), h: fc.integer({ min: 1, max: 6 }) }), { minLength: 1, maxLength: 15 }), fc.nat(), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 30 }), (sizes, pick, x, y) => {
        let layout: LayoutItem[] = [];
        sizes.forEach((s, i) => (layout = placeTile(layout, tile(`t${i}`, 0, 0, s.w, s.h))));
        const id = layout[pick % layout.length]!.id;
        const before = layout.find((t) => t.id === id)!;
        const moved = moveTile(layout, id, x, y);
        expect(moved.map((t) => t.id)).toEqual(layout.map((t) => t.id));
        const after = moved.find((t) => t.id === id)!;
        expect([after.w, after.h]).toEqual([before.w, before.h]);
        expect(after.x).toBe(Math.min(x, GRID_COLUMNS - before.w));
        expect(layoutRows(moved)).toBeLessThanOrEqual(sizes.reduce((sum, s) => sum + s.h, 0));
      }),
      { numRuns: 300 },
    );
  });
});

/** Removals of an empty layout remove nothing; count them so the tile count can be checked exactly. */
function countNoopRemovals(ops: Array<{ kind: string }>): number {
  let size = 0;
  let noops = 0;
  for (const o of ops) {
    if (o.kind === 'place') size++;
    else if (o.kind === 'remove') {
      if (size === 0) noops++;
      else size--;
    }
  }
  return noops;
}
