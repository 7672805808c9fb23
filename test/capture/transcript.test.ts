import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestTranscript } from '../../src/capture/transcript.js';

const CORPUS = '/work/shared/corpus/transcripts';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes JSON lines (objects are stringified, strings written as they are). */
function jsonl(name: string, lines: Array<object | string>): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

// Claude Code lines, shaped as in reference/agents.md and the t4 transcript.
const base = { sessionId: 'sess-1', cwd: '/home/dev/app', version: '2.1.0', uuid: 'u' };
const userText = (content: unknown, extra: object = {}) => ({
  ...base,
  type: 'user',
  message: { role: 'user', content },
  ...extra,
});
const toolUse = (id: string, name: string, input: object) => ({
  ...base,
  type: 'assistant',
  message: { role: 'assistant', content: [{ type: 'tool_use', id, name, input }] },
});
const toolResult = (id: string, content: unknown, isError?: boolean) =>
  userText([
    { type: 'tool_result', tool_use_id: id, content, ...(isError === undefined ? {} : { is_error: isError }) },
  ]);

// Codex rollout lines.
const cx = (type: string, payload: object) => ({ timestamp: '2026-09-23T23:24:50.593Z', type, payload });
const fnCall = (callId: string, name: string, args: object) =>
  cx('response_item', { type: 'function_call', name, arguments: JSON.stringify(args), call_id: callId });
const fnOut = (callId: string, output: string) =>
  cx('response_item', { type: 'function_call_output', call_id: callId, output });

describe('digestTranscript on the real corpus', () => {
  it('t4 (Claude Code): every Bash command, no edits, both user requests', async () => {
    const d = await digestTranscript(join(CORPUS, 't4_claude_code_session.jsonl'));
    expect(d).toMatchObject({
      format: 'claude-code',
      sessionId: '51c7b049-06a2-4456-b33e-7f24710a4685',
      cwd: '/private/tmp/session-fixture-repo',
      filesEdited: [],
      badLines: 0,
      lines: 30,
      endOffset: statSync(join(CORPUS, 't4_claude_code_session.jsonl')).size,
    });
    expect(d.commands.map((c) => c.command)).toEqual([
      'mkdir -p src && echo created',
      "printf '#!/bin/bash\\necho Hello\\n' > src/greet.sh && echo written",
      'chmod +x src/greet.sh && test -x src/greet.sh && echo executable',
      './src/greet.sh',
      'wc -l < src/greet.sh',
      "printf 'echo Goodbye\\n' >> src/greet.sh && echo appended",
      './src/greet.sh',
      "printf '%s\\n' '#!/bin/bash' 'echo $(ls src/*.sh | wc -l)' > src/count.sh && echo written",
      'chmod +x src/count.sh && test -x src/count.sh && echo executable',
      './src/count.sh',
      'grep -c echo src/greet.sh',
    ]);
    expect(d.commands.every((c) => !c.failed)).toBe(true);
    expect(d.userRequests).toHaveLength(2);
    expect(d.userRequests[0]).toMatch(/^Work only through the Bash tool — never Edit or Write\./);
    expect(d.userRequests[1]).toMatch(/^Same rules — Bash only/);
    expect(d.userRequests.every((r) => Array.from(r).length <= 200)).toBe(true);
  });

  it('t5 (Codex rollout): session, cwd and the three user messages; no tool calls in it', async () => {
    const d = await digestTranscript(join(CORPUS, 't5_codex_rollout.jsonl'));
    expect(d).toMatchObject({
      format: 'codex',
      sessionId: '01a0d095-5bd9-7d73-871a-b6756ea97139',
      cwd: '/work/repo',
      filesEdited: [],
      commands: [],
      // Each prompt is written as a response_item and as an event; counted once.
      userRequests: ['[redacted]', '[redacted]', '[redacted]'],
      badLines: 0,
      lines: 45,
    });
  });

  it.each([
    ['t1_pi_session.jsonl', 1, '019f5be5-7b1a-7000-8a7c-db42f66cd116'],
    ['t2_pi_session.jsonl', 1, 'scc6968a3db48'],
    ['t3_managed_agent_events.jsonl', 0, null],
  ])('%s: unknown format, %i bad line(s) counted, generic facts kept', async (file, bad, sessionId) => {
    const d = await digestTranscript(join(CORPUS, file));
    expect(d.format).toBe('unknown');
    expect(d.badLines).toBe(bad);
    expect(d.sessionId).toBe(sessionId);
    expect(d.endOffset).toBe(statSync(join(CORPUS, file)).size);
    expect(d.commands.length).toBeGreaterThan(0);
  });

  it('t1: the shell commands and writes of the pi session, with the failed pip install', async () => {
    const d = await digestTranscript(join(CORPUS, 't1_pi_session.jsonl'));
    expect(d.cwd).toBe('/home/user/tmp');
    expect(d.filesEdited).toEqual([
      'inline-agent/pyproject.toml',
      'inline-agent/src/inline_agent/__init__.py',
      'inline-agent/README.md',
      'inline-agent/LICENSE',
      'inline-agent/.gitignore',
      'inline-agent/src/inline_agent/loop.py',
    ]);
    expect(d.commands).toHaveLength(10);
    expect(d.commands.filter((c) => c.failed).map((c) => c.command)).toEqual([
      'cd ~/tmp/inline-agent && pip install -e . 2>&1 | tail -5',
      'cd ~/tmp/inline-agent && python3 -m venv .venv && .venv/bin/pip install -e . 2>&1 | tail -5',
    ]);
    expect(d.userRequests.slice(0, 2)).toEqual(['hi', '방가링']);
  });

  it('t3: failed tool results are tied to their bash commands', async () => {
    const d = await digestTranscript(join(CORPUS, 't3_managed_agent_events.jsonl'));
    expect(d.commands).toHaveLength(57);
    expect(d.commands.filter((c) => c.failed)).toHaveLength(3);
    expect(d.filesEdited).toContain('/workspace/repro/REPRODUCIBILITY.md');
    expect(d.lateResults).toEqual([]);
  });
});

describe('digestTranscript on Claude Code transcripts', () => {
  it('tells failed commands from successful ones', async () => {
    const path = jsonl('claude.jsonl', [
      toolUse('t1', 'Bash', { command: 'npm test', description: 'Run tests' }),
      toolResult('t1', 'Exit code 1\nFAIL src/a.test.ts', true),
      toolUse('t2', 'Bash', { command: 'npm run build' }),
      toolResult('t2', [{ type: 'text', text: 'built in 2s' }], false),
      toolUse('t3', 'Bash', { command: 'make lint' }),
      toolResult('t3', 'Exit code 2\nmake: *** [lint] Error 2'),
      toolUse('t4', 'Bash', { command: 'cat missing.txt' }),
      toolResult('t4', '<error>cat: missing.txt: No such file or directory</error>'),
      toolUse('t5', 'Bash', { command: 'echo "Exit code 1 is fine here"' }),
      toolResult('t5', 'Exit code 1 is fine here', false),
    ]);
    const d = await digestTranscript(path);
    expect(d.commands.map((c) => [c.command, c.failed])).toEqual([
      ['npm test', true],
      ['npm run build', false],
      ['make lint', true],
      ['cat missing.txt', true],
      ['echo "Exit code 1 is fine here"', false],
    ]);
  });

  it('lists edited files relative to the session cwd, outside paths as written', async () => {
    const path = jsonl('claude.jsonl', [
      toolUse('a', 'Write', { file_path: '/home/dev/app/src/new.ts', content: 'x' }),
      toolUse('b', 'Edit', { file_path: '/home/dev/app/src/old.ts', old_string: 'a', new_string: 'b' }),
      toolUse('c', 'MultiEdit', { file_path: '/home/dev/app/src/old.ts', edits: [] }),
      toolUse('d', 'NotebookEdit', { notebook_path: '/home/dev/app/nb/a.ipynb', new_source: '' }),
      toolUse('e', 'Read', { file_path: '/home/dev/app/README.md' }),
      toolUse('f', 'Write', { file_path: '/etc/hosts', content: '' }),
      toolUse('g', 'Write', { file_path: '/home/dev/application/x.ts', content: '' }),
    ]);
    const d = await digestTranscript(path);
    expect(d.filesEdited).toEqual([
      'src/new.ts',
      'src/old.ts',
      'nb/a.ipynb',
      '/etc/hosts',
      '/home/dev/application/x.ts',
    ]);
  });

  it("keeps the user's words and drops tool results, reminders, command wrappers and meta lines", async () => {
    const long = `Refactor the parser ${'and keep going '.repeat(30)}`;
    const path = jsonl('claude.jsonl', [
      userText('Add a --json flag to list'),
      userText(
        '<command-name>/clear</command-name>\n<command-message>clear</command-message>\n<command-args></command-args>',
      ),
      userText('<local-command-stdout>Cleared</local-command-stdout>'),
      userText('Caveat: The messages below were generated by the user while running local commands.', { isMeta: true }),
      userText([{ type: 'text', text: 'Fix the flaky test\n<system-reminder>Todo list is empty</system-reminder>' }]),
      userText('<system-reminder>only a reminder</system-reminder>'),
      toolResult('x', 'ok'),
      userText('Summarise what the subagent found', { isSidechain: true }),
      userText('[Request interrupted by user for tool use]'),
      userText(long),
    ]);
    const d = await digestTranscript(path);
    expect(d.userRequests.slice(0, 2)).toEqual(['Add a --json flag to list', 'Fix the flaky test']);
    expect(d.userRequests).toHaveLength(3);
    expect(Array.from(d.userRequests[2]!)).toHaveLength(200);
    expect(d.userRequests[2]).toMatch(/^Refactor the parser and keep going .*…$/);
  });

  it('counts invalid JSON lines and reads on', async () => {
    const path = jsonl('claude.jsonl', [
      userText('first'),
      '{"type":"user","message":{"content":"broken\\q"}}',
      'not json at all',
      '',
      toolUse('t1', 'Bash', { command: 'ls' }),
    ]);
    const d = await digestTranscript(path);
    expect(d).toMatchObject({ format: 'claude-code', badLines: 2, lines: 4, userRequests: ['first'] });
    expect(d.commands.map((c) => c.command)).toEqual(['ls']);
  });
});

describe('digestTranscript on Codex rollouts', () => {
  it('reads shell, exec_command and apply_patch calls and their exit codes', async () => {
    const patch = [
      '*** Begin Patch',
      '*** Update File: src/app.ts',
      '@@',
      '-a',
      '+b',
      '*** Add File: src/new.ts',
      '+x',
      '*** Delete File: src/old.ts',
      '*** End Patch',
    ].join('\n');
    const path = jsonl('rollout.jsonl', [
      cx('session_meta', { id: 'codex-1', cwd: '/work/repo', git: { branch: 'main' } }),
      cx('response_item', {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: '<environment_context>\n  <cwd>/work/repo</cwd>\n</environment_context>' },
        ],
      }),
      cx('response_item', {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'run the tests and fix them' }],
      }),
      cx('event_msg', { type: 'user_message', message: 'run the tests and fix them', images: [] }),
      fnCall('c1', 'shell', { command: ['bash', '-lc', 'npm test'], workdir: '/work/repo' }),
      fnOut('c1', JSON.stringify({ output: '1 failing', metadata: { exit_code: 1, duration_seconds: 2.1 } })),
      fnCall('c2', 'shell', { command: ['rg', '-n', 'TODO', 'src dir'] }),
      fnOut('c2', JSON.stringify({ output: 'src/a.ts:1: TODO', metadata: { exit_code: 0 } })),
      fnCall('c3', 'exec_command', { cmd: 'cargo build', yield_time_ms: 1000 }),
      fnOut('c3', 'Chunk ID: 1\nWall time: 3.0 seconds\nProcess exited with code 101\nOutput:\nerror[E0308]'),
      fnCall('c4', 'exec_command', { cmd: 'git status' }),
      fnOut('c4', 'Exit code: 0\nWall time: 0.1 seconds\nOutput:\nclean'),
      cx('response_item', {
        type: 'custom_tool_call',
        name: 'apply_patch',
        input: patch,
        call_id: 'c5',
        status: 'completed',
      }),
      fnCall('c6', 'shell', { command: ['apply_patch', '*** Begin Patch\n*** Update File: README.md\n*** End Patch'] }),
      cx('event_msg', {
        type: 'patch_apply_end',
        call_id: 'c5',
        success: true,
        changes: { '/work/repo/src/app.ts': {} },
      }),
      cx('event_msg', { type: 'user_message', message: 'now commit' }),
    ]);
    const d = await digestTranscript(path);
    expect(d).toMatchObject({ format: 'codex', sessionId: 'codex-1', cwd: '/work/repo', badLines: 0 });
    expect(d.commands.map((c) => [c.command, c.failed])).toEqual([
      ['npm test', true],
      ["rg -n TODO 'src dir'", false],
      ['cargo build', true],
      ['git status', false],
    ]);
    expect(d.filesEdited).toEqual(['src/app.ts', 'src/new.ts', 'src/old.ts', 'README.md']);
    expect(d.userRequests).toEqual(['run the tests and fix them', 'now commit']);
  });
});

describe('digestTranscript from a byte offset', () => {
  it('reads only what was appended, and leaves a half-written last line for next time', async () => {
    const path = jsonl('claude.jsonl', [userText('first request'), toolUse('t1', 'Bash', { command: 'npm ci' })]);
    const first = await digestTranscript(path);
    expect(first.endOffset).toBe(statSync(path).size);

    const added = JSON.stringify(toolUse('t2', 'Bash', { command: 'npm test' }));
    const partial = JSON.stringify(userText('second request'));
    appendFileSync(path, `${JSON.stringify(toolResult('t1', 'Exit code 1', true))}\n${added}\n${partial.slice(0, 25)}`);
    const second = await digestTranscript(path, { fromOffset: first.endOffset, cwd: first.cwd, format: first.format });
    expect(second.startOffset).toBe(first.endOffset);
    expect(second.userRequests).toEqual([]);
    expect(second.commands.map((c) => c.command)).toEqual(['npm test']);
    // the result of t1 arrived in this part; its call was in the first
    expect(second.lateResults).toEqual([{ callId: 't1', failed: true }]);
    expect(second.endOffset).toBe(statSync(path).size - 25);

    appendFileSync(path, `${partial.slice(25)}\n`);
    const third = await digestTranscript(path, { fromOffset: second.endOffset });
    expect(third.userRequests).toEqual(['second request']);
    expect(third.endOffset).toBe(statSync(path).size);
    expect(third.badLines).toBe(0);
  });

  it('reads a complete last line that has no newline', async () => {
    const path = join(dir, 'no-newline.jsonl');
    writeFileSync(path, JSON.stringify(userText('only line')));
    const d = await digestTranscript(path);
    expect(d.userRequests).toEqual(['only line']);
    expect(d.endOffset).toBe(statSync(path).size);
  });

  it('keeps multi-byte characters intact across 1 MiB read chunks', async () => {
    const big = 'é'.repeat(600_000); // 1.2 MB of 2-byte characters
    const path = jsonl('big.jsonl', [userText(`x${big}`), toolUse('t1', 'Bash', { command: 'echo café' })]);
    const d = await digestTranscript(path);
    expect(d.badLines).toBe(0);
    expect(d.commands.map((c) => c.command)).toEqual(['echo café']);
    expect(d.userRequests[0]).toMatch(/^xéé/);
  });

  it('returns an empty digest at the end of the file', async () => {
    const path = jsonl('claude.jsonl', [userText('one')]);
    const size = statSync(path).size;
    expect(await digestTranscript(path, { fromOffset: size })).toMatchObject({
      format: 'unknown',
      lines: 0,
      startOffset: size,
      endOffset: size,
    });
  });
});

describe('digestTranscript errors', () => {
  it('names a missing transcript', async () => {
    await expect(digestTranscript(join(dir, 'nope.jsonl'))).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('does not exist'),
    });
  });

  it('gives format unknown for an empty file', async () => {
    const path = join(dir, 'empty.jsonl');
    writeFileSync(path, '');
    expect(await digestTranscript(path)).toMatchObject({ format: 'unknown', lines: 0, endOffset: 0, commands: [] });
  });
});
