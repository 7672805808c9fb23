/**
 * `handleHook` with the real services (index, resume, draft, check, store)
 * in a temp repository: the wiring, not the decisions (hook.test.ts covers those).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleHook } from '../../src/integrations/hook.js';
import { storeHandoff } from '../../src/service/store.js';
import { openContext } from '../../src/service/open-context.js';
import { homeEnv } from '../_env.js';

/** A real Claude Code transcript (commands, no edits): the session did work. */
const T4 = '/work/shared/corpus/transcripts/t4_claude_code_session.jsonl';

let dir: string;
let repo: string;
let env: NodeJS.ProcessEnv;
let transcript: string;

const good = readFileSync(join(import.meta.dirname, '..', '..', 'skills', 'handoff', 'SKILL.md'), 'utf8').match(
  /```markdown\n([\s\S]*?)```/,
)?.[1] as string;

const hook = (event: string, body: Record<string, unknown>) =>
  handleHook(event, JSON.stringify({ session_id: 'real-1', transcript_path: transcript, cwd: repo, ...body }), {
    agent: 'claude-code',
    cwd: repo,
    env,
  });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-'));
  repo = join(dir, 'repo');
  mkdirSync(join(repo, 'docs', 'session_handoffs'), { recursive: true });
  execFileSync('git', ['init', '-q', repo]);
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'init'], {
    cwd: repo,
  });
  transcript = join(dir, 'session.jsonl');
  copyFileSync(T4, transcript);
  env = { PATH: process.env.PATH, ...homeEnv(dir) };
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('handleHook with the real services', () => {
  it('SessionStart prints the newest handoff as context', async () => {
    const ctx = await openContext({ cwd: repo, env });
    try {
      await storeHandoff(ctx, { content: good, source: 'test' });
    } finally {
      ctx.close();
    }
    const r = await hook('SessionStart', { hook_event_name: 'SessionStart', source: 'startup' });
    expect(r.exitCode).toBe(0);
    const context = JSON.parse(r.stdout).hookSpecificOutput.additionalContext as string;
    expect(context).toContain('PostgreSQL over SQLite');
  });

  it('Stop blocks until a checked handoff is stored, then lets the session end', async () => {
    await hook('SessionStart', { hook_event_name: 'SessionStart', source: 'startup' });
    const first = await hook('Stop', { hook_event_name: 'Stop', stop_hook_active: false });
    expect(JSON.parse(first.stdout).decision).toBe('block');

    const ctx = await openContext({ cwd: repo, env });
    try {
      await storeHandoff(ctx, { content: good, source: 'test' });
    } finally {
      ctx.close();
    }
    const second = await hook('Stop', { hook_event_name: 'Stop', stop_hook_active: false });
    expect(second.stdout).toBe('');
  });

  it('PreCompact stores an automatic checkpoint in the user store, not in the repository', async () => {
    const r = await hook('PreCompact', { hook_event_name: 'PreCompact', trigger: 'auto' });
    expect(r.stderr).toMatch(/stored automatic checkpoint [0-9a-f]{8}/);
    const ctx = await openContext({ cwd: repo, env, global: true });
    try {
      await ctx.ready();
      const rows = ctx.index.list({ includeAuto: true });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ auto: true, project: 'repo' });
      expect(rows[0]?.expires).not.toBeNull();
    } finally {
      ctx.close();
    }
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' })).toBe('');
  });
});
