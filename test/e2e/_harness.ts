/**
 * The agent's side of the end-to-end tests: a temporary HOME (XDG data,
 * cache and config under it), a `bin/handoff` shell wrapper around the built
 * CLI (`dist/cli/handoff.cjs`) on PATH, a git repository, the hook commands read from
 * the settings files `handoff hooks install` writes and run through
 * `/bin/sh -c` with the hook JSON on stdin, and Claude Code transcript lines
 * in the internal JSONL format (reference/agents.md, "Claude Code transcripts").
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli', 'handoff.cjs');

/** Claude Code caps every hook output string at 10,000 characters (reference/agents.md). */
export const HOOK_OUTPUT_LIMIT = 10_000;

/** Builds `dist/` when it is missing (`npm test` builds before vitest; a bare `vitest run` may not have). */
export function ensureBuilt(): void {
  if (existsSync(CLI)) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time including process start, in milliseconds. */
  ms: number;
}

/** A hook's stdin: the fields every event carries plus the event's own (reference/agents.md, "Claude Code hooks"). */
export type HookPayload = Record<string, unknown>;

export interface World {
  root: string;
  home: string;
  bin: string;
  repo: string;
  /** Environment of every process: nothing inherited but the locale; PATH = bin + node + system. */
  env: NodeJS.ProcessEnv;
  /** `$XDG_DATA_HOME/handoff`: the user store. */
  userStore: string;
  /** `handoff ARGS` through the wrapper, in `cwd` (default the repository). */
  handoff(args: string[], options?: { cwd?: string; input?: string }): Promise<Run>;
  /** `git ARGS` in the repository; throws on failure; returns stdout. */
  git(args: string[], env?: NodeJS.ProcessEnv): string;
  /** Runs one settings command as the agent does: `/bin/sh -c COMMAND`, payload on stdin, cwd the repository. */
  runCommand(command: string, stdin: string, extraEnv?: NodeJS.ProcessEnv): Promise<Run>;
  cleanup(): void;
}

/** Temp HOME, wrapper, and an empty directory `repo` (not yet a repository). */
export function makeWorld(): World {
  const root = mkdtempSync(join(tmpdir(), 'handoff-e2e-'));
  const home = join(root, 'home');
  const bin = join(root, 'bin');
  const repo = join(root, 'repo');
  for (const d of [home, bin, repo]) mkdirSync(d, { recursive: true });
  writeFileSync(join(bin, 'handoff'), `#!/bin/sh\nexec node "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'handoff'), 0o755);
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_AUTHOR_NAME: 'Ada Tester',
    GIT_AUTHOR_EMAIL: 'ada@example.com',
    GIT_COMMITTER_NAME: 'Ada Tester',
    GIT_COMMITTER_EMAIL: 'ada@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    TZ: 'UTC',
    LANG: 'C.UTF-8',
  };
  const runCommand = (command: string, stdin: string, extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnAsync('/bin/sh', ['-c', command], {
      cwd: repo,
      env: { ...env, CLAUDE_PROJECT_DIR: repo, ...extraEnv },
      input: stdin,
    });
  return {
    root,
    home,
    bin,
    repo,
    env,
    userStore: join(home, '.local', 'share', 'handoff'),
    handoff: (args, options = {}) =>
      spawnAsync(join(bin, 'handoff'), args, { cwd: options.cwd ?? repo, env, input: options.input ?? '' }),
    git(args, extra = {}) {
      const r = spawnSync('git', args, { cwd: repo, env: { ...env, ...extra }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    },
    runCommand,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Spawns without blocking the worker (the MCP client and the hooks share its event loop). */
function spawnAsync(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; input: string },
): Promise<Run> {
  const started = process.hrtime.bigint();
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
    // A hook that exits before reading stdin must not fail the test with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
  });
}

/** `git init` with one commit of `files`, dated `date` (ISO) when given. */
export function initRepo(world: World, files: Record<string, string>, date?: string): void {
  world.git(['init', '-q', '-b', 'main']);
  writeFiles(world.repo, files);
  world.git(['add', '-A']);
  world.git(['commit', '-q', '-m', 'Initial commit'], dateEnv(date));
}

/** Writes files under `dir` (relative paths, parents created). */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
}

/** Author and committer date for a git command (ISO), or nothing. */
export function dateEnv(date?: string): NodeJS.ProcessEnv {
  return date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {};
}

/** `git add -A && git commit -m SUBJECT`; returns the new HEAD. */
export function commitAll(world: World, subject: string, date?: string): string {
  world.git(['add', '-A']);
  world.git(['commit', '-q', '-m', subject], dateEnv(date));
  return world.git(['rev-parse', 'HEAD']).trim();
}

// ---- hooks as installed ----

interface HookGroup {
  matcher?: string;
  hooks: Array<{ type: string; command: string; timeout?: number }>;
}

/** A settings file as `hooks install` writes it: `{"hooks": {"<Event>": [{matcher?, hooks: [...]}]}}`. */
export interface HookSettings {
  hooks: Record<string, HookGroup[]>;
  [key: string]: unknown;
}

export function readSettings(path: string): HookSettings {
  return JSON.parse(readFileSync(path, 'utf8')) as HookSettings;
}

/**
 * Whether a group's matcher selects `value` (the SessionStart source), as
 * Claude Code reads it: `""`, `"*"` or absent = all; letters, digits, `_`
 * and `|` only = exact names; anything else = a regular expression.
 */
export function matcherSelects(matcher: string | undefined, value: string): boolean {
  if (matcher === undefined || matcher === '' || matcher === '*') return true;
  if (/^[\w|]+$/.test(matcher)) return matcher.split('|').includes(value);
  return new RegExp(matcher).test(value);
}

/** The command strings the agent runs for `event` (and, for SessionStart, `source`), in order. */
export function commandsFor(settings: HookSettings, event: string, matchValue?: string): string[] {
  const groups = settings.hooks[event] ?? [];
  return groups
    .filter((g) => matchValue === undefined || matcherSelects(g.matcher, matchValue))
    .flatMap((g) => g.hooks.filter((h) => h.type === 'command').map((h) => h.command));
}

/** The single command installed for `event`; throws when there is not exactly one (the tests rely on that). */
export function onlyCommand(settings: HookSettings, event: string, matchValue?: string): string {
  const found = commandsFor(settings, event, matchValue);
  if (found.length !== 1) throw new Error(`expected one ${event} command, found ${found.length}`);
  return found[0]!;
}

// ---- payloads (reference/agents.md, "Claude Code hooks": stdin) ----

interface SessionIds {
  session_id: string;
  transcript_path: string;
  cwd: string;
}

export const payloads = {
  sessionStart: (s: SessionIds, source: 'startup' | 'resume' | 'clear' | 'compact' | 'fork'): HookPayload => ({
    ...s,
    hook_event_name: 'SessionStart',
    permission_mode: 'default',
    source,
  }),
  preCompact: (s: SessionIds, trigger: 'manual' | 'auto'): HookPayload => ({
    ...s,
    hook_event_name: 'PreCompact',
    permission_mode: 'default',
    trigger,
    custom_instructions: trigger === 'manual' ? 'Keep the tokenizer decisions' : '',
  }),
  sessionEnd: (s: SessionIds, reason: 'clear' | 'resume' | 'logout' | 'prompt_input_exit' | 'other'): HookPayload => ({
    ...s,
    hook_event_name: 'SessionEnd',
    permission_mode: 'default',
    reason,
  }),
  stop: (s: SessionIds, stopHookActive: boolean): HookPayload => ({
    ...s,
    hook_event_name: 'Stop',
    permission_mode: 'default',
    stop_hook_active: stopHookActive,
    last_assistant_message: 'Done: the tokenizer handles quoted strings and the tests pass.',
  }),
};

/** Where Claude Code keeps a session's transcript: `~/.claude/projects/<cwd, non-alphanumerics as '-'>/<id>.jsonl`. */
export function claudeTranscriptPath(home: string, cwd: string, sessionId: string): string {
  return join(home, '.claude', 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'), `${sessionId}.jsonl`);
}

// ---- transcripts (reference/agents.md, "Claude Code transcripts"; shape as in corpus t4) ----

/** Appends Claude Code transcript lines for one session, chaining `uuid`/`parentUuid` as Claude Code does. */
export class ClaudeTranscript {
  private parent: string | null = null;
  private toolCount = 0;

  constructor(
    readonly path: string,
    readonly sessionId: string,
    readonly cwd: string,
  ) {
    mkdirSync(dirname(path), { recursive: true });
  }

  private common(type: string): Record<string, unknown> {
    const uuid = randomUUID();
    const line = {
      parentUuid: this.parent,
      isSidechain: false,
      type,
      uuid,
      timestamp: new Date().toISOString(),
      userType: 'external',
      entrypoint: 'cli',
      cwd: this.cwd,
      sessionId: this.sessionId,
      version: '2.1.252',
      gitBranch: 'main',
    };
    this.parent = uuid;
    return line;
  }

  private append(line: Record<string, unknown>): string {
    appendFileSync(this.path, `${JSON.stringify(line)}\n`);
    return line.uuid as string;
  }

  /** A prompt the user typed. */
  user(text: string): void {
    this.append({
      ...this.common('user'),
      promptId: randomUUID(),
      permissionMode: 'default',
      message: { role: 'user', content: text },
    });
  }

  /** Assistant text. */
  say(text: string): void {
    this.append({ ...this.common('assistant'), message: assistantMessage([{ type: 'text', text }]) });
  }

  /**
   * A tool call and its result, as two lines: the assistant's `tool_use` and
   * the user line carrying the `tool_result` (with `toolUseResult` and
   * `sourceToolAssistantUUID`, as Claude Code writes them).
   */
  tool(name: string, input: Record<string, unknown>, result: string, options: { isError?: boolean } = {}): void {
    const id = `toolu_01E2E${String(++this.toolCount).padStart(4, '0')}${'x'.repeat(12)}`;
    const callUuid = this.append({
      ...this.common('assistant'),
      requestId: `req_e2e${this.toolCount}`,
      message: assistantMessage([{ type: 'tool_use', id, name, input }]),
    });
    this.append({
      ...this.common('user'),
      promptId: randomUUID(),
      message: {
        role: 'user',
        content: [{ tool_use_id: id, type: 'tool_result', content: result, is_error: options.isError ?? false }],
      },
      toolUseResult:
        name === 'Bash'
          ? { stdout: result, stderr: '', interrupted: false, isImage: false }
          : { filePath: input.file_path, type: name === 'Write' ? 'create' : 'update' },
      sourceToolAssistantUUID: callUuid,
    });
  }
}

function assistantMessage(content: unknown[]): Record<string, unknown> {
  return {
    model: 'claude-opus-5',
    id: `msg_${randomUUID().replace(/-/g, '')}`,
    type: 'message',
    role: 'assistant',
    content,
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 2, output_tokens: 95, cache_read_input_tokens: 8144, cache_creation_input_tokens: 0 },
  };
}

/** Waits until just after the next whole second: git dates commits to the second, and `--since` compares at that precision. */
export async function nextWholeSecond(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
}

/** The fields `{"hookSpecificOutput": {...}}` of a SessionStart stdout; throws when it is not that exact shape. */
export function sessionStartContext(stdout: string): string {
  const value = JSON.parse(stdout) as Record<string, unknown>;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== 'hookSpecificOutput') throw new Error(`unexpected keys ${keys.join(',')}`);
  const inner = value.hookSpecificOutput as Record<string, unknown>;
  if (Object.keys(inner).sort().join(',') !== 'additionalContext,hookEventName') {
    throw new Error(`unexpected hookSpecificOutput keys ${Object.keys(inner).join(',')}`);
  }
  if (inner.hookEventName !== 'SessionStart' || typeof inner.additionalContext !== 'string') {
    throw new Error(`unexpected hookSpecificOutput ${JSON.stringify(inner).slice(0, 200)}`);
  }
  return inner.additionalContext;
}
