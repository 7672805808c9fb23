import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import type { HandoffSummary } from '../../src/format/schema.js';
import {
  capHookText,
  formatSessionStartOutput,
  type HookFinding,
  type HookServices,
  handleHook,
  handoffsSince,
  normalizeHookEvent,
  parseHookPayload,
  transcriptStart,
} from '../../src/integrations/hook.js';
import { readSessionRecord, recordSessionStart } from '../../src/integrations/session-record.js';
import type { HandoffContext } from '../../src/service/context.js';

let dir: string;
let repo: string;
let cacheDir: string;
let env: NodeJS.ProcessEnv;
let transcript: string;

const SESSION = 'abc123de-0000-4000-8000-000000000001';
const NOW = new Date('2026-11-21T15:00:00.000Z');

/** Payloads as Claude Code writes them (reference/agents.md, "Claude Code hooks"). */
const payload = {
  start: (source: string) =>
    JSON.stringify({
      session_id: SESSION,
      transcript_path: transcript,
      cwd: repo,
      hook_event_name: 'SessionStart',
      source,
      permission_mode: 'default',
    }),
  stop: (active: boolean) =>
    JSON.stringify({
      session_id: SESSION,
      transcript_path: transcript,
      cwd: repo,
      hook_event_name: 'Stop',
      permission_mode: 'default',
      stop_hook_active: active,
      last_assistant_message: 'All done.',
    }),
  preCompact: () =>
    JSON.stringify({
      session_id: SESSION,
      transcript_path: transcript,
      cwd: repo,
      hook_event_name: 'PreCompact',
      trigger: 'auto',
      custom_instructions: '',
    }),
  sessionEnd: () =>
    JSON.stringify({
      session_id: SESSION,
      transcript_path: transcript,
      cwd: repo,
      hook_event_name: 'SessionEnd',
      reason: 'prompt_input_exit',
    }),
};

function summary(over: Partial<HandoffSummary>): HandoffSummary {
  return {
    id: 'a3f9c12e',
    name: null,
    project: 'repo',
    summary: null,
    tags: [],
    created: '2026-11-21T14:30:00Z',
    expires: null,
    work_type: null,
    agent: null,
    branch: null,
    commit: null,
    parent: null,
    auto: false,
    expired: false,
    path: '20261121-1430-x.md',
    ...over,
  };
}

/** A fake world: one repo store, one user store, recorded calls. */
function world(
  options: {
    handoffs?: HandoffSummary[];
    userHandoffs?: HandoffSummary[];
    check?: (text: string) => { errors: number; findings: HookFinding[] };
    digest?: { filesEdited: number; commands: number };
    commits?: number;
    resumeText?: string;
    maxBlocks?: number;
  } = {},
) {
  const calls: Array<[string, unknown]> = [];
  const makeCtx = (kind: 'repo' | 'user', rows: HandoffSummary[]): HandoffContext => {
    const ctx = {
      cwd: repo,
      repoRoot: repo,
      repoName: 'repo',
      project: 'repo',
      config: { ...DEFAULT_CONFIG, stop_max_blocks: options.maxBlocks ?? 3 },
      env,
      warnings: [],
      store: { kind, location: `/${kind}`, read: async (key: string) => `text of ${key}` },
      rows,
      userContext: async () => user,
      close: () => calls.push(['close', kind]),
    };
    return ctx as unknown as HandoffContext;
  };
  const user = makeCtx('user', options.userHandoffs ?? []);
  const repoCtx = makeCtx('repo', options.handoffs ?? []);
  const services: HookServices = {
    openContext: async (o) => {
      calls.push(['openContext', o.cwd]);
      return repoCtx;
    },
    buildResume: async (_ctx, o) => {
      calls.push(['buildResume', o]);
      return { text: options.resumeText ?? 'RESUME PROMPT' };
    },
    draftHandoff: async (ctx, o) => {
      calls.push(['draftHandoff', { store: ctx.store.kind, ...o }]);
      return { text: '## Accomplished\n- drafted\n' };
    },
    storeHandoff: async (ctx, input) => {
      calls.push(['storeHandoff', { store: ctx.store.kind, ...input }]);
      return { id: 'c0ffee00' };
    },
    listHandoffs: async (ctx, filter) => {
      calls.push(['listHandoffs', { store: ctx.store.kind, ...filter }]);
      return (ctx as unknown as { rows: HandoffSummary[] }).rows;
    },
    readHandoff: async (ctx, row) => ctx.store.read(row.path),
    checkHandoff: async (input) => {
      calls.push(['checkHandoff', input.path]);
      return options.check ? options.check(input.text) : { errors: 0, findings: [] };
    },
    digestTranscript: async (path) => {
      calls.push(['digestTranscript', path]);
      return options.digest ?? { filesEdited: 2, commands: 5 };
    },
    countCommitsSince: async (_root, since) => {
      calls.push(['countCommitsSince', since]);
      return options.commits ?? 0;
    },
  };
  const names = () => calls.map((c) => c[0]);
  return { calls, names, services };
}

function run(event: string, stdin: string, services: HookServices, agent: 'claude-code' | 'codex' = 'claude-code') {
  return handleHook(event, stdin, { agent, cwd: repo, env, services, now: () => NOW });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-'));
  repo = join(dir, 'repo');
  cacheDir = join(dir, 'cache');
  mkdirSync(repo);
  transcript = join(dir, 'session.jsonl');
  writeFileSync(transcript, `${JSON.stringify({ type: 'user', timestamp: '2026-11-21T14:00:00.000Z' })}\n`);
  env = { HOME: join(dir, 'home'), HANDOFF_CACHE: cacheDir };
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('pure parts', () => {
  it('normalises event spellings', () => {
    expect(['SessionStart', 'session-start', 'session_start', 'SESSIONSTART'].map(normalizeHookEvent)).toEqual(
      Array(4).fill('session-start'),
    );
    expect(normalizeHookEvent('PreCompact')).toBe('pre-compact');
    expect(normalizeHookEvent('SessionEnd')).toBe('session-end');
    expect(normalizeHookEvent('Stop')).toBe('stop');
    expect(normalizeHookEvent('UserPromptSubmit')).toBeNull();
  });

  it('parses payloads tolerantly and rejects what is not a JSON object', () => {
    const p = parseHookPayload('\uFEFF{"session_id": "s", "stop_hook_active": true, "source": 3}');
    expect(p.payload).toMatchObject({ session_id: 's', stop_hook_active: true, source: null, cwd: null });
    expect(parseHookPayload('').error).toMatch(/no hook input/);
    expect(parseHookPayload('{"a":').error).toMatch(/not valid JSON/);
    expect(parseHookPayload('[1]').error).toMatch(/not a JSON object/);
  });

  it('caps output at 10,000 characters at a line boundary with a note', () => {
    const long = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'x'.repeat(10)}`).join('\n');
    const capped = capHookText(long);
    expect(capped.length).toBeLessThanOrEqual(10_000);
    expect(capped).toMatch(/cut to fit the hook output limit; run `handoff resume`/);
    expect(capped.split('\n').at(-2)).toMatch(/^line \d+ x{10}$/);
    expect(capHookText('short')).toBe('short');
  });

  it('formats SessionStart output for Claude Code as JSON and for Codex as plain text', () => {
    expect(JSON.parse(formatSessionStartOutput('claude-code', 'ctx'))).toEqual({
      hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'ctx' },
    });
    expect(formatSessionStartOutput('codex', 'ctx')).toBe('ctx\n');
    expect(formatSessionStartOutput('claude-code', '  ')).toBe('');
  });

  it('counts only written (not auto) handoffs at or after the start, to the second', () => {
    const rows = [
      summary({ id: '00000001', created: '2026-11-21T14:00:00Z' }),
      summary({ id: '00000002', created: '2026-11-21T13:59:59Z' }),
      summary({ id: '00000003', created: '2026-11-21T14:10:00Z', auto: true }),
      summary({ id: '00000004', created: '2026-11-21T14:20:00Z', project: 'other' }),
    ];
    const start = '2026-11-21T14:00:00.400Z';
    expect(handoffsSince(rows, start, { project: 'repo', storeKind: 'repo' }).map((r) => r.id)).toEqual([
      '00000004',
      '00000001',
    ]);
    expect(handoffsSince(rows, start, { project: 'repo', storeKind: 'user' }).map((r) => r.id)).toEqual(['00000001']);
  });

  it('keeps the start of a resumed or compacted session, restarts on startup and clear', () => {
    const first = recordSessionStart(
      null,
      { sessionId: 's', cwd: '/r', transcriptPath: null, source: 'startup', agent: 'claude-code' },
      NOW,
    );
    const blocked = { ...first, stop_blocks: 2 };
    const later = new Date(NOW.getTime() + 60_000);
    const input = { sessionId: 's', cwd: '/r', transcriptPath: '/t', agent: 'claude-code' };
    expect(recordSessionStart(blocked, { ...input, source: 'compact' }, later)).toMatchObject({
      started: NOW.toISOString(),
      stop_blocks: 2,
      transcript_path: '/t',
    });
    expect(recordSessionStart(blocked, { ...input, source: 'clear' }, later)).toMatchObject({
      started: later.toISOString(),
      stop_blocks: 0,
    });
  });

  it('reads the first timestamp of a transcript', () => {
    expect(transcriptStart(transcript)).toBe('2026-11-21T14:00:00.000Z');
    expect(transcriptStart(join(dir, 'missing.jsonl'))).toBeNull();
  });
});

describe('SessionStart', () => {
  it('records the session and prints the resume prompt as additionalContext (startup)', async () => {
    const w = world();
    const r = await run('SessionStart', payload.start('startup'), w.services);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'RESUME PROMPT' },
    });
    expect(w.calls).toContainEqual(['buildResume', { afterCompaction: false }]);
    expect(readSessionRecord(cacheDir, SESSION)).toMatchObject({
      session_id: SESSION,
      started: NOW.toISOString(),
      cwd: repo,
      transcript_path: transcript,
      stop_blocks: 0,
    });
  });

  it('after compaction asks resume for the checkpoint and keeps the session start', async () => {
    const w = world();
    await run('SessionStart', payload.start('startup'), w.services);
    const later = new Date(NOW.getTime() + 3_600_000);
    await handleHook('session-start', payload.start('compact'), {
      agent: 'claude-code',
      cwd: repo,
      env,
      services: w.services,
      now: () => later,
    });
    expect(w.calls).toContainEqual(['buildResume', { afterCompaction: true }]);
    expect(readSessionRecord(cacheDir, SESSION)?.started).toBe(NOW.toISOString());
  });

  it('prints plain text for Codex', async () => {
    const r = await run('session-start', payload.start('startup'), world().services, 'codex');
    expect(r.stdout).toBe('RESUME PROMPT\n');
  });

  it('caps the context at 10,000 characters', async () => {
    const r = await run('SessionStart', payload.start('startup'), world({ resumeText: 'y\n'.repeat(20_000) }).services);
    const ctx = JSON.parse(r.stdout).hookSpecificOutput.additionalContext as string;
    expect(ctx.length).toBeLessThanOrEqual(10_000);
  });

  it('prints nothing when there is nothing to resume', async () => {
    const r = await run('SessionStart', payload.start('startup'), world({ resumeText: '' }).services);
    expect(r).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });
});

describe('Stop', () => {
  it('lets the session end at once when stop_hook_active is true', async () => {
    const w = world();
    const r = await run('Stop', payload.stop(true), w.services);
    expect(r).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(w.calls).toEqual([]);
  });

  it('blocks with instructions naming every command when no handoff was written', async () => {
    const w = world();
    await run('SessionStart', payload.start('startup'), w.services);
    const r = await run('Stop', payload.stop(false), w.services);
    const out = JSON.parse(r.stdout) as { decision: string; reason: string };
    expect(out.decision).toBe('block');
    for (const cmd of ['handoff draft --output /tmp/handoff-abc123de.md', 'handoff check /tmp/handoff-abc123de.md']) {
      expect(out.reason).toContain(cmd);
    }
    expect(out.reason).toContain('handoff store --file /tmp/handoff-abc123de.md');
    expect(out.reason).toMatch(/Reminder 1 of at most 3/);
    expect(r.exitCode).toBe(0);
    expect(readSessionRecord(cacheDir, SESSION)?.stop_blocks).toBe(1);
    expect(w.calls).toContainEqual(['listHandoffs', { store: 'repo', since: NOW.toISOString(), includeAuto: false }]);
  });

  it('lets the session end when a handoff written since the start passes check', async () => {
    const w = world({ handoffs: [summary({ created: '2026-11-21T15:10:00Z' })] });
    await run('SessionStart', payload.start('startup'), w.services);
    const r = await run('Stop', payload.stop(false), w.services);
    expect(r.stdout).toBe('');
    expect(w.calls).toContainEqual(['checkHandoff', '20261121-1430-x.md']);
  });

  it('ignores handoffs written before the session started and automatic checkpoints', async () => {
    const w = world({
      handoffs: [
        summary({ created: '2026-11-21T14:59:00Z' }),
        summary({ created: '2026-11-21T15:30:00Z', auto: true }),
      ],
    });
    await run('SessionStart', payload.start('startup'), w.services);
    const r = await run('Stop', payload.stop(false), w.services);
    expect(JSON.parse(r.stdout).decision).toBe('block');
    expect(w.names()).not.toContain('checkHandoff');
  });

  it('accepts a handoff stored in the user store for this project', async () => {
    const w = world({ userHandoffs: [summary({ created: '2026-11-21T15:10:00Z' })] });
    await run('SessionStart', payload.start('startup'), w.services);
    expect((await run('Stop', payload.stop(false), w.services)).stdout).toBe('');
  });

  it('blocks with the check errors when the handoff written fails check', async () => {
    const w = world({
      handoffs: [summary({ id: 'deadbeef', created: '2026-11-21T15:10:00Z' })],
      check: () => ({
        errors: 1,
        findings: [
          { rule: 'decision-rationale', severity: 'error', message: 'say why', line: 7 },
          { rule: 'metrics', severity: 'warning', message: 'add a number', line: null },
        ],
      }),
    });
    await run('SessionStart', payload.start('startup'), w.services);
    const reason = JSON.parse((await run('Stop', payload.stop(false), w.services)).stdout).reason as string;
    expect(reason).toContain('(id deadbeef) does not pass `handoff check`');
    expect(reason).toContain('- line 7: say why [decision-rationale]');
    expect(reason).not.toContain('add a number');
    expect(reason).toContain('handoff rm deadbeef');
  });

  it('blocks at most stop_max_blocks times per session', async () => {
    const w = world({ maxBlocks: 2 });
    await run('SessionStart', payload.start('startup'), w.services);
    const outs = [];
    for (let i = 0; i < 4; i++) outs.push((await run('Stop', payload.stop(false), w.services)).stdout);
    expect(outs.map((o) => (o ? JSON.parse(o).decision : 'allow'))).toEqual(['block', 'block', 'allow', 'allow']);
  });

  it('lets a session that did no work end: no edits, no commands, no commits', async () => {
    const w = world({ digest: { filesEdited: 0, commands: 0 }, commits: 0 });
    await run('SessionStart', payload.start('startup'), w.services);
    const r = await run('Stop', payload.stop(false), w.services);
    expect(r.stdout).toBe('');
    expect(w.calls).toContainEqual(['countCommitsSince', NOW.toISOString()]);
    expect(w.names()).not.toContain('listHandoffs');
  });

  it('counts new commits as work', async () => {
    const w = world({ digest: { filesEdited: 0, commands: 0 }, commits: 2 });
    await run('SessionStart', payload.start('startup'), w.services);
    expect(JSON.parse((await run('Stop', payload.stop(false), w.services)).stdout).decision).toBe('block');
  });

  it('without a recorded start, uses the transcript first timestamp', async () => {
    const w = world({ handoffs: [summary({ created: '2026-11-21T14:30:00Z' })] });
    const r = await run('Stop', payload.stop(false), w.services);
    expect(r.stdout).toBe('');
    expect(w.calls).toContainEqual([
      'listHandoffs',
      { store: 'repo', since: '2026-11-21T14:00:00.000Z', includeAuto: false },
    ]);
  });
});

describe('PreCompact and SessionEnd', () => {
  it('stores an automatic checkpoint in the user store, expiring in 7 days', async () => {
    const w = world();
    const r = await run('PreCompact', payload.preCompact(), w.services);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/stored automatic checkpoint c0ffee00/);
    expect(w.calls).toContainEqual(['draftHandoff', { store: 'user', auto: true, transcript }]);
    expect(w.calls).toContainEqual([
      'storeHandoff',
      {
        store: 'user',
        content: '## Accomplished\n- drafted\n',
        auto: true,
        expires: '2026-11-28T15:00:00Z',
        project: 'repo',
        agent: 'claude-code',
        redact: true,
        skipCheck: true,
        source: 'pre-compact checkpoint',
      },
    ]);
  });

  it('does not checkpoint twice when the transcript did not grow (PreCompact then SessionEnd)', async () => {
    const w = world();
    await run('PreCompact', payload.preCompact(), w.services);
    await run('SessionEnd', payload.sessionEnd(), w.services);
    expect(w.names().filter((n) => n === 'storeHandoff')).toHaveLength(1);
    writeFileSync(transcript, `${readFileSync(transcript, 'utf8')}{"type":"assistant"}\n`);
    await run('SessionEnd', payload.sessionEnd(), w.services);
    expect(w.names().filter((n) => n === 'storeHandoff')).toHaveLength(2);
  });

  it('a checkpoint before any SessionStart records the start from the transcript, not the checkpoint time', async () => {
    await run('PreCompact', payload.preCompact(), world().services);
    expect(readSessionRecord(cacheDir, SESSION)).toMatchObject({ started: '2026-11-21T14:00:00.000Z', stop_blocks: 0 });
  });

  it('skips a session that did no work', async () => {
    const w = world({ digest: { filesEdited: 0, commands: 0 } });
    const r = await run('SessionEnd', payload.sessionEnd(), w.services);
    expect(r).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(w.names()).not.toContain('storeHandoff');
  });

  it('skips, with a note, when the payload has no transcript', async () => {
    const r = await run('SessionEnd', JSON.stringify({ session_id: SESSION, cwd: repo }), world().services);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no transcript to checkpoint/);
  });
});

describe('failing open', () => {
  it('malformed JSON: exit 0, nothing on stdout, a note on stderr', async () => {
    const w = world();
    const r = await run('Stop', '{"session_id": ', w.services);
    expect(r).toMatchObject({ stdout: '', exitCode: 0 });
    expect(r.stderr).toMatch(/^handoff hook stop: hook input is not valid JSON/);
    expect(w.calls).toEqual([]);
  });

  it('empty stdin: exit 0 with a note', async () => {
    const r = await run('SessionStart', '', world().services);
    expect(r).toEqual({
      stdout: '',
      stderr: 'handoff hook session-start: no hook input on stdin (expected the hook JSON); doing nothing\n',
      exitCode: 0,
    });
  });

  it('unknown events: exit 0 silently', async () => {
    const w = world();
    expect(await run('UserPromptSubmit', '{"prompt": "hi"}', w.services)).toEqual({
      stdout: '',
      stderr: '',
      exitCode: 0,
    });
    expect(w.calls).toEqual([]);
  });

  it('an internal error lets the session go on with a note', async () => {
    const w = world();
    w.services.openContext = async () => {
      throw new Error('store is gone');
    };
    const r = await run('Stop', payload.stop(false), w.services);
    expect(r).toEqual({ stdout: '', stderr: 'handoff hook stop: store is gone; continuing without it\n', exitCode: 0 });
  });

  it('gives up after the time guard', async () => {
    const w = world();
    w.services.buildResume = () => new Promise(() => {});
    const r = await handleHook('SessionStart', payload.start('startup'), {
      agent: 'claude-code',
      cwd: repo,
      env,
      services: w.services,
      timeoutMs: 50,
    });
    expect(r).toEqual({
      stdout: '',
      stderr: 'handoff hook session-start: gave up after 0.05 s; continuing without it\n',
      exitCode: 0,
    });
  });

  it('an unwritable cache still prints the resume prompt', async () => {
    writeFileSync(join(dir, 'not-a-dir'), '');
    const r = await handleHook('SessionStart', payload.start('startup'), {
      agent: 'claude-code',
      cwd: repo,
      env: { ...env, HANDOFF_CACHE: join(dir, 'not-a-dir') },
      services: world().services,
    });
    expect(JSON.parse(r.stdout).hookSpecificOutput.additionalContext).toBe('RESUME PROMPT');
    expect(r.stderr).toMatch(/cannot record the session/);
  });
});
