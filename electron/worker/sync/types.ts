/**
 * How a warehouse column is kept in the cache. Values arrive as COPY text; each storage class says
 * the SQLite column type and how to convert the text. The session runs with TimeZone=UTC and
 * DateStyle=ISO, so dates and timestamps arrive in one known shape.
 */
export type Storage = 'integer' | 'bigint' | 'real' | 'boolean' | 'date' | 'timestamp' | 'text';

export interface ColumnInfo {
  name: string;
  /** PostgreSQL's type as `format_type` prints it, e.g. `numeric(14,2)`. */
  pgType: string;
  storage: Storage;
}

export function storageFor(pgType: string): Storage {
  const t = pgType.toLowerCase();
  if (t === 'smallint' || t === 'integer') return 'integer';
  if (t === 'bigint') return 'bigint';
  if (t.startsWith('numeric') || t === 'real' || t === 'double precision') return 'real';
  if (t === 'boolean') return 'boolean';
  if (t === 'date') return 'date';
  if (t.startsWith('timestamp')) return 'timestamp';
  return 'text';
}

export function sqliteType(storage: Storage): string {
  switch (storage) {
    case 'integer':
    case 'bigint':
    case 'boolean':
      return 'INTEGER';
    case 'real':
      return 'REAL';
    default:
      return 'TEXT';
  }
}

export type Converter = (text: string) => string | number | bigint;

/** Converters from COPY text to the value stored. Null is handled by the caller. */
export function converterFor(storage: Storage): Converter {
  switch (storage) {
    case 'integer':
      return (s) => Number(s);
    case 'bigint':
      // Beyond 2^53 a JS number loses digits; SQLite's INTEGER holds all 64 bits.
      return (s) => (s.length < 16 ? Number(s) : BigInt(s));
    case 'real':
      return Number; // 'NaN', 'Infinity' and '-Infinity' included
    case 'boolean':
      return (s) => (s === 't' ? 1 : 0);
    case 'timestamp':
      // '2024-03-08 10:15:00[.ffffff]+00' (UTC session) or without zone → ISO 8601 with T, Z when zoned.
      // Slicing, not regexes: this runs for every timestamp of every row.
      return (s) => {
        if (s.charCodeAt(10) !== 32) return s; // 'infinity' and other specials pass through
        const zoned = s.endsWith('+00');
        return `${s.slice(0, 10)}T${s.slice(11, zoned ? -3 : undefined)}${zoned ? 'Z' : ''}`;
      };
    default:
      return (s) => s;
  }
}
