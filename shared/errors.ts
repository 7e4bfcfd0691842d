/**
 * Stable error codes. Every failure that crosses a process or transport boundary carries one of these,
 * so the renderer, the CLI and tests can act on the code rather than parse messages.
 */
export const ERROR_CODES = [
  /** The cache is locked (or was auto-locked); unlock it first. */
  'LOCKED',
  /** No cache exists in this profile yet; create one first. */
  'NOT_INITIALISED',
  /** A cache already exists in this profile; creating another would destroy it. */
  'ALREADY_INITIALISED',
  /** The passphrase does not unwrap the cache key. */
  'WRONG_PASSPHRASE',
  /** Too many wrong passphrases in a row; `details.retryAfterMs` says when to try again. */
  'THROTTLED',
  /** The cache file or its key file is not a Strongroom cache, or is damaged. It was not modified. */
  'CACHE_CORRUPT',
  /** The cache was written by a newer Strongroom (its schema is newer than this build knows). */
  'CACHE_TOO_NEW',
  /** The OS keychain is not available or not trustworthy (for example Linux basic_text). */
  'KEYCHAIN_UNAVAILABLE',
  /** Arguments did not match the contract; `details.path` points at the offending part. */
  'INVALID_ARGUMENT',
  /**
   * An analysis spec is malformed or does not fit the extract's schema. `details.path` is the JSON path
   * of the offending part (e.g. `dimensions[1].grain`, `calculated[0].expr`); expression errors add
   * `details.position` (character offset in the expression).
   */
  'INVALID_ANALYSIS',
  /** The named thing does not exist. */
  'NOT_FOUND',
  /** The caller may not do this (role, export policy, or an unknown method). */
  'NOT_PERMITTED',
  /** The warehouse cannot be reached (host down, wrong port, network), or the connection dropped. */
  'WAREHOUSE_UNREACHABLE',
  /** The warehouse refused the user name or password. */
  'AUTH_FAILED',
  /** TLS could not be set up or the server's certificate did not verify. */
  'TLS_FAILED',
  /** The warehouse has no `strongroom` schema: a DBA must install warehouse/install.sql. */
  'SCHEMA_NOT_INSTALLED',
  /** The extract's offline lease ran out; sync it again to read it. */
  'LEASE_EXPIRED',
  /** The operation was cancelled by the user. Nothing was changed. */
  'CANCELLED',
  /** A sync of this extract is already running. */
  'BUSY',
  /** The transport closed before an answer arrived. */
  'DISCONNECTED',
  /** An unexpected failure; the message says what happened. */
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The plain-data form of an error, as it travels in an RPC response or a CLI `--json` answer. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** Code-specific extra data, e.g. `{retryAfterMs}` for THROTTLED or `{path}` for INVALID_ARGUMENT. */
  details?: Record<string, unknown>;
}

/** An error with a stable code. Throw it anywhere in a service; the RPC layer carries it intact. */
export class StrongroomError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'StrongroomError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  toInfo(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromInfo(info: ErrorInfo): StrongroomError {
    return new StrongroomError(info.code, info.message, info.details);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Any thrown value as ErrorInfo; unknown errors become INTERNAL without leaking stack traces. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof StrongroomError) return err.toInfo();
  if (err instanceof Error) return { code: 'INTERNAL', message: err.message };
  return { code: 'INTERNAL', message: String(err) };
}
