import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoleServer, type RoleServer } from '../../electron/worker/demo/role-server';

// The role server alone, over a tiny database: who a connection is, and what happens when clients
// overlap, hang or misbehave on PGlite's single shared session.
describe('role server (PGlite over the wire protocol)', () => {
  let db: PGlite;
  let server: RoleServer;
  const open: pg.Client[] = [];

  async function login(role: string, options: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: server.url(role), ...options });
    client.on('error', () => {}); // terminated connections report here; the tests look at the effects
    await client.connect();
    open.push(client);
    return client;
  }

  beforeAll(async () => {
    db = await PGlite.create();
    await db.exec(`
      CREATE ROLE reader LOGIN;
      CREATE ROLE writer LOGIN;
      CREATE ROLE locked NOLOGIN;
      CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL, author name NOT NULL DEFAULT current_user);
      GRANT SELECT ON notes TO reader;
      GRANT SELECT, INSERT ON notes TO writer;
      GRANT USAGE ON SEQUENCE notes_id_seq TO writer;
    `);
    server = await startRoleServer(db, { idleInTransactionTimeoutMs: 400 });
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.end().catch(() => {})));
    await server?.stop();
    await db?.close();
  });

  it('refuses unknown roles and roles without LOGIN as PostgreSQL does', async () => {
    await expect(login('nobody')).rejects.toMatchObject({ code: '28000', message: 'role "nobody" does not exist' });
    await expect(login('locked')).rejects.toMatchObject({ code: '28000', message: 'role "locked" is not permitted to log in' });
  });

  it('ignores passwords and runs plain and parameterised statements as the login role', async () => {
    const writer = await login('writer', { password: 'whatever' });
    await writer.query('INSERT INTO notes (body) VALUES ($1)', ['from writer']);
    await writer.query({ name: 'named-insert', text: 'INSERT INTO notes (body) VALUES ($1)', values: ['prepared'] });
    const reader = await login('reader');
    expect((await reader.query('SELECT body, author FROM notes ORDER BY id')).rows).toEqual([
      { body: 'from writer', author: 'writer' },
      { body: 'prepared', author: 'writer' },
    ]);
    await expect(reader.query(`INSERT INTO notes (body) VALUES ('nope')`)).rejects.toMatchObject({ code: '42501' });
    expect((await db.query('SELECT current_user')).rows).toEqual([{ current_user: 'postgres' }]);
  });

  it('runs a transaction without other connections in between, then lets them in', async () => {
    const writer = await login('writer');
    const reader = await login('reader');
    await writer.query('BEGIN');
    await writer.query(`INSERT INTO notes (body) VALUES ('in a transaction')`);
    let readerDone = false;
    const read = reader.query<{ n: number; who: string }>(`SELECT count(*)::int AS n, current_user AS who FROM notes WHERE body = 'in a transaction'`).then((r) => {
      readerDone = true;
      return r.rows[0];
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(readerDone).toBe(false);
    expect((await writer.query('SELECT current_user AS who')).rows).toEqual([{ who: 'writer' }]);
    await writer.query('COMMIT');
    expect(await read).toEqual({ n: 1, who: 'reader' });
  });

  it('rolls back and frees the session when a client disconnects inside a transaction', async () => {
    const writer = await login('writer');
    await writer.query('BEGIN');
    await writer.query(`INSERT INTO notes (body) VALUES ('abandoned')`);
    (writer as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const reader = await login('reader');
    expect((await reader.query(`SELECT count(*)::int AS n FROM notes WHERE body = 'abandoned'`)).rows).toEqual([{ n: 0 }]);
    expect((await db.query('SELECT current_user')).rows).toEqual([{ current_user: 'postgres' }]);
  });

  it('terminates a connection idle in a transaction for too long', async () => {
    const writer = await login('writer');
    const errors: { code?: string }[] = [];
    writer.on('error', (e: Error & { code?: string }) => errors.push(e));
    await writer.query('BEGIN');
    await writer.query(`INSERT INTO notes (body) VALUES ('idle')`);
    // Even logging in waits: it looks the role up in the session the idle transaction holds.
    const started = Date.now();
    const reader = await login('reader');
    expect((await reader.query(`SELECT count(*)::int AS n FROM notes WHERE body = 'idle'`)).rows).toEqual([{ n: 0 }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(errors.some((e) => e.code === '25P03')).toBe(true);
  });

  it('refuses COPY FROM STDIN (which would stop PGlite) and keeps the connection usable', async () => {
    const writer = await login('writer');
    const stream = writer.query(copyFrom('COPY notes (body) FROM STDIN'));
    const outcome = new Promise<Error | undefined>((resolve) => {
      stream.on('error', resolve);
      stream.on('finish', () => resolve(undefined));
    });
    stream.end('copied\n');
    expect(await outcome).toMatchObject({ code: '0A000' });
    expect((await writer.query('SELECT 1 AS alive')).rows).toEqual([{ alive: 1 }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM notes WHERE body = 'copied'`)).rows).toEqual([{ n: 0 }]);
  });

  it('stops by terminating its clients', async () => {
    const local = await startRoleServer(db);
    const client = new pg.Client({ connectionString: local.url('reader') });
    const ended = new Promise<void>((resolve) => client.on('end', () => resolve()));
    client.on('error', () => {});
    await client.connect();
    await local.stop();
    await ended;
    await expect(new pg.Client({ connectionString: local.url('reader') }).connect()).rejects.toThrow();
  });
});
