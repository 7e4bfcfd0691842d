import { StrongroomError } from '../../../../shared/errors.js';
import type { Storage } from '../../sync/types.js';
import { civilFromDays, daysFromCivil, daysInMonth, unpackDay, unpackMonth, unpackYear } from '../../../../shared/analysis/dates.js';

/**
 * The in-memory columnar copy of one extract: one typed array per column, held only in this
 * worker's memory and never written anywhere.
 *
 * Null markers (chosen so that no separate validity array is needed and no column pays for nulls it
 * does not have):
 * - numbers, dates and timestamps: `NaN`. SQLite cannot store NaN (binding one stores NULL), so NaN
 *   in a column always means null, and arithmetic on it propagates null for free;
 * - booleans: {@link BOOL_NULL} (2) beside 0 and 1;
 * - text: code 0, with `dict[0] === null`.
 */

/** Milliseconds in a UTC day. */
export const DAY_MS = 86_400_000;
/** The byte a boolean column holds for null (false is 0, true is 1). */
export const BOOL_NULL = 2;

/** Text codes: the narrowest unsigned array that holds the dictionary's size. */
export type Codes = Uint8Array | Uint16Array | Uint32Array;

/** A numeric column: numbers, or dates/timestamps as epoch milliseconds UTC (fractions keep microseconds). */
export interface NumberColumn {
  readonly kind: 'number' | 'date' | 'timestamp';
  readonly name: string;
  readonly storage: Storage;
  /** One value per row; `NaN` is null. */
  readonly values: Float64Array;
  readonly nullCount: number;
  /** Smallest and largest non-null value (may be ±Infinity); NaN when every value is null. */
  readonly min: number;
  readonly max: number;
  /** Every non-null value is a finite integer (always true for dates). */
  readonly integral: boolean;
}

/** A boolean column: 0 false, 1 true, {@link BOOL_NULL} null. */
export interface BooleanColumn {
  readonly kind: 'boolean';
  readonly name: string;
  readonly storage: Storage;
  readonly values: Uint8Array;
  readonly nullCount: number;
}

/** A dictionary-encoded text column. Dictionary entries are distinct; `dict[0]` is null (code 0). */
export interface TextColumn {
  readonly kind: 'text';
  readonly name: string;
  readonly storage: Storage;
  readonly codes: Codes;
  readonly dict: readonly (string | null)[];
  readonly nullCount: number;
}

export type Column = NumberColumn | BooleanColumn | TextColumn;

/** One loaded extract. Immutable once built; engines only read it. */
export class ColumnarTable {
  private readonly byName: Map<string, Column>;
  private readonly bytes: number;

  /** Use {@link TableBuilder}; the arrays must all hold `rowCount` rows. */
  constructor(
    readonly rowCount: number,
    readonly columns: readonly Column[],
  ) {
    this.byName = new Map(columns.map((c) => [c.name, c]));
    this.bytes = columns.reduce((sum, c) => sum + columnBytes(c), 0);
  }

  /** The named column, or undefined. */
  column(name: string): Column | undefined {
    return this.byName.get(name);
  }

  /**
   * Bytes held, for the memory budget: typed arrays exactly, dictionary strings estimated from their
   * length (V8 keeps Latin-1 strings at one byte per character, others at two; the object header and
   * the array slot add about 24 bytes).
   */
  byteSize(): number {
    return this.bytes;
  }
}

function columnBytes(c: Column): number {
  if (c.kind !== 'text') return c.values.byteLength;
  let bytes = c.codes.byteLength;
  for (const s of c.dict) bytes += s === null ? 8 : 24 + s.length * (isLatin1(s) ? 1 : 2);
  return bytes;
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

/** What a column of the cache table is: its name there and its storage class. */
export interface ColumnSpec {
  name: string;
  storage: Storage;
}

/**
 * Builds a {@link ColumnarTable} from row chunks as SQLite hands them back with `.raw()`: numbers (or
 * BigInt beyond 2^53), 0/1 booleans, `YYYY-MM-DD` dates, ISO timestamp text and strings; null anywhere.
 */
export class TableBuilder {
  private readonly builders: ColumnBuilder[];
  private rows = 0;
  private capacity: number;

  /** `capacityHint`: the expected row count, to allocate once instead of growing. */
  constructor(columns: readonly ColumnSpec[], capacityHint = 1024) {
    this.capacity = Math.max(16, Math.floor(capacityHint));
    this.builders = columns.map((c) => newBuilder(c, this.capacity));
  }

  /** Rows appended so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** Appends rows; column i of the table is `row[firstColumn + i]`. */
  appendRows(rows: readonly (readonly unknown[])[], firstColumn = 0): void {
    const needed = this.rows + rows.length;
    if (needed > this.capacity) {
      // 1.5× growth: doubling a 10M-row table's arrays would overshoot the budget by more.
      this.capacity = Math.max(needed, Math.ceil(this.capacity * 1.5));
      for (const b of this.builders) b.grow(this.capacity, this.rows);
    }
    for (let c = 0; c < this.builders.length; c++) this.builders[c]!.append(rows, firstColumn + c, this.rows);
    this.rows = needed;
  }

  /** The finished table. The builder must not be used afterwards. */
  finish(): ColumnarTable {
    return new ColumnarTable(
      this.rows,
      this.builders.map((b) => b.finish(this.rows)),
    );
  }
}

interface ColumnBuilder {
  grow(capacity: number, used: number): void;
  append(rows: readonly (readonly unknown[])[], index: number, at: number): void;
  finish(rows: number): Column;
}

function newBuilder(spec: ColumnSpec, capacity: number): ColumnBuilder {
  switch (spec.storage) {
    case 'integer':
    case 'bigint':
    case 'real':
      return new NumberBuilder(spec, 'number', capacity);
    case 'date':
      return new NumberBuilder(spec, 'date', capacity);
    case 'timestamp':
      return new NumberBuilder(spec, 'timestamp', capacity);
    case 'boolean':
      return new BooleanBuilder(spec, capacity);
    case 'text':
      return new TextBuilder(spec, capacity);
    default:
      throw new StrongroomError('INTERNAL', `Unknown storage class ${String(spec.storage)} for column ${spec.name}`);
  }
}

/** Keeps a typed array exactly `rows` long, copying only when the slack is worth returning. */
function trim<T extends Float64Array | Uint8Array | Uint16Array | Uint32Array>(a: T, rows: number): T {
  if (a.length === rows) return a;
  return (a.length - rows > a.length / 16 ? a.slice(0, rows) : a.subarray(0, rows)) as T;
}

class NumberBuilder implements ColumnBuilder {
  private values: Float64Array;
  constructor(
    private readonly spec: ColumnSpec,
    private readonly kind: NumberColumn['kind'],
    capacity: number,
  ) {
    this.values = new Float64Array(capacity);
  }

  grow(capacity: number, used: number): void {
    const next = new Float64Array(capacity);
    next.set(this.values.subarray(0, used));
    this.values = next;
  }

  append(rows: readonly (readonly unknown[])[], index: number, at: number): void {
    const out = this.values;
    const n = rows.length;
    if (this.kind === 'number') {
      for (let r = 0; r < n; r++) {
        const v = rows[r]![index];
        out[at + r] = typeof v === 'number' ? v : toNumber(v);
      }
    } else if (this.kind === 'timestamp') {
      for (let r = 0; r < n; r++) {
        const v = rows[r]![index];
        out[at + r] = typeof v === 'string' ? parseTimestamp(v) : toNumber(v);
      }
    } else {
      for (let r = 0; r < n; r++) {
        const v = rows[r]![index];
        out[at + r] = typeof v === 'string' ? parseDate(v) : toNumber(v);
      }
    }
  }

  finish(rows: number): NumberColumn {
    const values = trim(this.values, rows);
    let min = Infinity;
    let max = -Infinity;
    let nulls = 0;
    let integral = true;
    for (let i = 0; i < rows; i++) {
      const v = values[i]!;
      if (v !== v) {
        nulls++;
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
      if (integral && Math.floor(v) !== v) integral = false; // also false for ±Infinity (NaN ≠ ±Infinity)
    }
    if (nulls === rows) {
      min = NaN;
      max = NaN;
    }
    return { kind: this.kind, name: this.spec.name, storage: this.spec.storage, values, nullCount: nulls, min, max, integral };
  }
}

function toNumber(v: unknown): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return v.trim() === '' ? NaN : Number(v);
  return typeof v === 'number' ? v : NaN;
}

class BooleanBuilder implements ColumnBuilder {
  private values: Uint8Array;
  constructor(
    private readonly spec: ColumnSpec,
    capacity: number,
  ) {
    this.values = new Uint8Array(capacity);
  }

  grow(capacity: number, used: number): void {
    const next = new Uint8Array(capacity);
    next.set(this.values.subarray(0, used));
    this.values = next;
  }

  append(rows: readonly (readonly unknown[])[], index: number, at: number): void {
    const out = this.values;
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r]![index];
      out[at + r] = v === null || v === undefined ? BOOL_NULL : v === 0 || v === false || v === 0n || v === '0' || v === 'f' || v === 'false' ? 0 : 1;
    }
  }

  finish(rows: number): BooleanColumn {
    const values = trim(this.values, rows);
    let nulls = 0;
    for (let i = 0; i < rows; i++) if (values[i] === BOOL_NULL) nulls++;
    return { kind: 'boolean', name: this.spec.name, storage: this.spec.storage, values, nullCount: nulls };
  }
}

class TextBuilder implements ColumnBuilder {
  private codes: Codes;
  private readonly dict: (string | null)[] = [null];
  // Only needed while building; dropped in finish() (it costs as much again as the dictionary).
  private lookup: Map<string, number> | null = new Map();
  private nulls = 0;

  constructor(
    private readonly spec: ColumnSpec,
    capacity: number,
  ) {
    this.codes = new Uint8Array(capacity);
  }

  grow(capacity: number, used: number): void {
    const next = new (this.codes.constructor as new (n: number) => Codes)(capacity);
    next.set(this.codes.subarray(0, used));
    this.codes = next;
  }

  private widen(used: number): void {
    const next = this.codes instanceof Uint8Array ? new Uint16Array(this.codes.length) : new Uint32Array(this.codes.length);
    next.set(this.codes.subarray(0, used));
    this.codes = next;
  }

  append(rows: readonly (readonly unknown[])[], index: number, at: number): void {
    const lookup = this.lookup!;
    const dict = this.dict;
    let codes = this.codes;
    let limit = codes instanceof Uint8Array ? 0x100 : codes instanceof Uint16Array ? 0x10000 : Infinity;
    let last: string | null = null;
    let lastCode = 0;
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r]![index];
      if (v === null || v === undefined) {
        codes[at + r] = 0;
        this.nulls++;
        continue;
      }
      const s = typeof v === 'string' ? v : String(v);
      // Sorted or clustered extracts repeat values in runs; comparing with the previous one is cheaper than hashing.
      if (s === last) {
        codes[at + r] = lastCode;
        continue;
      }
      let code = lookup.get(s);
      if (code === undefined) {
        code = dict.length;
        if (code >= limit) {
          this.widen(at + r);
          codes = this.codes;
          limit = codes instanceof Uint16Array ? 0x10000 : Infinity;
        }
        dict.push(s);
        lookup.set(s, code);
      }
      codes[at + r] = code;
      last = s;
      lastCode = code;
    }
  }

  finish(rows: number): TextColumn {
    this.lookup = null;
    return { kind: 'text', name: this.spec.name, storage: this.spec.storage, codes: trim(this.codes, rows), dict: this.dict, nullCount: this.nulls };
  }
}

// ---- Calendar arithmetic (proleptic Gregorian, UTC), integer-only so hot loops allocate nothing ----

export { civilFromDays, daysFromCivil, daysInMonth, unpackDay, unpackMonth, unpackYear };

const D0 = 48;

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - D0;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/**
 * `YYYY-MM-DD` → epoch ms at midnight UTC; NaN when malformed. `infinity`/`-infinity` (PostgreSQL's
 * specials, stored as text) become ±Infinity. Hand-written: Date.parse is several times slower.
 */
export function parseDate(s: string): number {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return parseSpecial(s);
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) return NaN;
  return daysFromCivil(y, m, d) * DAY_MS;
}

/**
 * ISO timestamp text as the cache stores it (`YYYY-MM-DDTHH:MM:SS[.ffffff][Z]`, a space accepted for
 * the T; no Z means UTC too) → epoch ms, the fraction kept to the microsecond; NaN when malformed.
 */
export function parseTimestamp(s: string): number {
  const len = s.length;
  const sep = s.charCodeAt(10);
  if (len < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return len === 10 ? parseDate(s) : parseSpecial(s);
  }
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59 && sec <= 59)) return NaN;
  let i = 19;
  let micros = 0;
  if (i < len && s.charCodeAt(i) === 46) {
    i++;
    let f = 0;
    let k = 0;
    while (i < len) {
      const c = s.charCodeAt(i) - D0;
      if (c < 0 || c > 9) break;
      f = f * 10 + c;
      k++;
      i++;
    }
    if (k === 0) return NaN;
    micros = k <= 6 ? f * 10 ** (6 - k) : Math.round(f / 10 ** (k - 6));
  }
  if (i < len && s.charCodeAt(i) === 90) i++;
  else if (i + 3 === len && s.endsWith('+00')) i += 3;
  if (i !== len) return NaN;
  const whole = ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60_000 + sec * 1000;
  return micros === 0 ? whole : whole + micros / 1000;
}

function parseSpecial(s: string): number {
  if (s === 'infinity') return Infinity;
  if (s === '-infinity') return -Infinity;
  return NaN;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatYear(y: number): string {
  // Date#toISOString's convention: four digits in 0..9999, else a sign and six digits.
  if (y >= 0 && y <= 9999) return pad(y, 4);
  return (y < 0 ? '-' : '+') + pad(Math.abs(y), 6);
}

/** Epoch ms → `YYYY-MM-DD` (UTC). ±Infinity → `infinity`/`-infinity`. */
export function formatDate(ms: number): string {
  if (!Number.isFinite(ms)) return ms > 0 ? 'infinity' : '-infinity';
  const p = civilFromDays(Math.floor(ms / DAY_MS));
  return `${formatYear(unpackYear(p))}-${pad(unpackMonth(p), 2)}-${pad(unpackDay(p), 2)}`;
}

/**
 * Epoch ms → exactly what `new Date(ms).toISOString()` prints (the fraction truncated toward zero to
 * the millisecond), but without throwing beyond Date's ±8.64e15 range, which PostgreSQL timestamps
 * can exceed. ±Infinity → `infinity`/`-infinity`.
 */
export function formatTimestamp(ms: number): string {
  if (!Number.isFinite(ms)) return ms > 0 ? 'infinity' : '-infinity';
  const t = Math.trunc(ms);
  const day = Math.floor(t / DAY_MS);
  let rest = t - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  const p = civilFromDays(day);
  return `${formatYear(unpackYear(p))}-${pad(unpackMonth(p), 2)}-${pad(unpackDay(p), 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(sec, 2)}.${pad(milli, 3)}Z`;
}
