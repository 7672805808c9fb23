import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestTranscriptCached } from '../../src/capture/digest-cache.js';

let dir: string;
let cacheDir: string;
let transcript: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-'));
  cacheDir = join(dir, 'cache');
  transcript = join(dir, 'session.jsonl');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const base = { sessionId: 's-1', cwd: '/home/dev/app', uuid: 'u' };
const line = (o: object) => `${JSON.stringify(o)}\n`;
const user = (text: string) => line({ ...base, type: 'user', message: { role: 'user', content: text } });
const bash = (id: string, command: string) =>
  line({
    ...base,
    type: 'assistant',
    message: { content: [{ type: 'tool_use', id, name: 'Bash', input: { command } }] },
  });
const result = (id: string, isError: boolean) =>
  line({
    ...base,
    type: 'user',
    message: { content: [{ type: 'tool_result', tool_use_id: id, content: 'x', is_error: isError }] },
  });

describe('digestTranscriptCached', () => {
  it('stores the digest under <cacheDir>/transcripts/<sha256 of the path>.json', async () => {
    writeFileSync(transcript, user('start') + bash('t1', 'npm ci'));
    const d = await digestTranscriptCached(transcript, cacheDir);
    expect(d.commands.map((c) => c.command)).toEqual(['npm ci']);
    const file = join(cacheDir, 'transcripts', `${createHash('sha256').update(transcript).digest('hex')}.json`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      endOffset: d.endOffset,
      digest: { sessionId: 's-1' },
    });
  });

  it('reads only the bytes added since the last call', async () => {
    // Long enough that the edited line lies past the bytes hashed to recognise the file.
    const padding = Array.from({ length: 60 }, (_, i) => user(`request number ${i} ${'x'.repeat(60)}`)).join('');
    writeFileSync(transcript, padding + bash('t1', 'npm run aaaa'));
    await digestTranscriptCached(transcript, cacheDir);

    // Rewrite an already-digested line in place (same length): a cached read does not see it.
    writeFileSync(transcript, readFileSync(transcript, 'utf8').replace('npm run aaaa', 'npm run bbbb'));
    appendFileSync(transcript, result('t1', true) + bash('t2', 'npm test') + user('and now?'));
    const d = await digestTranscriptCached(transcript, cacheDir);
    expect(d.commands.map((c) => [c.command, c.failed])).toEqual([
      ['npm run aaaa', true], // its failing result came in the new bytes
      ['npm test', false],
    ]);
    expect(d.userRequests).toHaveLength(61);
    expect(d.userRequests[60]).toBe('and now?');
    expect(d.startOffset).toBe(0);
    expect(d.endOffset).toBe(readFileSync(transcript).length);
  });

  it('matches a full read when the transcript grows in several steps', async () => {
    const parts = [user('one'), bash('a', 'ls'), result('a', false), bash('b', 'make'), result('b', true), user('two')];
    writeFileSync(transcript, '');
    for (const p of parts) {
      appendFileSync(transcript, p);
      await digestTranscriptCached(transcript, cacheDir);
    }
    const cached = await digestTranscriptCached(transcript, cacheDir);
    const fresh = await digestTranscriptCached(transcript, join(dir, 'other-cache'));
    expect(cached).toEqual(fresh);
    expect(cached.commands.map((c) => c.failed)).toEqual([false, true]);
  });

  it('starts over when the transcript was replaced or truncated', async () => {
    writeFileSync(transcript, user('old session') + bash('t1', 'old command'));
    await digestTranscriptCached(transcript, cacheDir);
    writeFileSync(
      transcript,
      user('new session, longer than the old one was') + bash('t9', 'new command') + user('more'),
    );
    const d = await digestTranscriptCached(transcript, cacheDir);
    expect(d.commands.map((c) => c.command)).toEqual(['new command']);
    expect(d.userRequests[0]).toBe('new session, longer than the old one was');

    writeFileSync(transcript, user('short'));
    expect((await digestTranscriptCached(transcript, cacheDir)).userRequests).toEqual(['short']);
  });

  it('ignores a corrupt cache entry and an unwritable cache directory', async () => {
    writeFileSync(transcript, bash('t1', 'ls'));
    await digestTranscriptCached(transcript, cacheDir);
    const file = join(cacheDir, 'transcripts', `${createHash('sha256').update(transcript).digest('hex')}.json`);
    writeFileSync(file, '{"version":1,');
    expect((await digestTranscriptCached(transcript, cacheDir)).commands).toHaveLength(1);

    const blocked = join(dir, 'not-a-dir');
    writeFileSync(blocked, '');
    expect((await digestTranscriptCached(transcript, blocked)).commands).toHaveLength(1);
    expect(existsSync(join(blocked, 'transcripts'))).toBe(false);
  });
});
