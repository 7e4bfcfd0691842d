import type { PGlite } from '@electric-sql/pglite';
import { randomInt } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import {
  BackendScanner,
  CANCEL_REQUEST,
  GSSENC_REQUEST,
  PROTOCOL_MAJOR_3,
  SSL_REQUEST,
  authenticationOk,
  backendKeyData,
  errorResponse,
  negotiateProtocolVersion,
  parameterStatus,
  parseStartup,
  queryMessage,
  readyForQuery,
  splitMessages,
  sqlOf,
  syncMessage,
  withSql,
  type FrontendMessage,
} from './wire';

/*
 * A PostgreSQL wire-protocol front end for one PGlite database that gives every connection the role
 * it logged in as.
 *
 * NOT A SECURITY BOUNDARY. Passwords are never asked for: any client that can reach the port may log
 * in as any role that has LOGIN, including the superuser, and a connected client can switch roles
 * (SET SESSION AUTHORIZATION works because PGlite's one session is the superuser's). It exists so that
 * the demo warehouse and the tests can exercise row-level security and column privileges through a
 * real `pg` client; it listens on 127.0.0.1 only.
 *
 * Why not @electric-sql/pglite-socket's server: it forwards the startup message to PGlite, which
 * answers for its own superuser session, and its per-connection hook (the query queue) is not
 * exported. This front end follows the same approach (one PGlite, access serialised with
 * runExclusive, raw protocol bytes in and out through execProtocolRawStream) and adds what a role
 * needs:
 *
 * - The startup message is answered here: unknown roles and roles without LOGIN get the FATAL error
 *   PostgreSQL would send (SQLSTATE 28000); others get AuthenticationOk.
 * - PGlite has exactly one session, shared by every connection. A connection takes it (the "lease")
 *   for a batch of messages up to Sync or Query, running SET SESSION AUTHORIZATION <role> first, and
 *   keeps it until PGlite reports the session idle again (ReadyForQuery 'I'). So a transaction, or an
 *   extended-protocol exchange split over several packets, runs with no other connection in between.
 *   When idle the session goes back to the superuser, so in-process users of the PGlite handle are
 *   unaffected.
 * - A connection that holds the lease in a transaction and stays silent longer than
 *   idleInTransactionTimeoutMs is terminated (SQLSTATE 25P03) and rolled back; one that disconnects
 *   is rolled back at once.
 * - COPY ... FROM STDIN is refused with SQLSTATE 0A000 before it reaches PGlite, whose wasm runtime
 *   exits the process on it. Load data in-process instead. COPY ... TO STDOUT works.
 *
 * Other session state (SET variables, prepared statement names, temporary tables, LISTEN) is shared
 * by all connections; cancel requests are ignored.
 */

/** Options of {@link startRoleServer}. */
export interface RoleServerOptions {
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /**
   * A connection inside a transaction (or mid extended-protocol exchange) that sends nothing for this
   * long is terminated and rolled back, freeing the session for everyone else. Default 300 000 ms.
   */
  idleInTransactionTimeoutMs?: number;
  /** Connections beyond this many are refused (SQLSTATE 53300). Default 64. */
  maxConnections?: number;
}

/** A running {@link startRoleServer}. */
export interface RoleServer {
  host: '127.0.0.1';
  port: number;
  /** `postgres://<role>@127.0.0.1:<port>/postgres`; any password a client adds is ignored. */
  url(role: string): string;
  /** Stops listening, terminates every connection (rolling back open transactions). Does not close the PGlite database. */
  stop(): Promise<void>;
}

const MAX_MESSAGE = 256 * 1024 * 1024;
// Message types that end a batch: PGlite must answer before the client sends more.
const FLUSHING = new Set(['S', 'Q', 'H', 'F']);
// Outside COPY IN the backend ignores these; PGlite must never see them.
const COPY_IN = new Set(['d', 'c', 'f']);
const COPY_FROM_STDIN = /\bcopy\b[\s\S]*?\bfrom\s+stdin\b/i;
const COPY_REFUSAL =
  "DO $strongroom$ BEGIN RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = 'COPY FROM STDIN is not supported by the Strongroom demo warehouse server; load data in-process'; END $strongroom$";

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Serialises use of PGlite's single session between connections (and in-process callers). */
class SessionGate {
  constructor(
    private readonly db: PGlite,
    private readonly admin: string,
  ) {}

  /** Takes PGlite's query lock and switches the session to `role`; resolves to the release function. */
  async acquire(role: string): Promise<() => Promise<void>> {
    for (;;) {
      const unlock = await new Promise<() => void>((resolve, reject) => {
        this.db.runExclusive(() => new Promise<void>((done) => resolve(done))).catch(reject);
      });
      // An in-process db.transaction() holds the session between its statements without the lock.
      if (this.db.isInTransaction()) {
        unlock();
        await new Promise((r) => setTimeout(r, 2));
        continue;
      }
      try {
        await this.run(`SET SESSION AUTHORIZATION ${quoteIdent(role)}`);
      } catch (error) {
        unlock();
        throw error;
      }
      return async () => {
        try {
          await this.run(`SET SESSION AUTHORIZATION ${quoteIdent(this.admin)}`);
        } finally {
          unlock();
        }
      };
    }
  }

  /** Runs a statement while holding the lock; rejects if the output holds an ErrorResponse. */
  async run(sql: string): Promise<void> {
    const error = firstError(await execCollect(this.db, queryMessage(sql)));
    if (error) throw new Error(error);
  }
}

/**
 * Raw protocol round trip that returns the output. Hazard: PGlite's execProtocolRawStream leaves its
 * onRawData callback installed and execProtocolRaw then streams into it, so output of a later
 * execProtocolRaw would reach the previous client's socket. Every raw call here therefore goes
 * through execProtocolRawStream with its own callback.
 */
async function execCollect(db: PGlite, bytes: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await db.execProtocolRawStream(bytes, { onRawData: (data) => chunks.push(Buffer.from(data)) });
  return Buffer.concat(chunks);
}

function firstError(out: Buffer): string | undefined {
  let at = 0;
  while (at + 5 <= out.length) {
    const type = String.fromCharCode(out[at]!);
    const length = out.readInt32BE(at + 1);
    if (type === 'E') {
      const fields = out.subarray(at + 5, at + 1 + length).toString('utf8').split('\0');
      return fields.find((f) => f.startsWith('M'))?.slice(1) ?? 'error';
    }
    at += 1 + length;
  }
  return undefined;
}

interface ServerContext {
  db: PGlite;
  gate: SessionGate;
  parameters: [string, string][];
  idleInTransactionTimeoutMs: number;
  nextProcessId: () => number;
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private role = '';
  private release: (() => Promise<void>) | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private ending = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: ServerContext,
    private readonly onDone: () => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
      this.enqueue(() => this.pump());
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.closed = true;
      this.clearIdleTimer();
      this.enqueue(() => this.finish());
    });
  }

  /** Closes the connection with a FATAL error (the client sees it before the socket ends). */
  terminate(code: string, message: string): void {
    if (this.closed || this.ending) return;
    this.write(errorResponse('FATAL', code, message));
    this.ending = true;
    this.socket.end();
    // A client that stops reading would keep the socket (and the session lease) forever.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch(() => {
      // An exception here is the server's fault, not the client's: drop the connection rather than
      // leave it half-answered. finish() still runs from the 'close' handler.
      this.socket.destroy();
    });
  }

  private write(bytes: Buffer | Uint8Array): void {
    if (!this.closed && !this.ending && this.socket.writable) this.socket.write(bytes);
  }

  private async pump(): Promise<void> {
    while (!this.closed && !this.ending) {
      if (!this.started) {
        if (!(await this.startup())) return;
        continue;
      }
      const { messages, rest } = splitMessages(this.buffer, MAX_MESSAGE);
      const end = messages.findIndex((m) => FLUSHING.has(m.type) || m.type === 'X');
      if (end < 0) return;
      const batch = messages.slice(0, end + 1);
      this.buffer = Buffer.concat([...messages.slice(end + 1).map((m) => m.bytes), rest]);
      const terminate = batch[batch.length - 1]!.type === 'X';
      const forward = batch.filter((m) => m.type !== 'X' && !COPY_IN.has(m.type)).map(refuseCopyFromStdin);
      if (forward.length) await this.execute(Buffer.concat(forward.map((m) => m.bytes)));
      if (terminate) {
        this.socket.end();
        return;
      }
    }
  }

  /** Handles SSL/GSS/cancel requests and the startup message; false while more bytes are needed. */
  private async startup(): Promise<boolean> {
    if (this.buffer.length < 8) return false;
    const length = this.buffer.readInt32BE(0);
    if (length < 8 || length > 10_000) {
      this.terminate('08P01', 'invalid startup packet length');
      return false;
    }
    if (this.buffer.length < length) return false;
    const packet = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    const code = packet.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      this.write(Buffer.from('N'));
      return true;
    }
    if (code === CANCEL_REQUEST) {
      // PGlite cannot interrupt a statement; like pglite-socket, drop the request.
      this.socket.end();
      return false;
    }
    const startup = parseStartup(packet);
    if (startup.major !== PROTOCOL_MAJOR_3) {
      this.terminate('0A000', `unsupported frontend protocol ${startup.major}.${startup.minor}: server supports 3.0`);
      return false;
    }
    const user = startup.params.get('user');
    if (!user) {
      this.terminate('28000', 'no PostgreSQL user name specified in startup packet');
      return false;
    }
    const rows = await this.ctx.db.query<{ rolcanlogin: boolean; rolsuper: boolean }>('SELECT rolcanlogin, rolsuper FROM pg_catalog.pg_roles WHERE rolname = $1', [user]);
    const role = rows.rows[0];
    if (!role) {
      this.terminate('28000', `role "${user}" does not exist`);
      return false;
    }
    if (!role.rolcanlogin) {
      this.terminate('28000', `role "${user}" is not permitted to log in`);
      return false;
    }
    this.role = user;
    this.started = true;
    const unsupported = [...startup.params.keys()].filter((k) => k.startsWith('_pq_.'));
    const out: Buffer[] = [authenticationOk()];
    if (startup.minor > 0 || unsupported.length) out.push(negotiateProtocolVersion(0, unsupported));
    for (const [name, value] of this.ctx.parameters) out.push(parameterStatus(name, value));
    out.push(
      parameterStatus('application_name', startup.params.get('application_name') ?? ''),
      parameterStatus('session_authorization', user),
      parameterStatus('is_superuser', role.rolsuper ? 'on' : 'off'),
      backendKeyData(this.ctx.nextProcessId(), randomInt(0, 2 ** 31 - 1)),
      readyForQuery('I'),
    );
    this.write(Buffer.concat(out));
    return true;
  }

  private async execute(bytes: Buffer): Promise<void> {
    this.clearIdleTimer();
    if (!this.release) {
      try {
        this.release = await this.ctx.gate.acquire(this.role);
      } catch (error) {
        this.terminate('28000', `cannot switch to role "${this.role}": ${(error as Error).message}`);
        return;
      }
    }
    const scanner = new BackendScanner();
    await this.ctx.db.execProtocolRawStream(bytes, {
      onRawData: (data) => {
        // The chunk is a view into wasm memory that the next call reuses: copy it.
        const chunk = Buffer.from(data);
        scanner.feed(chunk);
        this.write(chunk);
      },
    });
    if (scanner.endsReady && scanner.status === 'I') {
      const release = this.release;
      this.release = undefined;
      await release();
    } else if (!this.closed && !this.ending) {
      this.idleTimer = setTimeout(
        () => this.terminate('25P03', 'terminating connection due to idle-in-transaction timeout'),
        this.ctx.idleInTransactionTimeoutMs,
      );
    }
    // Bound memory on large COPY TO STDOUT results: let the socket drain before the next batch.
    if (this.socket.writableNeedDrain && !this.closed) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.on('drain', done);
        this.socket.on('close', done);
      });
    }
  }

  private async finish(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    try {
      if (release) {
        // End whatever the client left open: an extended-protocol exchange (Sync), a transaction.
        await execCollect(this.ctx.db, Buffer.concat([syncMessage(), queryMessage('ROLLBACK')]));
        await release();
      }
    } finally {
      this.onDone();
    }
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

function refuseCopyFromStdin(message: FrontendMessage): FrontendMessage {
  const sql = sqlOf(message);
  return sql !== undefined && COPY_FROM_STDIN.test(sql) ? withSql(message, COPY_REFUSAL) : message;
}

/**
 * Serves `db` over the PostgreSQL wire protocol on 127.0.0.1, each connection running as the role in
 * its startup message (no password is asked for; see the module comment: this is no security
 * boundary). The caller keeps ownership of `db`; in-process `query`/`exec`/`transaction` calls keep
 * working between the clients' statements and run as the superuser. Do not call `execProtocolRaw` on
 * `db` while the server runs: PGlite would stream its output into the last client's callback.
 */
export async function startRoleServer(db: PGlite, options: RoleServerOptions = {}): Promise<RoleServer> {
  await db.waitReady;
  const who = await db.query<{ admin: string; superuser: boolean }>(
    'SELECT current_user AS admin, (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AS superuser',
  );
  const admin = who.rows[0];
  if (!admin?.superuser) throw new Error('startRoleServer needs the PGlite session to be a superuser (it switches roles with SET SESSION AUTHORIZATION)');
  const settings = ['server_version', 'server_encoding', 'client_encoding', 'DateStyle', 'IntervalStyle', 'TimeZone', 'integer_datetimes', 'standard_conforming_strings'];
  const values = await db.query<{ name: string; value: string }>(`SELECT s AS name, current_setting(s) AS value FROM unnest($1::text[]) AS s`, [settings]);
  const parameters: [string, string][] = [
    ...values.rows.map((r): [string, string] => [r.name, r.value]),
    ['default_transaction_read_only', 'off'],
    ['in_hot_standby', 'off'],
  ];

  let processId = 1000;
  const ctx: ServerContext = {
    db,
    gate: new SessionGate(db, admin.admin),
    parameters,
    idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs ?? 300_000,
    nextProcessId: () => ++processId,
  };
  const maxConnections = options.maxConnections ?? 64;
  const connections = new Set<Connection>();
  const finished = new Set<Promise<void>>();

  const server = createServer((socket) => {
    if (connections.size >= maxConnections) {
      socket.end(errorResponse('FATAL', '53300', 'sorry, too many clients already'));
      return;
    }
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    finished.add(done);
    const connection = new Connection(socket, ctx, () => {
      connections.delete(connection);
      finished.delete(done);
      resolveDone();
    });
    connections.add(connection);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  let stopping: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    url: (role: string) => `postgres://${encodeURIComponent(role)}@127.0.0.1:${port}/postgres`,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const c of connections) c.terminate('57P01', 'terminating connection due to administrator command');
        await Promise.all([...finished]);
        await closed;
      })();
      return stopping;
    },
  };
}
