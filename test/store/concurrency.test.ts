/**
 * Several processes writing into one store and one index at once, a writer
 * killed mid-write, and the parse workers of a large rebuild. The children
 * run a bundled copy of the store code (_bundle.ts) with plain `node`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore, STALE_TEMP_MS } from '../../src/store/file-store.js';
import { openIndex } from '../../src/store/index-db.js';
import { bundleChild } from './_bundle.js';

let child: string;

beforeAll(async () => {
  child = await bundleChild();
});
afterAll(() => {
  rmSync(dirname(child), { recursive: true, force: true });
});

function run(
  args: string[],
  options: { uid?: number; gid?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('store and index under concurrency', () => {
  let root: string;
  let dir: string;
  let cacheDir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'handoff-'));
    dir = join(root, 'store');
    cacheDir = join(root, 'cache');
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('8 processes storing 250 handoffs each at once: 2,000 files, 2,000 index rows, unique ids', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => run(['write', dir, cacheDir, '250'])));
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
    const ids = results.flatMap((r) => JSON.parse(r.stdout) as string[]);
    expect(ids).toHaveLength(2000);

    const names = readdirSync(dir);
    expect(names.filter((n) => n.endsWith('.md'))).toHaveLength(2000);
    expect(names.filter((n) => n.startsWith('.tmp-'))).toEqual([]);

    const index = openIndex(createFileStore(dir, 'repo'), { cacheDir });
    try {
      // Every writer noted its own files; the final sync finds nothing missing.
      expect(index.count()).toBe(2000);
      const report = await index.sync();
      expect(report).toMatchObject({ added: 0, removed: 0, errors: [] });
      const rows = index.list({ all: true });
      expect(rows).toHaveLength(2000);
      const indexed = new Set(rows.map((h) => h.id));
      expect(indexed.size).toBe(2000);
      expect(report.duplicates).toEqual([]);
      for (const id of ids) expect(indexed.has(id)).toBe(true);
    } finally {
      index.close();
    }
  }, 120_000);

  it('a writer killed mid-write leaves no partial handoff, only a temp file the next write removes', async () => {
    mkdirSync(dir, { recursive: true });
    let killed = false;
    const sawTemp = new Promise<void>((resolve) => {
      const watcher = watch(dir, (_event, name) => {
        if (name?.startsWith('.tmp-')) {
          watcher.close();
          resolve();
        }
      });
    });
    const p: ChildProcess = spawn(process.execPath, [child, 'big', dir, '300'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => p.on('exit', () => resolve()));
    await sawTemp;
    killed = p.kill('SIGKILL');
    await exited;
    expect(killed).toBe(true);

    const store = createFileStore(dir, 'repo');
    expect(await store.keys()).toEqual([]);
    const temps = readdirSync(dir).filter((n) => n.startsWith('.tmp-'));
    expect(temps).toHaveLength(1);
    const index = openIndex(store, { cacheDir });
    try {
      await index.sync();
      expect(index.count()).toBe(0);

      // An hour later, the next write cleans up.
      const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000;
      utimesSync(join(dir, temps[0]!), old, old);
      await store.create('20260101-0000-after.md', '# after\n', 'aaaaaaaa');
      expect(readdirSync(dir).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
      await index.sync();
      expect(index.list().map((h) => h.path)).toEqual(['20260101-0000-after.md']);
    } finally {
      index.close();
    }
  }, 60_000);

  it.runIf(process.getuid?.() === 0)(
    'a store directory the user cannot write: StoreError saying so, nothing changed',
    async () => {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      writeFileSync(join(dir, 'existing.md'), 'kept');
      const nobody = { uid: 65534, gid: 65534 };
      const r = await run(['try-write', dir], nobody);
      expect(r.code, r.stderr).toBe(0);
      const { error } = JSON.parse(r.stdout) as { error: { name: string; message: string } };
      expect(error.name).toBe('StoreError');
      expect(error.message).toContain(dir);
      expect(error.message).toMatch(/permission denied/);
      expect(readdirSync(dir)).toEqual(['existing.md']);
    },
  );

  it('a memory store of more than 500 files is parsed in a worker from the texts, with the same result', async () => {
    const inThread = await run(['rebuild-memory', '-', '600', '0']);
    const pooled = await run(['rebuild-memory', '-', '600', '1']);
    expect(inThread.code, inThread.stderr).toBe(0);
    expect(pooled.code, pooled.stderr).toBe(0);
    const a = JSON.parse(inThread.stdout);
    const b = JSON.parse(pooled.stdout);
    expect([a.workerThreads, b.workerThreads]).toEqual([0, 1]);
    expect(b.report.added).toBe(600);
    expect(b.rows).toEqual(a.rows);
    expect(b.contents).toEqual(a.contents);
    expect(b.contents[0]).toMatch(/🚀\r\n$/);
  }, 60_000);

  it('a rebuild of more than 500 files parses in worker threads, with the same result as in-thread', async () => {
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 700; i++) {
      const created = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().slice(0, 19);
      const id = (0x10000000 + i).toString(16);
      const fm = i % 3 === 0 ? '' : `---\nid: ${id}\ncreated: ${created}Z\nsummary: handoff ${i}\n---\n`;
      writeFileSync(
        join(dir, `h-${i}.md`),
        `${fm}# Title ${i}\n\n## Decisions\n- Option ${i} over the other — reason ${i}\n## Next Steps\n1. Step ${i}\n`,
      );
    }
    writeFileSync(join(dir, 'broken.md'), '---\nid: [oops\n---\nbody\n');
    // Listed (symlinks are followed) but not regular files: skipped by both paths, neither hangs.
    execFileSync('mkfifo', [join(dir, '.pipe')]);
    symlinkSync('.pipe', join(dir, 'to-fifo.md'));
    symlinkSync('nowhere.md', join(dir, 'dangling.md'));
    const inThread = await run(['rebuild', dir, join(root, 'cache-0'), '0']);
    const pooled = await run(['rebuild', dir, join(root, 'cache-2'), '2']);
    expect(inThread.code, inThread.stderr).toBe(0);
    expect(pooled.code, pooled.stderr).toBe(0);
    const a = JSON.parse(inThread.stdout);
    const b = JSON.parse(pooled.stdout);
    expect(a.workerThreads).toBe(0);
    expect(b.workerThreads).toBe(2);
    expect(b.report.added).toBe(700);
    expect(b.report.errors).toHaveLength(1);
    expect(b.report.errors[0].path).toBe(join(dir, 'broken.md'));
    expect(b.rows).toEqual(a.rows);
    expect(b.sections).toEqual(a.sections);
    expect(b.progress[0]).toBe(0);
    // Progress counts every listed name (a rebuild stats files as it reads them): 700 + broken + 2 non-files.
    expect(b.progress.at(-1)).toBe(703);
  }, 60_000);
});
