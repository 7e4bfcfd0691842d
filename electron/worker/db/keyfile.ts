import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { StrongroomError } from '../../../shared/errors.js';

/** scrypt cost. N=2^17, r=8 costs 128 MiB and about half a second here: slow for guessing, fine once. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

const passphraseWrapperSchema = z.object({
  kdf: z.literal('scrypt'),
  N: z.number().int().min(2 ** 10).max(2 ** 22),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: b64,
  iv: b64,
  tag: b64,
  wrapped: b64,
});

const keyFileSchema = z.object({
  format: z.literal('strongroom-keyfile'),
  version: z.literal(1),
  cipher: z.literal('sqlcipher4'),
  createdAt: z.string(),
  passphrase: passphraseWrapperSchema,
  device: z.object({ blob: b64, backend: z.string() }).nullable().optional(),
});

export type KeyFile = z.infer<typeof keyFileSchema>;
export type PassphraseWrapper = z.infer<typeof passphraseWrapperSchema>;

/** Binds the ciphertext to its purpose, so a wrapper cannot be replayed in another slot or format. */
const AAD = Buffer.from('strongroom-keyfile/v1/passphrase');

function scrypt(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(
      passphrase.normalize('NFC'),
      salt,
      32,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 16 * 1024 * 1024 },
      (err, derived) => (err ? reject(err) : resolve(derived)),
    );
  });
}

/** Wraps the data key with a key derived from the passphrase (scrypt, then AES-256-GCM). */
export async function wrapWithPassphrase(key: Buffer, passphrase: string, params: ScryptParams): Promise<PassphraseWrapper> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kek = await scrypt(passphrase, salt, params);
  try {
    const cipher = createCipheriv('aes-256-gcm', kek, iv);
    cipher.setAAD(AAD);
    const wrapped = Buffer.concat([cipher.update(key), cipher.final()]);
    return {
      kdf: 'scrypt',
      ...params,
      salt: salt.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      wrapped: wrapped.toString('base64'),
    };
  } finally {
    kek.fill(0);
  }
}

/** Unwraps the data key; a wrong passphrase fails GCM authentication and becomes WRONG_PASSPHRASE. */
export async function unwrapWithPassphrase(wrapper: PassphraseWrapper, passphrase: string): Promise<Buffer> {
  const kek = await scrypt(passphrase, Buffer.from(wrapper.salt, 'base64'), wrapper);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(wrapper.iv, 'base64'));
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(wrapper.tag, 'base64'));
    const key = Buffer.concat([decipher.update(Buffer.from(wrapper.wrapped, 'base64')), decipher.final()]);
    if (key.length !== 32) throw new StrongroomError('CACHE_CORRUPT', 'The key file holds a key of the wrong length.');
    return key;
  } catch (err) {
    if (err instanceof StrongroomError) throw err;
    throw new StrongroomError('WRONG_PASSPHRASE', 'That passphrase does not unlock this cache.');
  } finally {
    kek.fill(0);
  }
}

/** Reads and validates the key file; null when absent. A malformed file is CACHE_CORRUPT. */
export function readKeyFile(path: string): KeyFile | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StrongroomError('CACHE_CORRUPT', `The key file ${path} is damaged (not JSON). It was not modified.`);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new StrongroomError('CACHE_CORRUPT', `The key file ${path} is damaged or from an unknown format. It was not modified.`);
  }
  return parsed.data;
}

/** Writes the key file atomically (temp file, fsync, rename, fsync of the folder): never half a key file. */
export function writeKeyFile(path: string, keyFile: KeyFile): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(keyFile, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dirFd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Directories cannot be opened for fsync on Windows; the rename is still atomic there.
  }
}
