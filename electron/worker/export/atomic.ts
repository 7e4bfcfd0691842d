import { createHash, randomBytes } from 'node:crypto';
import { chmod, open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Bytes written per `write` call; the abort signal is checked between chunks. */
const CHUNK = 1 << 20;

/** SHA-256 of bytes (strings are hashed as UTF-8), lowercase hex. */
export function sha256Of(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** Windows refuses a rename while another process (an antivirus, Excel) briefly holds the target. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || attempt >= 5 || !(code === 'EPERM' || code === 'EACCES' || code === 'EBUSY')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}

/** Flush a directory entry (the rename) to disk. Not possible everywhere (Windows): best effort. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR / EPERM / EINVAL on platforms that cannot open or fsync a directory.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Write a file so readers see either the old contents or the complete new ones, never a part: the
 * bytes go to `.<name>.<random>.part` in the same directory (mode 0o600, created exclusively), which
 * is fsynced and then renamed over `path`; the directory is fsynced afterwards where the platform
 * allows. On any error, or when `signal` aborts before the rename, the temporary file is removed and
 * `path` is untouched (an existing file keeps its old contents); the error (or the abort reason) is
 * thrown. Returns the SHA-256 and size of what was written.
 */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array | string,
  options: { signal?: AbortSignal } = {},
): Promise<{ sha256: string; bytes: number }> {
  const { signal } = options;
  signal?.throwIfAborted();
  const data = toBytes(bytes);
  const sha256 = sha256Of(data);
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.part`);

  let handle: FileHandle | undefined;
  let created = false;
  try {
    handle = await open(temp, 'wx', 0o600);
    created = true;
    // The umask can only clear bits; set the mode explicitly anyway (a no-op beyond read-only on Windows).
    if (process.platform !== 'win32') await chmod(temp, 0o600);
    let offset = 0;
    while (offset < data.byteLength) {
      signal?.throwIfAborted();
      const length = Math.min(CHUNK, data.byteLength - offset);
      const { bytesWritten } = await handle.write(data, offset, length);
      offset += bytesWritten;
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    signal?.throwIfAborted();
    await renameWithRetry(temp, path);
    created = false;
  } catch (err) {
    await handle?.close().catch(() => undefined);
    if (created) await unlink(temp).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dir);
  return { sha256, bytes: data.byteLength };
}
