/**
 * Transcript digests cached by byte offset (design.md, "Resume and hooks":
 * "a hook reads only what the transcript gained since its last run").
 *
 * Cache file: `<cacheDir>/transcripts/<sha256 of the absolute path>.json`
 * holding `{version, path, endOffset, head, digest}`, where `head` is the
 * SHA-256 of the first bytes of the transcript: a transcript that was
 * replaced or truncated no longer matches and is digested again from the
 * start. The cache is an optimisation only: a missing, corrupt or unwritable
 * cache gives the same digest, read in full.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { resolvePaths } from '../config.js';
import { digestTranscript, type TranscriptDigest } from './transcript.js';

const CACHE_VERSION = 1;
/** Bytes at the start of the transcript whose hash identifies it. */
const HEAD_BYTES = 4096;

interface CacheEntry {
  version: number;
  path: string;
  endOffset: number;
  head: string;
  digest: TranscriptDigest;
}

/**
 * The digest of the whole transcript at `path`, reading only the bytes added
 * since the last call for the same path (per cache directory).
 * @param cache the tool's cache directory (`resolvePaths(env).cache`), or `{env}` to
 *   resolve it from an environment (`HANDOFF_CACHE`, `XDG_CACHE_HOME`), or `{cacheDir}`.
 * @returns the digest from offset 0 (`startOffset` 0, `lateResults` empty).
 * @throws InvalidInputError / StoreError as `digestTranscript` does for the transcript itself; never for the cache.
 * @example
 * const digest = await digestTranscriptCached(hook.transcript_path, resolvePaths(env).cache);
 */
export async function digestTranscriptCached(
  path: string,
  cache: string | { cacheDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<TranscriptDigest> {
  const cacheDir = typeof cache === 'string' ? cache : (cache.cacheDir ?? resolvePaths(cache.env ?? process.env).cache);
  const abs = resolve(path);
  const dir = join(cacheDir, 'transcripts');
  const file = join(dir, `${createHash('sha256').update(abs).digest('hex')}.json`);
  const cached = await readEntry(file, abs);

  let size = -1;
  try {
    size = (await stat(abs)).size;
  } catch {
    // digestTranscript below reports the missing file with the right error
  }
  let digest: TranscriptDigest;
  if (cached && size >= cached.endOffset && (await headHash(abs, cached.endOffset)) === cached.head) {
    if (size === cached.endOffset) return cached.digest;
    const next = await digestTranscript(abs, {
      fromOffset: cached.endOffset,
      cwd: cached.digest.cwd,
      format: cached.digest.format,
    });
    digest = mergeDigests(cached.digest, next);
  } else {
    digest = await digestTranscript(abs);
  }

  const entry: CacheEntry = {
    version: CACHE_VERSION,
    path: abs,
    endOffset: digest.endOffset,
    head: await headHash(abs, digest.endOffset),
    digest,
  };
  await writeEntry(dir, file, entry);
  return digest;
}

/**
 * Appends the digest of a later part of a transcript (`next`, read from
 * `prev.endOffset`) to the digest of the part before it. Results in `next`
 * for tool calls in `prev` mark those commands failed.
 */
export function mergeDigests(prev: TranscriptDigest, next: TranscriptDigest): TranscriptDigest {
  const byCallId = new Map<string, number>();
  const commands = prev.commands.map((c) => ({ ...c }));
  commands.forEach((c, i) => {
    if (c.callId !== null) byCallId.set(c.callId, i);
  });
  const stillLate: TranscriptDigest['lateResults'] = [...prev.lateResults];
  for (const r of next.lateResults) {
    const i = byCallId.get(r.callId);
    if (i !== undefined) commands[i]!.failed ||= r.failed;
    else stillLate.push(r);
  }
  return {
    format: prev.format !== 'unknown' ? prev.format : next.format,
    sessionId: prev.sessionId ?? next.sessionId,
    cwd: prev.cwd ?? next.cwd,
    filesEdited: [...new Set([...prev.filesEdited, ...next.filesEdited])],
    commands: [...commands, ...next.commands],
    userRequests: [...prev.userRequests, ...next.userRequests],
    startOffset: prev.startOffset,
    endOffset: next.endOffset,
    lines: prev.lines + next.lines,
    badLines: prev.badLines + next.badLines,
    lateResults: prev.startOffset === 0 ? [] : stillLate,
  };
}

async function readEntry(file: string, abs: string): Promise<CacheEntry | null> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<CacheEntry> | null;
    if (
      !value ||
      value.version !== CACHE_VERSION ||
      value.path !== abs ||
      typeof value.endOffset !== 'number' ||
      typeof value.head !== 'string' ||
      !value.digest ||
      value.digest.endOffset !== value.endOffset ||
      !Array.isArray(value.digest.commands) ||
      !Array.isArray(value.digest.filesEdited) ||
      !Array.isArray(value.digest.userRequests)
    ) {
      return null;
    }
    return value as CacheEntry;
  } catch {
    return null;
  }
}

/** SHA-256 of the first `min(HEAD_BYTES, upTo)` bytes; `""` when unreadable. */
async function headHash(path: string, upTo: number): Promise<string> {
  const length = Math.min(HEAD_BYTES, upTo);
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, 0);
      return createHash('sha256').update(buf.subarray(0, bytesRead)).digest('hex');
    } finally {
      await fh.close();
    }
  } catch {
    return '';
  }
}

/** Temp file + rename, so two hooks racing never leave a half-written entry. Failures are ignored. */
async function writeEntry(dir: string, file: string, entry: CacheEntry): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(tmp, JSON.stringify(entry), { mode: 0o600 });
    await rename(tmp, file);
  } catch {
    await unlink(tmp).catch(() => {});
  }
}
