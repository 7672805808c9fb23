import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { createFileStore, readStoreFile, STALE_TEMP_MS } from '../../src/store/file-store.js';
import { describeStoreSuite } from './shared-suite.js';

const KEY = '20261121-1430-todo-api-state.md';

describeStoreSuite('file store', () => {
  const root = mkdtempSync(join(tmpdir(), 'handoff-'));
  return {
    store: createFileStore(join(root, 'docs', 'session_handoffs'), 'repo'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
});

describe('file store', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'handoff-'));
  });
  afterEach(() => {
    chmodSync(root, 0o700);
    rmSync(root, { recursive: true, force: true });
  });

  it('lists markdown and YAML handoffs only: no dot-files, READMEs, other files or directories', async () => {
    const dir = join(root, 'store');
    mkdirSync(join(dir, 'nested.md'), { recursive: true });
    for (const name of [
      'a.md',
      'b.markdown',
      'c.yaml',
      'd.yml',
      'README.md',
      'readme.md',
      '.tmp-x-1-1',
      '.hidden.md',
      'notes.txt',
      '.gitignore',
    ]) {
      writeFileSync(join(dir, name), 'x');
    }
    writeFileSync(join(dir, 'nested.md', 'inner.md'), 'x');
    const store = createFileStore(dir, 'repo');
    expect((await store.keys()).sort()).toEqual(['a.md', 'b.markdown', 'c.yaml', 'd.yml']);
    expect((await store.list()).map((e) => e.key).sort()).toEqual(['a.md', 'b.markdown', 'c.yaml', 'd.yml']);
    // names() skips file types: the directory named like a handoff is there, to fail on read.
    expect((await store.names?.())?.sort()).toEqual(['a.md', 'b.markdown', 'c.yaml', 'd.yml', 'nested.md']);
    await expect(store.read('nested.md')).rejects.toThrow(/no handoff file/);
  });

  it('creates the directory only on the first write', async () => {
    const dir = join(root, 'not', 'yet');
    const store = createFileStore(dir, 'repo');
    await store.list();
    await store.version();
    expect(existsSync(dir)).toBe(false);
    await store.create(KEY, 'x', 'a3f9c12e');
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', KEY]);
  });

  it('user store: directory 0700 and files 0600', async () => {
    const dir = join(root, 'user-store');
    const store = createFileStore(dir, 'user');
    await store.create(KEY, 'private', 'a3f9c12e');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, KEY)).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, '.gitignore'))).toBe(false);
  });

  it('repo store: writes a .gitignore hiding temp files, and never replaces one the team wrote', async () => {
    const dir = join(root, 'repo-store');
    await createFileStore(dir, 'repo').create(KEY, 'x', 'a3f9c12e');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('.tmp-*\n');

    const other = join(root, 'other-store');
    mkdirSync(other);
    writeFileSync(join(other, '.gitignore'), '# ours\n');
    await createFileStore(other, 'repo').create(KEY, 'x', 'a3f9c12e');
    expect(readFileSync(join(other, '.gitignore'), 'utf8')).toBe('# ours\n');
  });

  it('leaves no temp file behind after a write', async () => {
    const dir = join(root, 's');
    const store = createFileStore(dir, 'repo');
    await store.create(KEY, 'x', 'a3f9c12e');
    await store.create(KEY, 'y', 'b3f9c12e');
    expect(readdirSync(dir).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('removes temp files older than an hour that its listing saw on the next write, and keeps fresh ones (a writer at work)', async () => {
    const dir = join(root, 's');
    mkdirSync(dir);
    writeFileSync(join(dir, '.tmp-dead-1-1'), 'half a hand');
    writeFileSync(join(dir, '.tmp-busy-2-1'), 'being written');
    const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000;
    utimesSync(join(dir, '.tmp-dead-1-1'), old, old);
    const store = createFileStore(dir, 'repo');
    // `store` syncs the index first, which lists the directory; the write reuses what that listing saw.
    await store.keys();
    await store.create(KEY, 'x', 'a3f9c12e');
    expect(readdirSync(dir).filter((n) => n.startsWith('.tmp-'))).toEqual(['.tmp-busy-2-1']);
  });

  it('readStoreFile: text, mtime and size in one open; null for a missing file, a directory, a FIFO', () => {
    const dir = join(root, 'r');
    mkdirSync(join(dir, 'sub.md'), { recursive: true });
    writeFileSync(join(dir, 'a.md'), 'héllo\r\n');
    const st = statSync(join(dir, 'a.md'));
    expect(readStoreFile(dir, 'a.md')).toEqual({ text: 'héllo\r\n', mtimeMs: st.mtimeMs, size: st.size });
    expect(readStoreFile(dir, 'missing.md')).toBeNull();
    expect(readStoreFile(dir, 'sub.md')).toBeNull();
    execFileSync('mkfifo', [join(dir, 'pipe.md')]);
    // Opened non-blocking: a FIFO named like a handoff does not hang the reader.
    expect(readStoreFile(dir, 'pipe.md')).toBeNull();
  });

  it('fails with a StoreError naming the directory when a file is in the way, creating nothing', async () => {
    writeFileSync(join(root, 'blocker'), 'a file, not a directory');
    const store = createFileStore(join(root, 'blocker', 'store'), 'repo');
    const error = await store.create(KEY, 'x', 'a3f9c12e').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain(join(root, 'blocker', 'store'));
    expect(readdirSync(root)).toEqual(['blocker']);
  });

  it.skipIf(process.getuid?.() === 0)(
    'fails with a clear StoreError in a read-only directory, changing nothing',
    async () => {
      const dir = join(root, 'ro');
      mkdirSync(dir);
      writeFileSync(join(dir, 'existing.md'), 'kept');
      chmodSync(dir, 0o555);
      const store = createFileStore(dir, 'user');
      await expect(store.create(KEY, 'x', 'a3f9c12e')).rejects.toThrow(/permission denied/);
      chmodSync(dir, 0o755);
      expect(readdirSync(dir)).toEqual(['existing.md']);
    },
  );

  it('has a stable version while nothing changes, and a new one when a file arrives', async () => {
    const dir = join(root, 's');
    const store = createFileStore(dir, 'repo');
    await store.create(KEY, 'x', 'a3f9c12e');
    // Back-date the directory so its mtime is outside the "racy" window.
    const past = (Date.now() - 60_000) / 1000;
    utimesSync(dir, past, past);
    const v1 = await store.version();
    expect(await store.version()).toBe(v1);
    writeFileSync(join(dir, '20261121-1500-by-hand.md'), 'added by git pull');
    expect(await store.version()).not.toBe(v1);
  });

  it('never repeats a version token while the directory mtime is too fresh to trust', async () => {
    const store = createFileStore(join(root, 's'), 'repo');
    await store.create(KEY, 'x', 'a3f9c12e');
    expect(await store.version()).not.toBe(await store.version());
  });

  describe('firstCommitDates', () => {
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', args, {
        cwd,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@example.com',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@example.com',
          GIT_AUTHOR_DATE: '2026-03-04T05:06:07+02:00',
          GIT_COMMITTER_DATE: '2026-03-04T05:06:07+02:00',
        },
        stdio: 'pipe',
      });

    it('gives the date each file was first committed, in UTC; nothing for uncommitted files', async () => {
      const dir = join(root, 'docs', 'session_handoffs');
      mkdirSync(dir, { recursive: true });
      git(root, 'init', '-q');
      writeFileSync(join(dir, 'HANDOFF-été.md'), '# old notes\n');
      git(root, 'add', '.');
      git(root, 'commit', '-q', '-m', 'add');
      writeFileSync(join(dir, 'new.md'), '# not committed\n');
      const store = createFileStore(dir, 'repo');
      const dates = await store.firstCommitDates!(['HANDOFF-été.md', 'new.md']);
      expect(Object.fromEntries(dates)).toEqual({ 'HANDOFF-été.md': '2026-03-04T03:06:07Z' });
    });

    it('is empty outside a git repository', async () => {
      const dir = join(root, 'plain');
      mkdirSync(dir);
      writeFileSync(join(dir, 'a.md'), 'x');
      expect((await createFileStore(dir, 'user').firstCommitDates!(['a.md'])).size).toBe(0);
    });
  });
});
