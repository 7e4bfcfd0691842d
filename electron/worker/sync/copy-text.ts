import { StringDecoder } from 'node:string_decoder';

/**
 * Streaming parser for PostgreSQL's COPY text format: rows end in "\n", fields are separated by
 * "\t", "\N" is NULL, and backslash escapes (\\ \t \n \r \b \f \v, octal \ddd, hex \xhh) stand for
 * their characters. Chunks may split rows and multi-byte characters anywhere.
 */
export class CopyTextParser {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  /** Feeds one chunk; calls `onRow` for every complete row in it. */
  push(chunk: Buffer, onRow: (fields: Array<string | null>) => void): void {
    const text = this.rest + this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end === -1) break;
      onRow(parseLine(text.slice(start, end)));
      start = end + 1;
    }
    this.rest = text.slice(start);
  }

  /** Call at the end of the stream; a trailing row without "\n" is an error in COPY output. */
  end(onRow: (fields: Array<string | null>) => void): void {
    const text = this.rest + this.decoder.end();
    this.rest = '';
    if (text.length > 0) onRow(parseLine(text));
  }
}

export function parseLine(line: string): Array<string | null> {
  const raw = line.split('\t');
  for (let i = 0; i < raw.length; i++) {
    const field = raw[i]!;
    if (field === '\\N') (raw as Array<string | null>)[i] = null;
    else if (field.includes('\\')) raw[i] = unescapeField(field);
  }
  return raw;
}

const SIMPLE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

function unescapeField(field: string): string {
  let out = '';
  for (let i = 0; i < field.length; i++) {
    const ch = field[i]!;
    if (ch !== '\\' || i === field.length - 1) {
      out += ch;
      continue;
    }
    const next = field[i + 1]!;
    if (SIMPLE[next] !== undefined) {
      out += SIMPLE[next];
      i++;
    } else if (next === 'x' && /^[0-9a-fA-F]/.test(field[i + 2] ?? '')) {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(field.slice(i + 2))![0];
      out += String.fromCharCode(parseInt(hex, 16));
      i += 1 + hex.length;
    } else if (/[0-7]/.test(next)) {
      const oct = /^[0-7]{1,3}/.exec(field.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(oct, 8));
      i += oct.length;
    } else {
      out += next;
      i++;
    }
  }
  return out;
}
