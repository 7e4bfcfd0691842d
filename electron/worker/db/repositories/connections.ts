import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { ConnectionSummary, SaveConnectionRequest, TlsMode } from '../../../../shared/contracts/connections.js';
import { StrongroomError } from '../../../../shared/errors.js';
import type { Db } from '../cipher.js';

/** Secrets of one connection, sealed in the `secret` column. */
export interface ConnectionSecrets {
  password?: string;
  clientKey?: string;
}

/** Everything needed to connect: the summary plus the unsealed secrets and certificates. */
export interface ConnectionDetails extends ConnectionSummary {
  password?: string;
  caCert?: string;
  clientCert?: string;
  clientKey?: string;
}

interface Row {
  id: string;
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  tls_mode: TlsMode;
  ca_cert: string | null;
  client_cert: string | null;
  secret: Buffer | null;
  is_demo: number;
  last_tested_at: string | null;
}

const AAD = Buffer.from('strongroom/connection-secret/v1');

/** AES-256-GCM with a key derived from the cache key: iv(12) | tag(16) | ciphertext. */
export function seal(key: Buffer, secrets: ConnectionSecrets): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function unseal(key: Buffer, blob: Buffer): ConnectionSecrets {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
    decipher.setAAD(AAD);
    decipher.setAuthTag(blob.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8')) as ConnectionSecrets;
  } catch {
    throw new StrongroomError('CACHE_CORRUPT', 'A stored connection secret could not be opened. Remove the connection and add it again.');
  }
}

function summary(row: Row, secrets: ConnectionSecrets): ConnectionSummary {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    database: row.database,
    user: row.user,
    tlsMode: row.tls_mode,
    hasCaCert: row.ca_cert !== null,
    hasClientCert: row.client_cert !== null,
    hasPassword: Boolean(secrets.password),
    isDemo: row.is_demo === 1,
    lastTestedAt: row.last_tested_at,
  };
}

export function listConnections(db: Db, key: Buffer): ConnectionSummary[] {
  const rows = db.prepare('SELECT * FROM connections ORDER BY name').all() as Row[];
  return rows.map((r) => summary(r, r.secret ? unseal(key, r.secret) : {}));
}

export function getConnection(db: Db, key: Buffer, id: string): ConnectionDetails {
  const row = db.prepare('SELECT * FROM connections WHERE id = ? OR name = ?').get(id, id) as Row | undefined;
  if (!row) throw new StrongroomError('NOT_FOUND', `No connection "${id}".`);
  const secrets = row.secret ? unseal(key, row.secret) : {};
  return {
    ...summary(row, secrets),
    ...(secrets.password ? { password: secrets.password } : {}),
    ...(secrets.clientKey ? { clientKey: secrets.clientKey } : {}),
    ...(row.ca_cert ? { caCert: row.ca_cert } : {}),
    ...(row.client_cert ? { clientCert: row.client_cert } : {}),
  };
}

export function saveConnection(db: Db, key: Buffer, request: SaveConnectionRequest, isDemo = false): ConnectionSummary {
  const existing = request.id ? (db.prepare('SELECT * FROM connections WHERE id = ?').get(request.id) as Row | undefined) : undefined;
  if (request.id && !existing) throw new StrongroomError('NOT_FOUND', `No connection "${request.id}".`);
  const clash = db.prepare('SELECT id FROM connections WHERE name = ? AND id IS NOT ?').get(request.name, request.id ?? null);
  if (clash) throw new StrongroomError('INVALID_ARGUMENT', `A connection named "${request.name}" already exists.`, { path: 'args[0].name' });
  const previous = existing?.secret ? unseal(key, existing.secret) : {};
  const secrets: ConnectionSecrets = {
    ...((request.password ?? previous.password) ? { password: request.password ?? previous.password } : {}),
    ...((request.clientKey ?? previous.clientKey) ? { clientKey: request.clientKey ?? previous.clientKey } : {}),
  };
  const id = existing?.id ?? randomUUID();
  db.prepare(
    `INSERT INTO connections (id, name, host, port, database, user, tls_mode, ca_cert, client_cert, secret, is_demo, created_at)
     VALUES (@id, @name, @host, @port, @database, @user, @tls, @ca, @cert, @secret, @demo, @now)
     ON CONFLICT (id) DO UPDATE SET name = @name, host = @host, port = @port, database = @database, user = @user,
       tls_mode = @tls, ca_cert = @ca, client_cert = @cert, secret = @secret`,
  ).run({
    id,
    name: request.name,
    host: request.host,
    port: request.port,
    database: request.database,
    user: request.user,
    tls: request.tlsMode,
    ca: request.caCert ?? existing?.ca_cert ?? null,
    cert: request.clientCert ?? existing?.client_cert ?? null,
    secret: Object.keys(secrets).length ? seal(key, secrets) : null,
    demo: isDemo ? 1 : 0,
    now: new Date().toISOString(),
  });
  return listConnections(db, key).find((c) => c.id === id)!;
}

export function markTested(db: Db, id: string): void {
  db.prepare('UPDATE connections SET last_tested_at = ? WHERE id = ?').run(new Date().toISOString(), id);
}

/** The demo warehouse listens on a new port each run; saved demo connections follow it. */
export function repointDemoConnections(db: Db, port: number): void {
  db.prepare('UPDATE connections SET port = ? WHERE is_demo = 1').run(port);
}

export function deleteConnection(db: Db, id: string): void {
  db.prepare('DELETE FROM connections WHERE id = ?').run(id);
}
