import { z } from 'zod';
import { defineContract } from './define.js';

/** How the connection uses TLS, as in libpq's sslmode. */
export type TlsMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

/** A saved warehouse connection. Secrets (password, client key) are never returned. */
export interface ConnectionSummary {
  id: string;
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  tlsMode: TlsMode;
  /** A CA certificate is stored for verify-ca / verify-full. */
  hasCaCert: boolean;
  /** A client certificate (and key) is stored. */
  hasClientCert: boolean;
  /** A password is stored (wrapped, never in clear). */
  hasPassword: boolean;
  /** The built-in demo warehouse, started in-process when used. */
  isDemo: boolean;
  lastTestedAt: string | null;
}

export interface SaveConnectionRequest {
  /** Present to update an existing connection. */
  id?: string;
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  /** Omitted on update: keep the stored one. Empty string: remove it. */
  password?: string;
  tlsMode: TlsMode;
  /** PEM. */
  caCert?: string;
  /** PEM client certificate and key, for certificate authentication. */
  clientCert?: string;
  clientKey?: string;
}

export interface ConnectionTestResult {
  /** PostgreSQL's `server_version`. */
  serverVersion: string;
  /** The warehouse user the connection authenticates as. */
  warehouseUser: string;
  /** `strongroom.version()` of the installed warehouse schema. */
  schemaVersion: string;
  /** How many extracts this user is permitted to see. */
  permittedExtracts: number;
  /** Whether the connection is encrypted. */
  tls: boolean;
}

/**
 * Warehouse connections. Credentials are stored inside the encrypted cache, additionally sealed with a
 * key derived from the cache key, and never returned. Fails with LOCKED while locked.
 */
export interface ConnectionsService {
  list(): Promise<ConnectionSummary[]>;
  save(request: SaveConnectionRequest): Promise<ConnectionSummary>;
  /** Removes the connection and every extract synced through it. */
  remove(request: { id: string }): Promise<void>;
  /**
   * Connects and checks the strongroom schema. Fails with WAREHOUSE_UNREACHABLE, AUTH_FAILED,
   * TLS_FAILED or SCHEMA_NOT_INSTALLED, each with a message the user can act on.
   */
  test(request: { id: string }): Promise<ConnectionTestResult>;
  /**
   * Starts the built-in demo warehouse in-process (deterministic synthetic bank data, the same
   * install.sql, roles and policies) and saves a connection to it as the given demo role.
   */
  startDemo(request: { role: 'analyst' | 'staff_msk' | 'staff_spb'; scale?: number }): Promise<ConnectionSummary>;
}

const pem = z.string().max(64 * 1024).optional();
export const connectionsContract = defineContract<ConnectionsService>()({
  list: z.tuple([]),
  save: z.tuple([
    z
      .object({
        id: z.string().min(1).max(64).optional(),
        name: z.string().trim().min(1).max(100),
        host: z.string().trim().min(1).max(255),
        port: z.number().int().min(1).max(65535),
        database: z.string().trim().min(1).max(63),
        user: z.string().trim().min(1).max(63),
        password: z.string().max(1024).optional(),
        tlsMode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']),
        caCert: pem,
        clientCert: pem,
        clientKey: pem,
      })
      .strict(),
  ]),
  remove: z.tuple([z.object({ id: z.string().min(1) }).strict()]),
  test: z.tuple([z.object({ id: z.string().min(1) }).strict()]),
  startDemo: z.tuple([z.object({ role: z.enum(['analyst', 'staff_msk', 'staff_spb']), scale: z.number().min(0.001).max(1).optional() }).strict()]),
});
