/**
 * What the hooks remember about a session between their runs, one small
 * JSON file per `session_id` under `<cacheDir>/sessions/` (design.md,
 * "Stored during this session"): when it started (Stop only accepts a
 * handoff written after that), how often Stop blocked it, and how far the
 * transcript was when the last automatic checkpoint was taken.
 *
 * Cache, not truth: a lost record only makes Stop fall back to the
 * transcript's first timestamp and start counting blocks again.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One session as the hooks saw it. Times are ISO 8601 UTC. */
export interface SessionRecord {
  session_id: string;
  /** When the session started (SessionStart with source startup/clear, or the first hook that saw it). */
  started: string;
  cwd: string;
  transcript_path: string | null;
  /** The `source` of the SessionStart that started it (startup, resume, clear, compact), or null. */
  source: string | null;
  agent: string;
  /** How many times Stop blocked this session. */
  stop_blocks: number;
  /** Transcript size in bytes when the last automatic checkpoint was stored. */
  checkpoint_size?: number;
  /** Transcript size in bytes when Stop found a stored handoff that passes check. */
  handoff_size?: number;
}

/** `session_id` as a safe file name (ids are UUIDs; anything else is neutralised), or null when unusable. */
export function sessionFileName(sessionId: string): string | null {
  const safe = sessionId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 128);
  if (safe === '' || /^\.+$/.test(safe)) return null;
  return `${safe}.json`;
}

/**
 * The record after a SessionStart. A resumed or compacted session keeps its
 * start and its block count (it is the same session going on); startup and
 * clear begin a new one.
 */
export function recordSessionStart(
  existing: SessionRecord | null,
  input: { sessionId: string; cwd: string; transcriptPath: string | null; source: string | null; agent: string },
  now: Date,
): SessionRecord {
  const continues = existing !== null && (input.source === 'resume' || input.source === 'compact');
  return {
    session_id: input.sessionId,
    started: continues ? existing.started : now.toISOString(),
    cwd: input.cwd,
    transcript_path: input.transcriptPath ?? existing?.transcript_path ?? null,
    source: continues ? existing.source : input.source,
    agent: input.agent,
    stop_blocks: continues ? existing.stop_blocks : 0,
    ...(continues && existing.checkpoint_size !== undefined ? { checkpoint_size: existing.checkpoint_size } : {}),
  };
}

/** Reads one record; null when absent or unreadable (a cache miss, never an error). */
export function readSessionRecord(cacheDir: string, sessionId: string): SessionRecord | null {
  const name = sessionFileName(sessionId);
  if (!name) return null;
  try {
    const value = JSON.parse(readFileSync(join(cacheDir, 'sessions', name), 'utf8')) as SessionRecord;
    if (typeof value?.started !== 'string' || Number.isNaN(Date.parse(value.started))) return null;
    return { ...value, stop_blocks: Number.isInteger(value.stop_blocks) ? value.stop_blocks : 0 };
  } catch {
    return null;
  }
}

/**
 * Writes one record atomically (temp file + rename in the same directory, so
 * two hooks of one session running in parallel never see half a file).
 * @throws the file system error; callers in hooks catch it and go on.
 */
export function writeSessionRecord(cacheDir: string, record: SessionRecord): void {
  const name = sessionFileName(record.session_id);
  if (!name) return;
  const dir = join(cacheDir, 'sessions');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(tmp, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  renameSync(tmp, join(dir, name));
}

/** Deletes records (and stray temp files) not touched for `maxAgeMs`. Returns how many. Never throws. */
export function pruneSessionRecords(cacheDir: string, maxAgeMs: number, now: Date): number {
  const dir = join(cacheDir, 'sessions');
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    try {
      const path = join(dir, name);
      if (now.getTime() - statSync(path).mtimeMs > maxAgeMs) {
        unlinkSync(path);
        removed++;
      }
    } catch {
      // Raced with another hook: whoever removed it, it is gone.
    }
  }
  return removed;
}
