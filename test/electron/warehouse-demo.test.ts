import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BANK_TABLES, PII_COLUMNS, createDemoWarehouse, startDemoWarehouse, type DemoWarehouseServer } from '../../electron/worker/demo';

const SCALE = 0.01;

/** md5 of every row of a table in key order: equal checksums, equal contents. */
async function checksums(query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, key] of Object.entries(BANK_TABLES)) {
    const r = await query(`SELECT md5(string_agg(t::text, E'\\n' ORDER BY ${key.join(', ')})) AS sum, count(*) AS n FROM bank.${table} t`);
    out[table] = `${r.rows[0]!.n}:${r.rows[0]!.sum}`;
  }
  return out;
}

async function copyRows(client: pg.Client, sql: string): Promise<string[]> {
  let text = '';
  for await (const chunk of client.query(copyTo(`COPY (${sql}) TO STDOUT`)) as AsyncIterable<Buffer>) text += chunk.toString('utf8');
  return text.split('\n').filter(Boolean);
}

describe('demo warehouse over the wire protocol', () => {
  let warehouse: DemoWarehouseServer;
  let analyst: pg.Client;
  let staffSpb: pg.Client;
  let staffMsk: pg.Client;

  beforeAll(async () => {
    warehouse = await startDemoWarehouse({ scale: SCALE });
    analyst = new pg.Client({ connectionString: warehouse.url('analyst'), password: 'ignored' });
    staffSpb = new pg.Client({ connectionString: warehouse.url('staff_spb') });
    staffMsk = new pg.Client({ connectionString: warehouse.url('staff_msk') });
    await Promise.all([analyst.connect(), staffSpb.connect(), staffMsk.connect()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([analyst, staffSpb, staffMsk].map((c) => c?.end().catch(() => {})));
    await warehouse?.stop();
  });

  it('has the documented size at the test scale and reports its timings', () => {
    expect(warehouse.counts).toMatchObject({ branches: 30, customers: 1000, transactions: 20000, loans: 250, staff_branches: 30 });
    for (const table of ['accounts', 'atms', 'atm_daily', 'branch_kpis']) expect(warehouse.counts[table]).toBeGreaterThan(0);
    expect(warehouse.timings.transactions).toBeGreaterThanOrEqual(0);
    expect(warehouse.timings.total).toBeGreaterThan(0);
  });

  it('connects each client as its own role', async () => {
    expect((await analyst.query('SELECT current_user, session_user')).rows).toEqual([{ current_user: 'analyst', session_user: 'analyst' }]);
    expect((await staffSpb.query('SELECT current_user')).rows).toEqual([{ current_user: 'staff_spb' }]);
    expect((await warehouse.db.query('SELECT current_user')).rows).toEqual([{ current_user: 'postgres' }]);
  });

  it('lets the analyst see every branch but not customers\' personal data', async () => {
    expect((await analyst.query('SELECT count(DISTINCT branch_id)::int AS n FROM bank.transactions')).rows).toEqual([{ n: 30 }]);
    expect((await analyst.query('SELECT count(*)::int AS n FROM bank.branches')).rows).toEqual([{ n: 30 }]);
    const privileges = await analyst.query<{ attname: string; ok: boolean }>(
      `SELECT attname, has_column_privilege('bank.customers', attname, 'SELECT') AS ok
         FROM pg_attribute WHERE attrelid = 'bank.customers'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    );
    const hidden = privileges.rows.filter((r) => !r.ok).map((r) => r.attname);
    expect(hidden.sort()).toEqual([...PII_COLUMNS].sort());
    await expect(analyst.query('SELECT full_name FROM bank.customers LIMIT 1')).rejects.toMatchObject({ code: '42501' });
    await expect(analyst.query('SELECT * FROM bank.customers LIMIT 1')).rejects.toMatchObject({ code: '42501' });
    const visible = privileges.rows.filter((r) => r.ok).map((r) => r.attname);
    const lines = await copyRows(analyst, `SELECT ${visible.join(', ')} FROM bank.customers`);
    expect(lines).toHaveLength(1000);
  });

  it('lets branch staff see only their own branch, and no customers', async () => {
    expect((await staffSpb.query('SELECT branch_id, count(*)::int AS n FROM bank.transactions GROUP BY branch_id')).rows).toEqual([
      { branch_id: 2, n: expect.any(Number) },
    ]);
    expect((await staffSpb.query('SELECT code, city FROM bank.branches')).rows).toEqual([{ code: 'spb', city: 'Санкт-Петербург' }]);
    expect((await staffMsk.query('SELECT DISTINCT branch_id FROM bank.accounts')).rows).toEqual([{ branch_id: 1 }]);
    expect((await staffSpb.query('SELECT DISTINCT branch_id FROM bank.branch_monthly')).rows).toEqual([{ branch_id: 2 }]);
    for (const table of ['loans', 'atms', 'atm_daily', 'branch_kpis']) {
      expect((await staffSpb.query(`SELECT DISTINCT branch_id FROM bank.${table}`)).rows).toEqual([{ branch_id: 2 }]);
    }
    await expect(staffSpb.query('SELECT customer_id FROM bank.customers LIMIT 1')).rejects.toMatchObject({ code: '42501' });
  });

  it('publishes the extracts with their classifications, granted per role', async () => {
    const extracts = async (c: pg.Client) =>
      Object.fromEntries(
        (await c.query<{ name: string; classification: string; tracks_deletes: boolean }>('SELECT name, classification, tracks_deletes FROM strongroom.my_extracts ORDER BY name')).rows.map(
          (r) => [r.name, `${r.classification}${r.tracks_deletes ? '' : ' (view)'}`],
        ),
      );
    expect(await extracts(analyst)).toEqual({
      accounts: 'confidential', atm_daily: 'internal', atms: 'internal', branch_kpis: 'internal', branch_monthly: 'internal (view)',
      branches: 'internal', customers: 'restricted', loans: 'confidential', transactions: 'confidential',
    });
    const staff = await extracts(staffSpb);
    expect(Object.keys(staff)).not.toContain('customers');
    expect(Object.keys(staff)).toContain('transactions');
  });

  it('gives every published table a primary key and an updated_at usable for incremental sync', async () => {
    const r = await warehouse.db.query<{ name: string; source: string; primary_key: string[]; incremental_column: string | null; pk: string[] | null; updated_type: string | null }>(`
      SELECT e.name, e.source, e.primary_key, e.incremental_column,
             (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
                CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
               WHERE i.indrelid = to_regclass(e.source) AND i.indisprimary) AS pk,
             (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = to_regclass(e.source) AND a.attname = 'updated_at') AS updated_type
        FROM strongroom.extracts e WHERE e.tracks_deletes ORDER BY e.name`);
    expect(r.rows.map((x) => x.name)).toEqual(Object.keys(BANK_TABLES).sort());
    for (const x of r.rows) {
      expect(x.pk, x.name).toEqual(x.primary_key);
      expect(x.incremental_column, x.name).toBe('updated_at');
      expect(x.updated_type, x.name).toBe('timestamp with time zone');
    }
  });

  it('streams COPY TO STDOUT as each role, with that role\'s rows', async () => {
    const analystRows = await copyRows(analyst, 'SELECT txn_id, branch_id, booked_at, amount, channel FROM bank.transactions ORDER BY txn_id');
    expect(analystRows).toHaveLength(20000);
    const spbRows = await copyRows(staffSpb, 'SELECT txn_id, branch_id, booked_at, amount, channel FROM bank.transactions ORDER BY txn_id');
    const spbCount = (await staffSpb.query<{ n: number }>('SELECT count(*)::int AS n FROM bank.transactions')).rows[0]!.n;
    expect(spbRows).toHaveLength(spbCount);
    expect(spbCount).toBeGreaterThan(100);
    expect(spbCount).toBeLessThan(20000);
    expect(new Set(spbRows.map((line) => line.split('\t')[1]))).toEqual(new Set(['2']));
    // The whole table form goes through row-level security too.
    expect(await copyRows(staffSpb, 'SELECT * FROM bank.branches')).toHaveLength(1);
  });

  it('updates updated_at on change and records deletions for the sync', async () => {
    const before = (await warehouse.db.query<{ updated_at: Date }>('SELECT updated_at FROM bank.loans WHERE loan_id = 1')).rows[0]!.updated_at;
    await warehouse.db.query('UPDATE bank.loans SET outstanding = outstanding + 1 WHERE loan_id = 1');
    const after = (await warehouse.db.query<{ updated_at: Date }>('SELECT updated_at FROM bank.loans WHERE loan_id = 1')).rows[0]!.updated_at;
    expect(after.getTime()).toBeGreaterThan(before.getTime());

    const [victim] = (await analyst.query<{ txn_id: string }>('SELECT txn_id FROM bank.transactions WHERE branch_id = 2 ORDER BY txn_id LIMIT 1')).rows;
    await warehouse.db.query('DELETE FROM bank.transactions WHERE txn_id = $1', [victim!.txn_id]);
    const seen = async (c: pg.Client) => (await c.query<{ pk: { txn_id: number } }>(`SELECT pk FROM strongroom.deleted_keys('transactions', NULL)`)).rows.map((r) => String(r.pk.txn_id));
    expect(await seen(analyst)).toEqual([victim!.txn_id]);
    expect(await seen(staffSpb)).toEqual([victim!.txn_id]);
  });
});

describe('demo warehouse generation', () => {
  it('is deterministic: two generations at the same scale are identical', async () => {
    const a = await createDemoWarehouse({ scale: 0.002 });
    const b = await createDemoWarehouse({ scale: 0.002 });
    try {
      const [sa, sb] = await Promise.all([checksums((sql) => a.db.query(sql)), checksums((sql) => b.db.query(sql))]);
      expect(sa).toEqual(sb);
      expect(Object.keys(sa)).toHaveLength(8);
    } finally {
      await Promise.all([a.db.close(), b.db.close()]);
    }
  }, 60_000);

  it('keeps a generated warehouse in dataDir and reuses it at the same scale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strongroom-demo-'));
    try {
      const first = await createDemoWarehouse({ scale: 0.001, dataDir: dir });
      const sums = await checksums((sql) => first.db.query(sql));
      await first.db.close();
      const second = await createDemoWarehouse({ scale: 0.001, dataDir: dir });
      try {
        expect(second.reused).toBe(true);
        expect(await checksums((sql) => second.db.query(sql))).toEqual(sums);
        expect(second.timings.transactions).toBeUndefined();
      } finally {
        await second.db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a scale outside 0.0001–10', async () => {
    await expect(createDemoWarehouse({ scale: 0 })).rejects.toThrow(RangeError);
    await expect(createDemoWarehouse({ scale: Number.NaN })).rejects.toThrow(RangeError);
  });
});
