/**
 * Hashes and random bytes without loading node:crypto on the hot paths.
 * Importing it costs ~2.6 ms of start-up (measured on Node 20), which
 * `list`, `retrieve` and the session-start hook never need; it is loaded on
 * first use: SHA-256 for derived ids of files without one, random bytes
 * where /dev/urandom cannot be read.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

let crypto: typeof import('node:crypto') | undefined;

function nodeCrypto(): typeof import('node:crypto') {
  crypto ??= createRequire(import.meta.filename)('node:crypto') as typeof import('node:crypto');
  return crypto;
}

/** Lowercase hex SHA-256 of `data` (a string is hashed as UTF-8). */
export function sha256Hex(data: string | Uint8Array): string {
  return nodeCrypto().createHash('sha256').update(data).digest('hex');
}

/**
 * `bytes` bytes from the OS CSPRNG as lowercase hex (2 × bytes characters).
 * On POSIX systems they are read from /dev/urandom (~0.3 ms, where loading
 * node:crypto for `randomBytes` cost ~2.8 ms of every `store`); elsewhere,
 * or when that read fails, node:crypto's `randomBytes`.
 */
export function randomHex(bytes: number): string {
  if (process.platform !== 'win32') {
    let fd: number | undefined;
    try {
      fd = openSync('/dev/urandom', 'r');
      const buf = Buffer.alloc(bytes);
      if (readSync(fd, buf, 0, bytes, null) === bytes) return buf.toString('hex');
    } catch {
      // No /dev/urandom (a container without /dev, a sandbox): node:crypto below.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return nodeCrypto().randomBytes(bytes).toString('hex');
}
