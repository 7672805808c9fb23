/**
 * Checks on what users hand to `store` and `import` (issue 2, "Bad input and
 * faults"): each failure is one clear line and nothing is written.
 */
import { isUtf8 } from 'node:buffer';
import { InvalidInputError, UsageError } from '../errors.js';
import { MAX_CONTENT_BYTES } from '../format/constants.js';

/**
 * Decodes content given as bytes or text and rejects what cannot be a handoff.
 * @param source what to call the content in messages (`stdin`, a path).
 * @returns the text, with a leading UTF-8 BOM removed.
 * @throws InvalidInputError for empty content, NUL bytes (binary), invalid UTF-8, or more than 1 MiB.
 */
export function decodeContent(content: string | Buffer, source: string): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  if (bytes.length > MAX_CONTENT_BYTES) {
    throw new InvalidInputError(
      `${source}: content is ${bytes.length} bytes, over the 1 MiB limit; a handoff should be a short document`,
    );
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new InvalidInputError(`${source}: content is binary (NUL byte at offset ${nul}); a handoff is UTF-8 text`);
  }
  // buffer.isUtf8 (native) rather than a fatal TextDecoder, whose set-up cost ~0.5 ms of every store.
  if (!isUtf8(bytes)) {
    throw new InvalidInputError(`${source}: content is not valid UTF-8; save it as UTF-8 text`);
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '')
    throw new InvalidInputError(`${source}: no content provided; pipe the handoff on stdin or use --file`);
  return text;
}

const TTL_UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * Parses a TTL as the `handoff` CLI does (`2h`, `7d`), plus weeks (`2w`).
 * @returns milliseconds (> 0).
 * @throws UsageError for anything else, e.g. `14`, `0d`, `3m`.
 */
export function parseTtl(ttl: string): number {
  const m = /^(\d{1,6})([hdw])$/.exec(ttl.trim());
  if (!m) throw new UsageError(`invalid --ttl '${ttl}': use a positive number with h, d or w (e.g. 12h, 14d, 2w)`);
  const n = Number(m[1]);
  if (n <= 0) throw new UsageError(`invalid --ttl '${ttl}': must be positive`);
  return n * TTL_UNITS[m[2] as string]!;
}

/**
 * Rejects names and projects that could escape a directory or break a table:
 * `/`, `\`, `..`, control characters (issue 2).
 * @throws InvalidInputError naming the flag.
 */
export function assertSafeLabel(value: string, what: string): void {
  if (value === '') throw new InvalidInputError(`${what} must not be empty`);
  if (value.includes('/') || value.includes('\\'))
    throw new InvalidInputError(`${what} '${printable(value)}' must not contain '/' or '\\'`);
  if (value.includes('..')) throw new InvalidInputError(`${what} '${printable(value)}' must not contain '..'`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is rejected
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new InvalidInputError(`${what} must not contain control characters`);
  if (value.length > 200) throw new InvalidInputError(`${what} is longer than 200 characters`);
}

function printable(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: shown escaped
  return value.replace(/[\u0000-\u001f\u007f]/g, '?');
}

/**
 * Parses `--since`: an ISO 8601 date/date-time, or a relative age (`3d`, `12h`, `2w`).
 * @returns ISO 8601 UTC.
 * @throws UsageError otherwise.
 */
export function parseSince(since: string, now = Date.now()): string {
  if (/^\d{1,6}[hdw]$/.test(since)) return new Date(now - parseTtl(since)).toISOString();
  const t = Date.parse(since);
  if (Number.isNaN(t)) throw new UsageError(`invalid --since '${since}': use a date (2026-11-01) or an age (7d)`);
  return new Date(t).toISOString();
}
