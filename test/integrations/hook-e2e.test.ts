/**
 * The hook commands as an agent runs them: the guarded shell command from
 * settings.ts through `sh -c`, with the hook JSON on stdin. The guard cases
 * need no build; the `handoff` cases drive the built CLI (dist/cli/handoff.cjs) and
 * are skipped until it exists (the lead's end-to-end suite covers more).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guardedCommand } from '../../src/integrations/settings.js';
import { homeEnv } from '../_env.js';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'handoff.cjs');
const built = existsSync(cli);

let dir: string;
let bin: string;
let repo: string;
let env: NodeJS.ProcessEnv;

/** Runs a settings command the way Claude Code does: a shell, the payload on stdin. */
function runHook(command: string, stdin: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync('/bin/sh', ['-c', command], {
    input: stdin,
    env: { ...env, ...extraEnv },
    cwd: repo,
    encoding: 'utf8',
  });
  return { ...r, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

function fakeHandoff(script: string): void {
  writeFileSync(join(bin, 'handoff'), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, 'handoff'), 0o755);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-'));
  bin = join(dir, 'bin');
  repo = join(dir, 'repo');
  mkdirSync(bin);
  mkdirSync(repo);
  spawnSync('git', ['init', '-q', repo]);
  env = { PATH: bin, ...homeEnv(dir) };
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('guarded hook commands', () => {
  it('exit 0 quietly where handoff is not installed', () => {
    for (const event of ['session-start', 'pre-compact', 'session-end', 'stop'] as const) {
      const r = runHook(guardedCommand(event, 'claude-code'), '{"session_id":"s"}');
      expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    }
  });

  it('pass handoff stdout through and turn a crash into exit 0 (never exit 2, which would block)', () => {
    fakeHandoff('/bin/cat >/dev/null; echo \'{"decision":"block","reason":"r"}\'; exit 2');
    const r = runHook(guardedCommand('stop', 'claude-code'), '{"session_id":"s"}');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('{"decision":"block","reason":"r"}\n');
  });

  it('hand the hook JSON on stdin to handoff', () => {
    fakeHandoff('exec /bin/cat');
    const r = runHook(guardedCommand('session-start', 'codex'), '{"session_id":"s","source":"startup"}');
    expect(r.stdout).toBe('{"session_id":"s","source":"startup"}');
  });
});

describe.skipIf(!built)('handoff hook with the built CLI', () => {
  beforeEach(() => {
    fakeHandoff(`exec "${process.execPath}" "${cli}" "$@"`);
    env.PATH = `${bin}:/usr/bin:/bin`;
  });

  const start = () =>
    JSON.stringify({
      session_id: 'e2e00000-0000-4000-8000-000000000001',
      transcript_path: join(dir, 'missing.jsonl'),
      cwd: repo,
      hook_event_name: 'SessionStart',
      source: 'startup',
    });

  it('SessionStart exits 0 with JSON context or nothing', () => {
    const r = runHook(guardedCommand('session-start', 'claude-code'), start());
    expect(r.status).toBe(0);
    if (r.stdout !== '') {
      expect(JSON.parse(r.stdout).hookSpecificOutput.hookEventName).toBe('SessionStart');
    }
    // Reported, not asserted: the target is < 150 ms including node start on an idle machine.
    console.info(`session-start hook: ${r.ms.toFixed(0)} ms`);
  });

  it('malformed JSON and empty stdin exit 0 with a note on stderr', () => {
    for (const input of ['{"session_id": ', '']) {
      const r = runHook('handoff hook Stop', input);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/handoff hook stop: /);
    }
  });

  it('Stop with stop_hook_active lets the session end', () => {
    const r = runHook('handoff hook stop', JSON.stringify({ session_id: 's', cwd: repo, stop_hook_active: true }));
    expect([r.status, r.stdout]).toEqual([0, '']);
  });

  it('unknown events exit 0 silently', () => {
    const r = runHook('handoff hook UserPromptSubmit', '{"prompt":"hi"}');
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
  });
});
