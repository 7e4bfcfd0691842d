import { describe, expect, it } from 'vitest';
import { CopyTextParser, parseLine } from '../../electron/worker/sync/copy-text.js';
import { converterFor, storageFor } from '../../electron/worker/sync/types.js';

describe('COPY text parser', () => {
  it('splits fields, reads NULL and unescapes backslash sequences', () => {
    expect(parseLine('1\tИванов\t\\N\ta\\tb\\nc\\\\d\t\\101\\x42')).toEqual(['1', 'Иванов', null, 'a\tb\nc\\d', 'AB']);
    expect(parseLine('')).toEqual(['']);
  });

  it('reassembles rows and multi-byte characters split across chunks', () => {
    const text = Buffer.from('1\tПетров Пётр\t\\N\n2\tСидорова Анна\tx\n');
    const rows: Array<Array<string | null>> = [];
    const parser = new CopyTextParser();
    // Split inside a Cyrillic character and inside a row.
    for (const [a, b] of [[0, 5], [5, 9], [9, 30], [30, text.length]] as const) parser.push(text.subarray(a, b), (r) => rows.push(r));
    parser.end((r) => rows.push(r));
    expect(rows).toEqual([
      ['1', 'Петров Пётр', null],
      ['2', 'Сидорова Анна', 'x'],
    ]);
  });
});

describe('type mapping', () => {
  it('maps PostgreSQL types to storage and converts values', () => {
    expect(storageFor('numeric(14,2)')).toBe('real');
    expect(storageFor('timestamp with time zone')).toBe('timestamp');
    expect(storageFor('character varying(40)')).toBe('text');
    expect(converterFor('real')('1843250.75')).toBe(1843250.75);
    expect(converterFor('bigint')('9007199254740993')).toBe(9007199254740993n);
    expect(converterFor('boolean')('t')).toBe(1);
    expect(converterFor('timestamp')('2024-03-08 10:15:00+00')).toBe('2024-03-08T10:15:00Z');
  });
});
