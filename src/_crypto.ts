/**
 * node:crypto, loaded on first use. Importing it costs ~2.6 ms of start-up
 * (measured on Node 20), which `list`, `retrieve` and the session-start hook
 * never need; only writes (new ids) and files without an id (derived ids)
 * hash or draw random bytes.
 */
import { createRequire } from 'node:module';

let crypto: typeof import('node:crypto') | undefined;

function nodeCrypto(): typeof import('node:crypto') {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto;
}

/** Lowercase hex SHA-256 of `data` (a string is hashed as UTF-8). */
export function sha256Hex(data: string | Uint8Array): string {
  return nodeCrypto().createHash('sha256').update(data).digest('hex');
}

/** `bytes` bytes from the OS CSPRNG as lowercase hex (2 × bytes characters). */
export function randomHex(bytes: number): string {
  return nodeCrypto().randomBytes(bytes).toString('hex');
}
