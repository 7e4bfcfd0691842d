// Just enough of the PostgreSQL v3 wire protocol for the demo server: framing of what clients send,
// the few messages the server writes itself, and a scanner that follows what PGlite answers.

/** Special startup codes (a length of 8 or 16 and one of these instead of a protocol version). */
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;
export const PROTOCOL_MAJOR_3 = 3;

function frame(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const cstr = (s: string) => Buffer.from(`${s}\0`, 'utf8');

/** ErrorResponse with severity, SQLSTATE and message; FATAL ones are followed by closing the socket. */
export function errorResponse(severity: 'ERROR' | 'FATAL', code: string, message: string): Buffer {
  return frame('E', Buffer.concat([cstr(`S${severity}`), cstr(`V${severity}`), cstr(`C${code}`), cstr(`M${message}`), Buffer.from([0])]));
}

export function authenticationOk(): Buffer {
  const body = Buffer.alloc(4);
  body.writeInt32BE(0, 0);
  return frame('R', body);
}

export function parameterStatus(name: string, value: string): Buffer {
  return frame('S', Buffer.concat([cstr(name), cstr(value)]));
}

export function backendKeyData(processId: number, secret: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeInt32BE(processId, 0);
  body.writeInt32BE(secret, 4);
  return frame('K', body);
}

export function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return frame('Z', Buffer.from(status, 'latin1'));
}

/** NegotiateProtocolVersion: we speak 3.0 and none of the `_pq_.` options asked for. */
export function negotiateProtocolVersion(minor: number, unsupported: readonly string[]): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(minor, 0);
  head.writeInt32BE(unsupported.length, 4);
  return frame('v', Buffer.concat([head, ...unsupported.map(cstr)]));
}

/** A frontend simple Query message, for the statements the server runs on a client's behalf. */
export function queryMessage(sql: string): Buffer {
  return frame('Q', cstr(sql));
}

/** A frontend Sync message: ends any extended-protocol exchange a vanished client left open. */
export function syncMessage(): Buffer {
  return frame('S', Buffer.alloc(0));
}

/** A StartupMessage's protocol version and parameters (`user`, `database`, `application_name`, …). */
export interface Startup {
  major: number;
  minor: number;
  params: Map<string, string>;
}

export function parseStartup(message: Buffer): Startup {
  const version = message.readInt32BE(4);
  const params = new Map<string, string>();
  const parts = message.subarray(8).toString('utf8').split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const key = parts[i]!;
    if (key === '') break;
    params.set(key, parts[i + 1]!);
  }
  return { major: version >>> 16, minor: version & 0xffff, params };
}

/** Typed frontend message: its type byte and the whole frame (type, length, body). */
export interface FrontendMessage {
  type: string;
  bytes: Buffer;
}

/** Splits complete typed messages off the front of `buffer`; returns them and the unconsumed rest. */
export function splitMessages(buffer: Buffer, maxLength: number): { messages: FrontendMessage[]; rest: Buffer } {
  const messages: FrontendMessage[] = [];
  let at = 0;
  while (buffer.length - at >= 5) {
    const length = buffer.readInt32BE(at + 1);
    if (length < 4 || length > maxLength) throw new Error(`invalid message length ${length}`);
    if (buffer.length - at < 1 + length) break;
    messages.push({ type: String.fromCharCode(buffer[at]!), bytes: buffer.subarray(at, at + 1 + length) });
    at += 1 + length;
  }
  return { messages, rest: buffer.subarray(at) };
}

/** The SQL text of a Query ('Q') or Parse ('P') message. */
export function sqlOf(message: FrontendMessage): string | undefined {
  const body = message.bytes.subarray(5);
  if (message.type === 'Q') return body.subarray(0, Math.max(0, body.indexOf(0))).toString('utf8');
  if (message.type === 'P') {
    const nameEnd = body.indexOf(0);
    const queryEnd = body.indexOf(0, nameEnd + 1);
    return body.subarray(nameEnd + 1, queryEnd).toString('utf8');
  }
  return undefined;
}

/** The same Query or Parse message with its SQL replaced (Parse keeps its name and parameter types). */
export function withSql(message: FrontendMessage, sql: string): FrontendMessage {
  const body = message.bytes.subarray(5);
  if (message.type === 'Q') return { type: 'Q', bytes: frame('Q', cstr(sql)) };
  const nameEnd = body.indexOf(0);
  const queryEnd = body.indexOf(0, nameEnd + 1);
  return { type: 'P', bytes: frame('P', Buffer.concat([body.subarray(0, nameEnd + 1), cstr(sql), body.subarray(queryEnd + 1)])) };
}

/**
 * Follows the backend's output across arbitrary chunk boundaries, remembering the type of the last
 * complete message and the status byte of the last ReadyForQuery ('I' idle, 'T' in a transaction,
 * 'E' in a failed transaction).
 */
export class BackendScanner {
  private head: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private wantStatus = false;
  /** Type byte of the last message whose header has been seen. */
  lastType = '';
  /** Status of the last ReadyForQuery seen, '' if none. */
  status = '';

  feed(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        if (this.wantStatus) {
          this.status = String.fromCharCode(chunk[i]!);
          this.wantStatus = false;
        }
        const n = Math.min(this.remaining, chunk.length - i);
        i += n;
        this.remaining -= n;
        continue;
      }
      const take = Math.min(5 - this.head.length, chunk.length - i);
      this.head = Buffer.concat([this.head, chunk.subarray(i, i + take)]);
      i += take;
      if (this.head.length < 5) break;
      this.lastType = String.fromCharCode(this.head[0]!);
      this.remaining = this.head.readInt32BE(1) - 4;
      this.wantStatus = this.lastType === 'Z' && this.remaining > 0;
      this.head = Buffer.alloc(0);
    }
  }

  /** True when the output so far ends exactly after a ReadyForQuery. */
  get endsReady(): boolean {
    return this.lastType === 'Z' && this.remaining === 0 && this.head.length === 0;
  }
}
