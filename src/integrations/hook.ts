/**
 * `handoff hook EVENT`: what Claude Code and Codex hooks run (design.md,
 * "Agents" and "Resume and hooks"; payloads and outputs per
 * reference/agents.md).
 *
 * - SessionStart: records the session's start, prints the resume prompt as context.
 * - PreCompact, SessionEnd: store an automatic checkpoint (`auto: true`, 7 days, user store).
 * - Stop: blocks (`{"decision": "block", "reason"}`, exit 0) until a handoff written in
 *   this session passes `check`, at most `stop_max_blocks` times.
 *
 * A hook must never break the agent: `handleHook` never throws, always
 * exits 0, answers within a time guard, and explains any problem on stderr.
 * This module imports only node builtins and small local modules; the
 * services (index, resume, draft, check) are loaded when an event needs them,
 * so that SessionStart stays cheap.
 */
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { resolvePaths } from '../config.js';
import type { HandoffConfig } from '../config.js';
import type { HandoffSummary } from '../format/schema.js';
import type { HandoffContext } from '../service/context.js';
import type { HandoffFilter } from '../store/types.js';
import { renderStopReason } from './instructions.js';
import {
  pruneSessionRecords,
  readSessionRecord,
  recordSessionStart,
  type SessionRecord,
  writeSessionRecord,
} from './session-record.js';

/** Events we handle, in the spelling of `handoff hook EVENT`. */
export type HookEvent = 'session-start' | 'pre-compact' | 'session-end' | 'stop';

/** Agents whose hook contracts we speak. */
export type HookAgentName = 'claude-code' | 'codex';

/** What the CLI prints and exits with. `exitCode` is always 0: a hook fails open. */
export interface HookResult {
  stdout: string;
  stderr: string;
  exitCode: 0;
}

/**
 * The fields we read from a hook's stdin (reference/agents.md, "Claude Code hooks" and "OpenAI Codex CLI").
 * Missing or mistyped fields are null (false for `stop_hook_active`).
 */
export interface HookPayload {
  session_id: string | null;
  transcript_path: string | null;
  cwd: string | null;
  hook_event_name: string | null;
  /** SessionStart: startup | resume | clear | compact | fork. */
  source: string | null;
  /** PreCompact: manual | auto. */
  trigger: string | null;
  /** SessionEnd: clear | resume | logout | prompt_input_exit | other. */
  reason: string | null;
  /** Stop: true when the agent is already continuing because of a stop hook. */
  stop_hook_active: boolean;
}

/** Largest context or reason we print, in characters (Claude Code caps hook output strings at 10,000). */
export const MAX_HOOK_OUTPUT_CHARS = 10_000;

/** Time guard per event in milliseconds: below each handler's installed timeout (settings.ts). */
export const HOOK_TIME_GUARD_MS: Record<HookEvent, number> = {
  'session-start': 5_000,
  stop: 8_000,
  'pre-compact': 25_000,
  'session-end': 4_000,
};

/** Automatic checkpoints expire after 7 days (design.md, "Automatic checkpoints"). */
export const CHECKPOINT_TTL_MS = 7 * 86_400_000;

/** Session records unused this long are pruned at SessionEnd. */
export const SESSION_RECORD_MAX_AGE_MS = 14 * 86_400_000;

/**
 * The event for a name as agents and users spell it: `SessionStart`,
 * `session-start`, `session_start`, `sessionstart` (any case). Null for
 * events we do not handle.
 */
export function normalizeHookEvent(name: string): HookEvent | null {
  switch (name.replace(/[-_\s]/g, '').toLowerCase()) {
    case 'sessionstart':
      return 'session-start';
    case 'precompact':
      return 'pre-compact';
    case 'sessionend':
      return 'session-end';
    case 'stop':
      return 'stop';
    default:
      return null;
  }
}

/**
 * Parses a hook's stdin. Tolerant of missing fields and a BOM; a JSON value
 * that is not an object, or text that is not JSON, is an error (one line).
 */
export function parseHookPayload(
  text: string,
): { payload: HookPayload; error: null } | { payload: null; error: string } {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body === '') return { payload: null, error: 'no hook input on stdin (expected the hook JSON)' };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    return { payload: null, error: `hook input is not valid JSON (${(e as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { payload: null, error: 'hook input is not a JSON object' };
  }
  const o = value as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : null);
  return {
    payload: {
      session_id: str('session_id'),
      transcript_path: str('transcript_path'),
      cwd: str('cwd'),
      hook_event_name: str('hook_event_name'),
      source: str('source'),
      trigger: str('trigger'),
      reason: str('reason'),
      stop_hook_active: o.stop_hook_active === true,
    },
    error: null,
  };
}

/**
 * Cuts `text` to at most `max` characters at a line boundary, saying so at
 * the end, so that the agent knows it saw part of the handoff.
 */
export function capHookText(text: string, max = MAX_HOOK_OUTPUT_CHARS): string {
  if (text.length <= max) return text;
  const note = '\n[... cut to fit the hook output limit; run `handoff resume` for the rest]';
  const room = text.slice(0, max - note.length);
  const cut = room.lastIndexOf('\n');
  return (cut > room.length / 2 ? room.slice(0, cut) : room) + note;
}

/**
 * stdout of SessionStart: JSON `hookSpecificOutput.additionalContext` for
 * Claude Code; plain text for Codex (its plain stdout becomes context). Empty
 * context gives empty output.
 */
export function formatSessionStartOutput(agent: HookAgentName, context: string): string {
  const text = capHookText(context.trim());
  if (text === '') return '';
  if (agent === 'codex') return `${text}\n`;
  return `${JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: text } })}\n`;
}

/** stdout of a blocking Stop: the same JSON for Claude Code and Codex (both accept it with exit 0). */
export function formatStopBlock(reason: string): string {
  return `${JSON.stringify({ decision: 'block', reason: capHookText(reason) })}\n`;
}

/** Per-session draft path in the Stop reason, so two sessions never share a file. */
export function draftPathFor(sessionId: string | null): string {
  const tag = (sessionId ?? '').replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
  return tag ? `/tmp/handoff-${tag}.md` : '/tmp/handoff-draft.md';
}

/** How much work a session did, from its transcript digest and git. */
export interface SessionWork {
  filesEdited: number;
  commands: number;
  /** Commits since the session started; null when not looked up (the transcript already showed work). */
  commits: number | null;
}

/** True when the session did something worth a handoff: an edit, a command, or a commit. */
export function didWork(work: SessionWork): boolean {
  return work.filesEdited > 0 || work.commands > 0 || (work.commits ?? 0) > 0;
}

/**
 * Handoffs that count for Stop: written (not `auto`) at or after the
 * session's start, newest first. `created` has whole seconds, so the start
 * is compared at second precision. In a user store only this project's
 * handoffs count; in a repo store all of them (the store is the project's).
 */
export function handoffsSince(
  rows: readonly HandoffSummary[],
  startedIso: string,
  options: { project: string | null; storeKind: string },
): HandoffSummary[] {
  const since = Math.floor(Date.parse(startedIso) / 1000) * 1000;
  return rows
    .filter((r) => !r.auto && Date.parse(r.created) >= since)
    .filter((r) => options.storeKind === 'repo' || options.project === null || r.project === options.project)
    .sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
}

/** A finding as `checkHandoff` reports it (src/quality/check.ts). */
export interface HookFinding {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number | null;
}

/**
 * The modules a hook calls, injectable so that the decision logic is tested
 * without an index, git or a transcript. `defaultHookServices()` wires the real ones lazily.
 */
export interface HookServices {
  openContext(options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<HandoffContext>;
  buildResume(ctx: HandoffContext, options: { afterCompaction?: boolean }): Promise<{ text: string }>;
  draftHandoff(ctx: HandoffContext, options: { auto: true; transcript?: string }): Promise<{ text: string }>;
  storeHandoff(
    ctx: HandoffContext,
    input: {
      content: string;
      auto: true;
      expires: string;
      project?: string;
      agent: string;
      redact: true;
      skipCheck: true;
      source: string;
    },
  ): Promise<{ id: string }>;
  listHandoffs(ctx: HandoffContext, filter: HandoffFilter): Promise<HandoffSummary[]>;
  readHandoff(ctx: HandoffContext, row: HandoffSummary): Promise<string>;
  checkHandoff(
    input: { text: string; path?: string },
    options: {
      profile?: string;
      rules?: HandoffConfig['rules'];
      lengthBudget?: number;
      repoRoot?: string | null;
      cacheDir?: string;
    },
  ): Promise<{ errors: number; findings: HookFinding[] }>;
  /**
   * Files edited and commands run, from the cached transcript digest (reads only what the transcript gained);
   * with `fromOffset`, only what happened after that byte offset.
   */
  digestTranscript(
    path: string,
    env: NodeJS.ProcessEnv,
    fromOffset?: number,
  ): Promise<{ filesEdited: number; commands: number }>;
  /** Commits reachable from HEAD committed at or after `sinceIso`; 0 when unknown. */
  countCommitsSince(repoRoot: string, sinceIso: string): Promise<number>;
}

/** Options of `handleHook`. */
export interface HandleHookOptions {
  agent: HookAgentName;
  /** Fallback working directory when the payload has no `cwd`. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Default: the real modules, imported when first needed. */
  services?: HookServices;
  /** Override the per-event time guard (tests). */
  timeoutMs?: number;
  /** Clock (tests). */
  now?: () => Date;
}

/**
 * Runs one hook event. Never throws and always resolves with `exitCode: 0`:
 * bad or missing JSON, a missing store, an internal error or the time guard
 * all give empty stdout and one line on stderr (a Stop hook that cannot
 * decide lets the session end). Unknown events give empty output.
 * @param event `SessionStart` or `session-start` etc.
 * @param stdinText the hook JSON the agent wrote on stdin.
 * @example
 * const r = await handleHook('SessionStart', '{"session_id":"abc","cwd":"/repo","source":"startup"}', { agent: 'claude-code', cwd: '/repo', env: process.env });
 * process.stdout.write(r.stdout); // {"hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":"..."}}
 */
export async function handleHook(event: string, stdinText: string, options: HandleHookOptions): Promise<HookResult> {
  const kind = normalizeHookEvent(event);
  if (kind === null) return done('', '');
  const parsed = parseHookPayload(stdinText);
  if (parsed.error !== null) return done('', `handoff hook ${kind}: ${parsed.error}; doing nothing`);
  const limit = options.timeoutMs ?? HOOK_TIME_GUARD_MS[kind];
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<HookResult>((resolve) => {
    timer = setTimeout(
      () => resolve(done('', `handoff hook ${kind}: gave up after ${limit / 1000} s; continuing without it`)),
      limit,
    );
  });
  const work = runEvent(kind, parsed.payload, options).catch((e: unknown) =>
    done('', `handoff hook ${kind}: ${(e as Error)?.message ?? String(e)}; continuing without it`),
  );
  try {
    return await Promise.race([work, guard]);
  } finally {
    clearTimeout(timer);
  }
}

function done(stdout: string, stderr: string): HookResult {
  return { stdout, stderr: stderr && !stderr.endsWith('\n') ? `${stderr}\n` : stderr, exitCode: 0 };
}

async function runEvent(kind: HookEvent, payload: HookPayload, options: HandleHookOptions): Promise<HookResult> {
  const env = options.env;
  const now = options.now ?? (() => new Date());
  const cwd = payload.cwd && existsSync(payload.cwd) ? payload.cwd : options.cwd;
  const cacheDir = resolvePaths(env).cache;
  const services = options.services ?? (await import('./hook-services.js')).defaultHookServices();
  const run: EventRun = { payload, options, cwd, cacheDir, services, now };
  switch (kind) {
    case 'session-start':
      return onSessionStart(run);
    case 'stop':
      return onStop(run);
    default:
      return onCheckpoint(run, kind);
  }
}

interface EventRun {
  payload: HookPayload;
  options: HandleHookOptions;
  cwd: string;
  cacheDir: string;
  services: HookServices;
  now: () => Date;
}

/** Saves a record; a read-only cache only costs the Stop hook its memory, so the failure is a note. */
function saveRecord(run: EventRun, record: SessionRecord, notes: string[]): void {
  try {
    writeSessionRecord(run.cacheDir, record);
  } catch (e) {
    notes.push(`cannot record the session in ${run.cacheDir} (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
}

async function withContext<T>(run: EventRun, fn: (ctx: HandoffContext) => Promise<T>): Promise<T> {
  const ctx = await run.services.openContext({ cwd: run.cwd, env: run.options.env });
  try {
    return await fn(ctx);
  } finally {
    ctx.close();
  }
}

async function onSessionStart(run: EventRun): Promise<HookResult> {
  const { payload, options } = run;
  const notes: string[] = [];
  if (payload.session_id) {
    const existing = readSessionRecord(run.cacheDir, payload.session_id);
    const record = recordSessionStart(
      existing,
      {
        sessionId: payload.session_id,
        cwd: run.cwd,
        transcriptPath: payload.transcript_path,
        source: payload.source,
        agent: options.agent,
      },
      run.now(),
    );
    saveRecord(run, record, notes);
  }
  const text = await withContext(run, async (ctx) => {
    const result = await run.services.buildResume(ctx, { afterCompaction: payload.source === 'compact' });
    notes.push(...ctx.warnings);
    return result.text;
  });
  return done(formatSessionStartOutput(options.agent, text), notesLine('session-start', notes));
}

async function onCheckpoint(run: EventRun, kind: 'pre-compact' | 'session-end'): Promise<HookResult> {
  const { payload, services, options } = run;
  const notes: string[] = [];
  if (kind === 'session-end') pruneSessionRecords(run.cacheDir, SESSION_RECORD_MAX_AGE_MS, run.now());
  const transcript = payload.transcript_path;
  if (!transcript || !existsSync(transcript)) {
    return done('', `handoff hook ${kind}: no transcript to checkpoint; skipped`);
  }
  const size = statSync(transcript).size;
  const record = payload.session_id ? readSessionRecord(run.cacheDir, payload.session_id) : null;
  // PreCompact followed by SessionEnd with nothing said in between: one checkpoint is enough.
  if (record?.checkpoint_size === size) return done('', '');
  // A handoff that passed check was stored this session: only work done after it needs a checkpoint,
  // or the checkpoint (newer, facts only) would hide the written handoff from the next session.
  if (record?.handoff_size !== undefined && size >= record.handoff_size) {
    const after = await services.digestTranscript(transcript, options.env, record.handoff_size);
    if (!didWork({ filesEdited: after.filesEdited, commands: after.commands, commits: null })) return done('', '');
  }
  const digest = await services.digestTranscript(transcript, options.env);
  if (!didWork({ filesEdited: digest.filesEdited, commands: digest.commands, commits: null })) return done('', '');
  const stored = await withContext(run, async (ctx) => {
    const user = await ctx.userContext();
    const draft = await services.draftHandoff(user, { auto: true, transcript });
    const expires = `${new Date(run.now().getTime() + CHECKPOINT_TTL_MS).toISOString().slice(0, 19)}Z`;
    return services.storeHandoff(user, {
      content: draft.text,
      auto: true,
      expires,
      ...(ctx.project ? { project: ctx.project } : {}),
      agent: options.agent,
      // A checkpoint is made from the transcript, which may quote credentials: redact rather than lose it.
      redact: true,
      skipCheck: true,
      source: `${kind} checkpoint`,
    });
  });
  if (payload.session_id) {
    const base = record ?? {
      session_id: payload.session_id,
      started: sessionStartFallback(transcript, run.now()),
      cwd: run.cwd,
      transcript_path: transcript,
      source: null,
      agent: options.agent,
      stop_blocks: 0,
    };
    saveRecord(run, { ...base, checkpoint_size: size }, notes);
  }
  return done('', notesLine(kind, [`stored automatic checkpoint ${stored.id}`, ...notes]));
}

async function onStop(run: EventRun): Promise<HookResult> {
  const { payload, services, options } = run;
  // The agent is already continuing because a Stop hook blocked it once: never loop.
  if (payload.stop_hook_active) return done('', '');
  const notes: string[] = [];
  return withContext(run, async (ctx) => {
    const max = ctx.config.stop_max_blocks;
    const existing = payload.session_id ? readSessionRecord(run.cacheDir, payload.session_id) : null;
    if (existing && existing.stop_blocks >= max) return done('', '');
    const started = existing?.started ?? sessionStartFallback(payload.transcript_path, run.now());

    const transcript = payload.transcript_path && existsSync(payload.transcript_path) ? payload.transcript_path : null;
    const digest = transcript ? await services.digestTranscript(transcript, options.env) : null;
    const work: SessionWork = { filesEdited: digest?.filesEdited ?? 0, commands: digest?.commands ?? 0, commits: null };
    if (!didWork(work) && ctx.repoRoot) work.commits = await services.countCommitsSince(ctx.repoRoot, started);
    if (!didWork(work)) return done('', '');

    const failing = await newestWrittenHandoff(run, ctx, started);
    if (failing === 'passes') {
      if (payload.session_id && transcript) {
        // Remember how far the transcript had got when the handoff was accepted (see onCheckpoint).
        const base = existing ?? {
          session_id: payload.session_id,
          started,
          cwd: run.cwd,
          transcript_path: transcript,
          source: null,
          agent: options.agent,
          stop_blocks: 0,
        };
        saveRecord(run, { ...base, handoff_size: statSync(transcript).size }, notes);
      }
      return done('', notesLine('stop', [...ctx.warnings, ...notes]));
    }

    const record: SessionRecord = existing ?? {
      session_id: payload.session_id ?? '',
      started,
      cwd: run.cwd,
      transcript_path: payload.transcript_path,
      source: null,
      agent: options.agent,
      stop_blocks: 0,
    };
    const attempt = record.stop_blocks + 1;
    if (payload.session_id) saveRecord(run, { ...record, stop_blocks: attempt }, notes);
    const reason = renderStopReason({ draftPath: draftPathFor(payload.session_id), attempt, max, failing });
    return done(formatStopBlock(reason), notesLine('stop', notes));
  });
}

/**
 * `passes` when a handoff written since `started` passes `check` (in this
 * store, or in the user store for this project); otherwise the newest one
 * that fails, with its errors, or null when none was written.
 */
async function newestWrittenHandoff(
  run: EventRun,
  ctx: HandoffContext,
  started: string,
): Promise<'passes' | { id: string; errors: string[] } | null> {
  const contexts = [ctx];
  if (ctx.store.kind === 'repo') contexts.push(await ctx.userContext());
  let failing: { id: string; errors: string[] } | null = null;
  for (const c of contexts) {
    const rows = await run.services.listHandoffs(c, {
      since: new Date(Math.floor(Date.parse(started) / 1000) * 1000).toISOString(),
      includeAuto: false,
      ...(c.store.kind === 'repo' || !ctx.project ? {} : { project: ctx.project }),
    });
    for (const row of handoffsSince(rows, started, { project: ctx.project, storeKind: c.store.kind }).slice(0, 3)) {
      const text = await run.services.readHandoff(c, row);
      const result = await run.services.checkHandoff(
        { text, path: row.path },
        {
          cacheDir: run.cacheDir,
          profile: ctx.config.profile,
          rules: ctx.config.rules,
          lengthBudget: ctx.config.length_budget,
          repoRoot: ctx.repoRoot,
        },
      );
      if (result.errors === 0) return 'passes';
      failing ??= {
        id: row.id,
        errors: result.findings
          .filter((f) => f.severity === 'error')
          .map((f) => `${f.line ? `line ${f.line}: ` : ''}${f.message} [${f.rule}]`),
      };
    }
  }
  return failing;
}

function notesLine(kind: HookEvent, notes: readonly string[]): string {
  return notes.length === 0 ? '' : `handoff hook ${kind}: ${notes.join('; ')}`;
}

/**
 * The start of a session SessionStart did not record (hooks installed
 * mid-session, a lost cache): the transcript's first timestamp, else a day
 * ago (fail open: an older handoff may then count).
 */
function sessionStartFallback(transcript: string | null, now: Date): string {
  return transcriptStart(transcript) ?? new Date(now.getTime() - 86_400_000).toISOString();
}

/**
 * The timestamp of a transcript's first line (Claude Code and Codex both
 * write `timestamp` on every line): the session's start when SessionStart
 * did not record it (hooks installed mid-session). Reads at most 64 KiB.
 */
export function transcriptStart(path: string | null): string | null {
  if (!path) return null;
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    for (const line of text.split('\n').slice(0, 20)) {
      try {
        const ts = (JSON.parse(line) as { timestamp?: unknown }).timestamp;
        if (typeof ts === 'string' && !Number.isNaN(Date.parse(ts))) return new Date(ts).toISOString();
      } catch {
        // A partial or non-JSON line: try the next.
      }
    }
    return null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
