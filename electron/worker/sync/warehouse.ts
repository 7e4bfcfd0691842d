import pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { StrongroomError } from '../../../shared/errors.js';
import type { ConnectionDetails } from '../db/repositories/connections.js';
import { storageFor, type ColumnInfo } from './types.js';

/** A row of `strongroom.my_extracts`: an extract this user is permitted to see. */
export interface CatalogEntry {
  name: string;
  title: string;
  description: string;
  source: string;
  primary_key: string[];
  incremental_column: string | null;
  classification: 'public' | 'internal' | 'confidential' | 'restricted';
  lease_days: number;
  allowed_exports: string[];
  published_at: Date;
  updated_at: Date;
  tracks_deletes: boolean;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN', '57P01', '57P02', '57P03', '08006', '08001', '08003']);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO|DEPTH_ZERO/;

/** Maps a pg / network / TLS failure to a typed error the user can act on. */
export function warehouseError(err: unknown, where: string): StrongroomError {
  if (err instanceof StrongroomError) return err;
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const message = e.message ?? String(err);
  if (code === '28P01' || code === '28000' || /password authentication failed|no password supplied|role .* does not exist/i.test(message)) {
    return new StrongroomError('AUTH_FAILED', `The warehouse at ${where} refused the user name or password (${message}).`);
  }
  if (TLS_CODES.test(code) || /SSL|TLS|certificate/i.test(message)) {
    return new StrongroomError('TLS_FAILED', `A secure (TLS) connection to ${where} could not be set up: ${message}. Check the TLS mode and the CA certificate.`);
  }
  if (UNREACHABLE.has(code) || /timeout|terminated|Connection ended|closed/i.test(message)) {
    return new StrongroomError('WAREHOUSE_UNREACHABLE', `The warehouse at ${where} cannot be reached or the connection dropped (${message}). Check the host, port and network, then try again; nothing was changed.`);
  }
  if (code === '3D000') return new StrongroomError('NOT_FOUND', `The database does not exist on ${where}: ${message}`);
  if (code === '42501') return new StrongroomError('NOT_PERMITTED', `The warehouse refused: ${message}`);
  return new StrongroomError('INTERNAL', `Warehouse error at ${where}: ${message}${code ? ` (${code})` : ''}`);
}

function tlsOptions(c: ConnectionDetails): boolean | ConnectionOptions {
  if (c.tlsMode === 'disable') return false;
  const base: ConnectionOptions = {
    ...(c.caCert ? { ca: c.caCert } : {}),
    ...(c.clientCert ? { cert: c.clientCert } : {}),
    ...(c.clientKey ? { key: c.clientKey } : {}),
  };
  if (c.tlsMode === 'require') return { ...base, rejectUnauthorized: false };
  if (c.tlsMode === 'verify-ca') return { ...base, rejectUnauthorized: true, checkServerIdentity: () => undefined };
  // verify-full: chain and host name. pg checks the name against `host` (IP SANs included) itself.
  return { ...base, rejectUnauthorized: true };
}

/** A connected warehouse session for one user. */
export class Warehouse {
  private constructor(
    readonly client: pg.Client,
    readonly where: string,
    readonly user: string,
    readonly tls: boolean,
  ) {}

  static async connect(c: ConnectionDetails): Promise<Warehouse> {
    const where = `${c.host}:${c.port}/${c.database}`;
    const client = new pg.Client({
      host: c.host,
      port: c.port,
      database: c.database,
      user: c.user,
      ...(c.password !== undefined ? { password: c.password } : {}),
      ssl: tlsOptions(c),
      connectionTimeoutMillis: 10_000,
      application_name: 'Strongroom',
    });
    // A dropped connection emits 'error' on the client; without a listener it would crash the worker.
    client.on('error', () => undefined);
    try {
      await client.connect();
      // One known text shape for dates and timestamps in COPY output.
      await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'");
      const who = await client.query<{ u: string }>('SELECT current_user AS u');
      return new Warehouse(client, where, who.rows[0]!.u, c.tlsMode !== 'disable');
    } catch (err) {
      await client.end().catch(() => undefined);
      throw warehouseError(err, where);
    }
  }

  /** A failure on this connection as a typed error. */
  error(err: unknown): StrongroomError {
    return warehouseError(err, this.where);
  }

  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.client.query<R>(sql, params)).rows;
    } catch (err) {
      throw warehouseError(err, this.where);
    }
  }

  /** Fails with SCHEMA_NOT_INSTALLED unless warehouse/install.sql has been installed. */
  async schemaVersion(): Promise<string> {
    const [row] = await this.query<{ view: string | null }>("SELECT to_regclass('strongroom.my_extracts')::text AS view");
    if (!row?.view) {
      throw new StrongroomError('SCHEMA_NOT_INSTALLED', `The warehouse at ${this.where} has no strongroom schema. Ask a DBA to install warehouse/install.sql (see warehouse/README.md).`);
    }
    const [v] = await this.query<{ v: string }>('SELECT strongroom.version() AS v');
    return v?.v ?? 'unknown';
  }

  async serverVersion(): Promise<string> {
    const [row] = await this.query<{ server_version: string }>('SHOW server_version');
    return row?.server_version ?? 'unknown';
  }

  /** The extracts this user is permitted to see, from the warehouse's own catalog view. */
  async catalog(): Promise<CatalogEntry[]> {
    await this.schemaVersion();
    return this.query<CatalogEntry>('SELECT * FROM strongroom.my_extracts ORDER BY name');
  }

  /**
   * The source's columns, split into those this user may select and those withheld by column
   * privileges (left out of the copy, so the sync never fails on them).
   */
  async columns(source: string): Promise<{ visible: ColumnInfo[]; hidden: string[] }> {
    const rows = await this.query<{ name: string; type: string; can_select: boolean }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
              has_column_privilege(a.attrelid, a.attnum, 'SELECT') AS can_select
         FROM pg_attribute a
        WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [source],
    );
    if (rows.length === 0) throw new StrongroomError('NOT_FOUND', `The source ${source} of this extract does not exist or is not visible to ${this.user}.`);
    return {
      visible: rows.filter((r) => r.can_select).map((r) => ({ name: r.name, pgType: r.type, storage: storageFor(r.type) })),
      hidden: rows.filter((r) => !r.can_select).map((r) => r.name),
    };
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/** Quotes a PostgreSQL identifier or a dotted qualified name (schema.table). */
export function pgIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function pgQualified(source: string): string {
  // Sources come from the DBA's catalog; to_regclass already proved they exist. Quote each part.
  return source
    .split('.')
    .map((part) => (/^".*"$/.test(part) ? part : pgIdent(part)))
    .join('.');
}

export function pgLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
