/**
 * The hook output contract, checked the way the agents run our hooks: the
 * command strings `handoff hooks install claude-code|codex` wrote into
 * `.claude/settings.json` / `.codex/hooks.json`, run by `/bin/sh -c` with the
 * hook JSON of reference/agents.md on stdin and `handoff` on PATH as a
 * wrapper around the built CLI.
 *
 * Contract (reference/agents.md, "Claude Code hooks" and "OpenAI Codex CLI"):
 * exit 0 always (exit 2 would block); SessionStart stdout is exactly
 * `{"hookSpecificOutput": {"hookEventName": "SessionStart", "additionalContext": string}}`
 * for Claude Code and plain text for Codex, at most 10,000 characters; Stop
 * stdout is empty or exactly `{"decision": "block", "reason": non-empty}`;
 * PreCompact and SessionEnd print nothing on stdout; bad input is a note on
 * stderr, never a failure.
 *
 * The tests of one describe share a repository and run in order: the later
 * ones (checkpoints) change what the earlier ones (resume) would see.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClaudeTranscript,
  claudeTranscriptPath,
  commandsFor,
  commitAll,
  ensureBuilt,
  HOOK_OUTPUT_LIMIT,
  type HookPayload,
  type HookSettings,
  initRepo,
  makeWorld,
  matcherSelects,
  nextWholeSecond,
  onlyCommand,
  payloads,
  readSettings,
  type Run,
  sessionStartContext,
  type World,
  writeFiles,
} from './_harness.js';

/** An hour ago: the fixture history predates every session, so no commit counts as a session's work. */
const PAST = new Date(Date.now() - 3_600_000).toISOString();

const NEXT_STEP_1 = 'Add a retry with backoff to fetchFeed() in src/feed.ts and cover it in test/feed.test.ts';

const HANDOFF = `# Feed fetching

## Accomplished
- Feed parsing in src/feed.ts handles RSS and Atom; 9 tests passing in test/feed.test.ts

## Decisions
- fast-xml-parser over a DOM parser, because feeds run to megabytes and the DOM copy doubled memory

## In Progress
- Timeouts in src/feed.ts: fetchFeed() aborts after 10 s, but the caller still waits for the socket to close

## Deferred
- OPML import, until the feed list UI exists

## Next Steps
1. ${NEXT_STEP_1}
`;

let world: World;
let claude: HookSettings;
let codex: HookSettings;
const timings: Record<string, number[]> = {};
let sessionCount = 0;

/** A fresh session's ids, its transcript where Claude Code would keep it. */
function newSession(): { session_id: string; transcript_path: string; cwd: string } {
  const n = String(++sessionCount).padStart(12, '0');
  const session_id = `c0de0000-0000-4000-8000-${n}`;
  return { session_id, transcript_path: claudeTranscriptPath(world.home, world.repo, session_id), cwd: world.repo };
}

/** Runs the installed command of `event` (SessionStart: the group whose matcher selects the source). */
async function run(settings: HookSettings, event: string, payload: HookPayload | string): Promise<Run> {
  const matchValue = event === 'SessionStart' && typeof payload === 'object' ? String(payload.source) : undefined;
  const stdin = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const r = await world.runCommand(onlyCommand(settings, event, matchValue), stdin);
  timings[event] = [...(timings[event] ?? []), r.ms];
  // Exit 0 always: a non-zero code is an error to Claude Code, and 2 would block.
  expect(r.code, `${event} exit code; stderr: ${r.stderr}`).toBe(0);
  return r;
}

/** Parses a Stop stdout: empty (null) or exactly `{decision: 'block', reason}`. */
function stopDecision(stdout: string): string | null {
  if (stdout === '') return null;
  expect(stdout.endsWith('\n') && !stdout.slice(0, -1).includes('\n')).toBe(true);
  const value = JSON.parse(stdout) as Record<string, unknown>;
  expect(Object.keys(value).sort()).toEqual(['decision', 'reason']);
  expect(value.decision).toBe('block');
  expect(typeof value.reason).toBe('string');
  const reason = value.reason as string;
  expect(reason.trim()).not.toBe('');
  expect(reason.length).toBeLessThanOrEqual(HOOK_OUTPUT_LIMIT);
  return reason;
}

function checkpointsIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.md'));
  } catch {
    return [];
  }
}

beforeAll(async () => {
  ensureBuilt();
  world = makeWorld();
  initRepo(
    world,
    {
      'README.md': '# feedr\n',
      'src/feed.ts': 'export async function fetchFeed(url: string) {\n  return fetch(url);\n}\n',
      'test/feed.test.ts': "import { test } from 'node:test';\n",
    },
    PAST,
  );
  for (const args of [
    ['init', '--agent', 'claude-code'],
    ['hooks', 'install', 'claude-code'],
    ['hooks', 'install', 'codex'],
  ]) {
    const r = await world.handoff(args);
    expect(r.code, `handoff ${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
  commitAll(world, 'Set up session handoffs', PAST);
  claude = readSettings(join(world.repo, '.claude', 'settings.json'));
  codex = readSettings(join(world.repo, '.codex', 'hooks.json'));
});

afterAll(() => {
  const summary = Object.entries(timings).map(([event, ms]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return `${event} n=${ms.length} median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms max ${sorted.at(-1)!.toFixed(0)} ms`;
  });
  console.info(`hook timings (sh + node + handoff): ${summary.join('; ')}`);
  world?.cleanup();
});

describe('Claude Code: .claude/settings.json as `hooks install claude-code` writes it', () => {
  it('holds one guarded `handoff hook` command per event, with timeouts in seconds', () => {
    expect(Object.keys(claude.hooks).sort()).toEqual(['PreCompact', 'SessionEnd', 'SessionStart', 'Stop']);
    const expected: Record<string, string> = {
      SessionStart: 'session-start',
      PreCompact: 'pre-compact',
      SessionEnd: 'session-end',
      Stop: 'stop',
    };
    for (const [event, cli] of Object.entries(expected)) {
      const groups = claude.hooks[event]!;
      expect(groups).toHaveLength(1);
      const [handler] = groups[0]!.hooks;
      expect(groups[0]!.hooks).toHaveLength(1);
      expect(handler!.type).toBe('command');
      expect(handler!.command).toContain(`handoff hook ${cli}`);
      expect(handler!.command).not.toContain('--agent');
      // Seconds, below Claude Code's 600 s default; SessionEnd above its 1.5 s shared budget.
      expect(handler!.timeout).toBeGreaterThanOrEqual(2);
      expect(handler!.timeout).toBeLessThanOrEqual(60);
    }
    for (const source of ['startup', 'resume', 'clear', 'compact']) {
      expect(commandsFor(claude, 'SessionStart', source)).toHaveLength(1);
    }
  });

  it('runs nothing and exits 0 quietly on a machine without handoff on PATH', async () => {
    const empty = join(world.root, 'empty-bin');
    writeFiles(empty, { '.keep': '' });
    for (const event of Object.keys(claude.hooks)) {
      const r = await world.runCommand(onlyCommand(claude, event, 'startup'), '{"session_id":"x"}', { PATH: empty });
      expect([event, r.code, r.stdout, r.stderr]).toEqual([event, 0, '', '']);
    }
  });

  it('SessionStart before any handoff: exactly hookSpecificOutput.additionalContext, for every source', async () => {
    const s = newSession();
    for (const source of ['startup', 'resume', 'clear', 'compact'] as const) {
      const r = await run(claude, 'SessionStart', payloads.sessionStart(s, source));
      expect(r.stdout.endsWith('\n') && !r.stdout.slice(0, -1).includes('\n'), r.stdout).toBe(true);
      const context = sessionStartContext(r.stdout);
      expect(context).toMatch(/no handoff/i);
      expect(context).toContain('handoff store');
      expect(context.length).toBeLessThanOrEqual(HOOK_OUTPUT_LIMIT);
      expect(r.stderr).toBe('');
    }
  });

  describe('with a handoff in the repository store', () => {
    let storedId: string;

    beforeAll(async () => {
      const r = await world.handoff(['store'], { input: HANDOFF });
      expect(r.code, r.stderr).toBe(0);
      storedId = r.stdout.trim();
      expect(storedId).toMatch(/^[0-9a-f]{8}$/);
      commitAll(world, 'Add session handoff', PAST);
      // `created` has whole seconds: the sessions below start after it, not in the same second.
      await nextWholeSecond();
    });

    it('SessionStart for startup, resume, clear and compact gives the resume prompt with next step 1', async () => {
      const s = newSession();
      for (const source of ['startup', 'resume', 'clear', 'compact'] as const) {
        const r = await run(claude, 'SessionStart', payloads.sessionStart(s, source));
        const context = sessionStartContext(r.stdout);
        expect(context).toContain(storedId);
        expect(context).toContain(NEXT_STEP_1);
        expect(context).toContain('fast-xml-parser over a DOM parser');
        expect(context.length).toBeLessThanOrEqual(HOOK_OUTPUT_LIMIT);
        expect(r.stderr).toBe('');
      }
    });

    it('Stop with stop_hook_active true lets the session end, even with unsaved work', async () => {
      const s = newSession();
      await run(claude, 'SessionStart', payloads.sessionStart(s, 'startup'));
      const t = new ClaudeTranscript(s.transcript_path, s.session_id, s.cwd);
      t.user('Add a retry to fetchFeed');
      t.tool(
        'Edit',
        {
          file_path: join(world.repo, 'src/feed.ts'),
          old_string: 'return fetch(url);',
          new_string: 'return retry(() => fetch(url));',
        },
        'The file has been updated.',
      );
      const r = await run(claude, 'Stop', payloads.stop(s, true));
      expect(r.stdout).toBe('');
    });

    it('Stop after work without a new handoff blocks with exactly {decision, reason}, at most 3 times', async () => {
      const s = newSession();
      await run(claude, 'SessionStart', payloads.sessionStart(s, 'startup'));
      const t = new ClaudeTranscript(s.transcript_path, s.session_id, s.cwd);
      t.user('Make fetchFeed time out after 10 seconds');
      t.tool(
        'Edit',
        {
          file_path: join(world.repo, 'src/feed.ts'),
          old_string: 'return fetch(url);',
          new_string: 'return fetch(url, { signal: AbortSignal.timeout(10_000) });',
        },
        'The file has been updated.',
      );
      t.tool('Bash', { command: 'npm test', description: 'Run tests' }, '# pass 9\n# fail 0\n');
      const reasons: Array<string | null> = [];
      for (let i = 0; i < 4; i++)
        reasons.push(stopDecision((await run(claude, 'Stop', payloads.stop(s, false))).stdout));
      // The handoff stored before this session does not count as this session's.
      expect(reasons[0]).toMatch(/handoff draft/);
      expect(reasons[0]).toMatch(/handoff check/);
      expect(reasons[0]).toMatch(/handoff store/);
      expect(reasons.slice(0, 3).every((r) => r !== null)).toBe(true);
      expect(reasons[3]).toBeNull();
    });

    it('Stop lets a session that changed nothing end without a handoff', async () => {
      const s = newSession();
      await run(claude, 'SessionStart', payloads.sessionStart(s, 'startup'));
      const t = new ClaudeTranscript(s.transcript_path, s.session_id, s.cwd);
      t.user('What does fetchFeed return?');
      t.say('A Response from fetch().');
      const r = await run(claude, 'Stop', payloads.stop(s, false));
      expect(r.stdout).toBe('');
    });

    it('Stop lets the session end once it stored a handoff that passes check', async () => {
      const s = newSession();
      await run(claude, 'SessionStart', payloads.sessionStart(s, 'startup'));
      const t = new ClaudeTranscript(s.transcript_path, s.session_id, s.cwd);
      t.user('Parse Atom feeds too');
      t.tool(
        'Write',
        { file_path: join(world.repo, 'src/atom.ts'), content: 'export {};\n' },
        'File created successfully',
      );
      expect(stopDecision((await run(claude, 'Stop', payloads.stop(s, false))).stdout)).not.toBeNull();
      const stored = await world.handoff(['store'], { input: HANDOFF.replace('# Feed fetching', '# Atom feeds') });
      expect(stored.code, stored.stderr).toBe(0);
      commitAll(world, 'Add Atom feeds handoff', PAST);
      const r = await run(claude, 'Stop', payloads.stop(s, false));
      expect(r.stdout).toBe('');
    });

    it('SessionStart output stays within 10,000 characters when the handoff and the budget are far larger', async () => {
      // A second repository whose config lets resume spend 100k tokens on a ~60 KB handoff.
      const big = makeWorld();
      try {
        initRepo(big, { 'README.md': '# big\n', '.handoff.json': '{ "resume_budget": 100000 }\n' }, PAST);
        const items = Array.from(
          { length: 400 },
          (_, i) =>
            `- Migration step ${i} in src/migrations/${String(i).padStart(3, '0')}.ts: columns copied, indexes not yet rebuilt`,
        );
        const text = HANDOFF.replace('## Deferred', `${items.join('\n')}\n\n## Deferred`);
        const stored = await big.handoff(['store'], { input: text });
        expect(stored.code, stored.stderr).toBe(0);
        const s = {
          session_id: 'b16b16b1-0000-4000-8000-000000000001',
          transcript_path: join(big.root, 't.jsonl'),
          cwd: big.repo,
        };
        const r = await big.runCommand(
          onlyCommand(claude, 'SessionStart', 'startup'),
          JSON.stringify(payloads.sessionStart(s, 'startup')),
        );
        expect(r.code).toBe(0);
        const context = sessionStartContext(r.stdout);
        expect(context.length).toBeLessThanOrEqual(HOOK_OUTPUT_LIMIT);
        expect(context.length).toBeGreaterThan(HOOK_OUTPUT_LIMIT / 2);
        expect(context).toContain(NEXT_STEP_1);
      } finally {
        big.cleanup();
      }
    });

    it('PreCompact (manual, auto) prints nothing and stores one automatic checkpoint in the user store', async () => {
      const s = newSession();
      await run(claude, 'SessionStart', payloads.sessionStart(s, 'startup'));
      const userStore = world.userStore;
      const before = checkpointsIn(userStore).length;
      expect(world.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');

      // No transcript yet: nothing to checkpoint, a note on stderr.
      const none = await run(claude, 'PreCompact', payloads.preCompact(s, 'auto'));
      expect(none.stdout).toBe('');
      expect(none.stderr).toMatch(/^handoff hook pre-compact: /);

      const t = new ClaudeTranscript(s.transcript_path, s.session_id, s.cwd);
      t.user('Cache parsed feeds for five minutes');
      t.tool(
        'Write',
        { file_path: join(world.repo, 'src/cache.ts'), content: 'export const TTL_MS = 300_000;\n' },
        'File created successfully',
      );
      t.tool('Bash', { command: 'npm test', description: 'Run tests' }, '# pass 10\n# fail 0\n');
      const manual = await run(claude, 'PreCompact', payloads.preCompact(s, 'manual'));
      expect(manual.stdout).toBe('');
      const id = /stored automatic checkpoint ([0-9a-f]{8})/.exec(manual.stderr)?.[1];
      expect(id, manual.stderr).toBeDefined();
      const files = checkpointsIn(userStore);
      expect(files.length).toBe(before + 1);
      const checkpoint = files.map((f) => readFileSync(join(userStore, f), 'utf8')).find((x) => x.includes(id!))!;
      expect(checkpoint).toMatch(/^auto: true$/m);
      // Expires in 7 days (design.md, "Automatic checkpoints").
      const expires = Date.parse(/^expires: '?([^'\n]+)'?$/m.exec(checkpoint)?.[1] ?? '');
      expect(Math.abs(expires - (Date.now() + 7 * 86_400_000))).toBeLessThan(3_600_000);
      // Nothing in the repository: its store holds only written handoffs (the transcript's edits were not made on disk).
      expect(world.git(['status', '--porcelain', '--untracked-files=all'])).toBe('');

      // Nothing new in the transcript since: the second compaction adds no checkpoint.
      const auto = await run(claude, 'PreCompact', payloads.preCompact(s, 'auto'));
      expect([auto.stdout, auto.stderr]).toEqual(['', '']);
      expect(checkpointsIn(userStore).length).toBe(before + 1);

      // SessionStart(compact) offers the checkpoint.
      const r = await run(claude, 'SessionStart', payloads.sessionStart(s, 'compact'));
      const context = sessionStartContext(r.stdout);
      expect(context).toContain(id!);
      expect(context).toMatch(/checkpoint/i);
    });

    it('SessionEnd exits 0 with nothing on stdout for every reason, and checkpoints only new work', async () => {
      const s = newSession();
      await run(claude, 'SessionStart', payloads.sessionStart(s, 'startup'));
      const t = new ClaudeTranscript(s.transcript_path, s.session_id, s.cwd);
      t.user('Log feed errors');
      t.tool(
        'Write',
        { file_path: join(world.repo, 'src/log.ts'), content: 'export const log = console.error;\n' },
        'File created successfully',
      );
      const before = checkpointsIn(world.userStore).length;
      const reasons = ['clear', 'resume', 'logout', 'prompt_input_exit', 'other'] as const;
      const results: Run[] = [];
      for (const reason of reasons) results.push(await run(claude, 'SessionEnd', payloads.sessionEnd(s, reason)));
      expect(results.map((r) => r.stdout)).toEqual(reasons.map(() => ''));
      // The first one checkpoints the session; the rest see no new transcript lines.
      expect(results[0]!.stderr).toMatch(/stored automatic checkpoint [0-9a-f]{8}/);
      expect(results.slice(1).map((r) => r.stderr)).toEqual(reasons.slice(1).map(() => ''));
      expect(checkpointsIn(world.userStore).length).toBe(before + 1);
      // Within the 5 s the installed SessionEnd handler asks for.
      expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(5_000);
    });

    it('malformed JSON, non-object JSON and empty stdin: exit 0, nothing on stdout, a note on stderr', async () => {
      const events: Record<string, string> = {
        SessionStart: 'session-start',
        PreCompact: 'pre-compact',
        SessionEnd: 'session-end',
        Stop: 'stop',
      };
      for (const [event, cli] of Object.entries(events)) {
        for (const input of ['', '{"session_id": "abc", ', '[1, 2]', 'null']) {
          const r = await run(claude, event, input);
          expect([event, input, r.stdout]).toEqual([event, input, '']);
          expect(r.stderr).toMatch(new RegExp(`^handoff hook ${cli}: .*(JSON|stdin)`));
          expect(r.stderr.trim().split('\n')).toHaveLength(1);
        }
      }
    });
  });
});

describe('Codex: .codex/hooks.json as `hooks install codex` writes it', () => {
  it('holds SessionStart (no compact source), PreCompact and Stop, each run with --agent codex', () => {
    expect(Object.keys(codex.hooks).sort()).toEqual(['PreCompact', 'SessionStart', 'Stop']);
    for (const event of Object.keys(codex.hooks)) {
      expect(onlyCommand(codex, event, 'startup')).toMatch(/handoff hook [a-z-]+ --agent codex/);
    }
    const matcher = codex.hooks.SessionStart![0]!.matcher;
    expect(['startup', 'resume', 'clear'].map((s) => matcherSelects(matcher, s))).toEqual([true, true, true]);
    expect(matcherSelects(matcher, 'compact')).toBe(false);
  });

  it('SessionStart prints the resume prompt as plain text: the same context Claude Code gets as JSON', async () => {
    const id = 'd1ce0000-0000-4000-8000-000000000001';
    const s = {
      session_id: id,
      transcript_path: join(world.home, '.codex', 'sessions', 'rollout.jsonl'),
      cwd: world.repo,
    };
    const asCodex = await run(codex, 'SessionStart', payloads.sessionStart(s, 'startup'));
    const asClaude = await run(claude, 'SessionStart', payloads.sessionStart(s, 'startup'));
    expect(asCodex.stdout.startsWith('{')).toBe(false);
    expect(asCodex.stdout.trim()).not.toBe('');
    expect(asCodex.stdout.length).toBeLessThanOrEqual(HOOK_OUTPUT_LIMIT + 1);
    expect(asCodex.stdout.trim()).toBe(sessionStartContext(asClaude.stdout).trim());
  });

  it('Stop blocks a session whose rollout shows work with the same JSON, and honours stop_hook_active', async () => {
    const id = 'd1ce0000-0000-4000-8000-000000000002';
    const rollout = join(
      world.home,
      '.codex',
      'sessions',
      '2026',
      '11',
      '21',
      `rollout-2026-11-21T10-00-00-${id}.jsonl`,
    );
    const s = { session_id: id, transcript_path: rollout, cwd: world.repo };
    await run(codex, 'SessionStart', payloads.sessionStart(s, 'startup'));
    const now = new Date().toISOString();
    const lines = [
      {
        timestamp: now,
        type: 'session_meta',
        payload: { id, cwd: world.repo, cli_version: '0.155.0', git: { branch: 'main' } },
      },
      { timestamp: now, type: 'event_msg', payload: { type: 'user_message', message: 'Add a User-Agent header' } },
      {
        timestamp: now,
        type: 'response_item',
        payload: {
          type: 'function_call',
          name: 'exec_command',
          arguments: JSON.stringify({ cmd: 'npm test' }),
          call_id: 'call_1',
        },
      },
      {
        timestamp: now,
        type: 'response_item',
        payload: { type: 'function_call_output', call_id: 'call_1', output: 'ok' },
      },
    ];
    mkdirSync(dirname(rollout), { recursive: true });
    writeFileSync(rollout, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    expect(stopDecision((await run(codex, 'Stop', payloads.stop(s, false))).stdout)).toMatch(/handoff store/);
    expect((await run(codex, 'Stop', payloads.stop(s, true))).stdout).toBe('');
  });
});
