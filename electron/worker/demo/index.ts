// The demo warehouse: a synthetic Russian retail bank in PGlite, served over the PostgreSQL wire
// protocol so the sync engine, the CLI and the tests can use it like a real warehouse. Node only.
import type { PGlite } from '@electric-sql/pglite';
import { createDemoWarehouse, type DemoWarehouseOptions } from './generate';
import { startRoleServer } from './role-server';

export { BANK_TABLES, PII_COLUMNS, AS_OF, FIRST_DAY, LAST_DAY } from './bank-sql';
export { createDemoWarehouse, GENERATOR_VERSION, type DemoWarehouse, type DemoWarehouseOptions } from './generate';
export { findInstallSql, readInstallSql } from './install-sql';
export { startRoleServer, type RoleServer, type RoleServerOptions } from './role-server';

/** Login roles of the demo and what they see. */
export const DEMO_ROLES = {
  /** All branches; customers without full_name, phone, passport, birth_date (column privileges). */
  analyst: 'analyst',
  /** Branch staff of Moscow: branch 1 rows only (row-level security); no customers. */
  staffMoscow: 'staff_msk',
  /** Branch staff of St Petersburg: branch 2 rows only. */
  staffSaintPetersburg: 'staff_spb',
  /** Superuser: everything, and may publish, grant and change data. */
  admin: 'postgres',
} as const;

/** Options of {@link startDemoWarehouse}. */
export interface DemoWarehouseServerOptions extends DemoWarehouseOptions {
  /** TCP port on 127.0.0.1; default a free one. */
  port?: number;
  /** See {@link RoleServerOptions.idleInTransactionTimeoutMs}. */
  idleInTransactionTimeoutMs?: number;
}

/** A running demo warehouse (see {@link startDemoWarehouse}). */
export interface DemoWarehouseServer {
  host: '127.0.0.1';
  port: number;
  /** Connection URL for a role, e.g. `url('analyst')`; no password needed (any given is ignored). */
  url(role: string): string;
  /** Stops the server and closes the database. */
  stop(): Promise<void>;
  /** Milliseconds per generation step and `total`. */
  timings: Record<string, number>;
  /** Rows per table of schema `bank`. */
  counts: Record<string, number>;
  /** The database in-process (superuser session), e.g. to change data between syncs in tests. */
  db: PGlite;
}

/**
 * Generates the demo warehouse ({@link createDemoWarehouse}) and serves it on 127.0.0.1 with the
 * PostgreSQL wire protocol. Each connection runs as the role named by its user (`analyst`,
 * `staff_msk`, `staff_spb`, … or `postgres`); unknown roles get PostgreSQL's "role does not exist"
 * error. Passwords are accepted and ignored: this is a local demonstration, not a security boundary.
 */
export async function startDemoWarehouse(options: DemoWarehouseServerOptions = {}): Promise<DemoWarehouseServer> {
  const demo = await createDemoWarehouse(options);
  try {
    const server = await startRoleServer(demo.db, { port: options.port, idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs });
    let stopping: Promise<void> | undefined;
    return {
      host: server.host,
      port: server.port,
      url: server.url,
      timings: demo.timings,
      counts: demo.counts,
      db: demo.db,
      stop() {
        stopping ??= server.stop().finally(() => demo.db.close());
        return stopping;
      },
    };
  } catch (error) {
    await demo.db.close().catch(() => {});
    throw error;
  }
}
