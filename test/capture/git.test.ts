import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectGitFacts } from '../../src/capture/git.js';
import { commitFiles, fastImportRepo, initRepo, sh, writeFiles } from './_repo.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('collectGitFacts', () => {
  it('returns null outside a repository', async () => {
    expect(await collectGitFacts(dir)).toBeNull();
  });

  it('reports branch, HEAD and a clean tree', async () => {
    initRepo(dir);
    const head = commitFiles(dir, { 'a.txt': 'a\n' }, 'first');
    const facts = await collectGitFacts(dir);
    expect(facts).toMatchObject({ branch: 'main', detached: false, head, dirty: false, uncommitted: [] });
    expect(facts?.root).toBe(sh(dir, 'rev-parse', '--show-toplevel'));
  });

  it('lists commits and changed files since a commit, working-tree edits and binary files included', async () => {
    initRepo(dir);
    const base = commitFiles(dir, { 'src/app.ts': 'one\ntwo\nthree\n', 'old name.txt': 'same\n'.repeat(20) }, 'base');
    commitFiles(dir, { 'src/app.ts': 'one\nTWO\nthree\nfour\n' }, 'Change app');
    const c2 = commitFiles(dir, { 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0, 3]) }, 'Add logo');
    renameSync(join(dir, 'old name.txt'), join(dir, 'new name.txt'));
    sh(dir, 'add', '-A');
    writeFiles(dir, { 'README.md': 'hello\n' }); // untracked
    writeFileSync(join(dir, 'src/app.ts'), 'one\nTWO\nthree\nfour\nfive\n'); // unstaged

    const facts = await collectGitFacts(dir, { sinceCommit: base.slice(0, 10) });
    expect(facts?.sinceFound).toBe(true);
    expect(facts?.dirty).toBe(true);
    expect(facts?.commits.map((c) => c.subject)).toEqual(['Add logo', 'Change app']);
    expect(facts?.commits[0]?.hash).toBe(c2);
    expect(facts?.commits[0]?.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(facts?.commitsTotal).toBe(2);
    expect(facts?.files).toEqual(
      expect.arrayContaining([
        { path: 'src/app.ts', added: 3, removed: 1 },
        { path: 'logo.png', added: null, removed: null },
        { path: 'new name.txt', from: 'old name.txt', added: 0, removed: 0 },
      ]),
    );
    expect(facts?.files).toHaveLength(3);
    expect(facts?.uncommitted).toEqual(
      expect.arrayContaining([
        { path: 'README.md', status: '??' },
        { path: 'src/app.ts', status: ' M' },
        { path: 'new name.txt', status: 'R ' },
      ]),
    );
  });

  it('names a detached HEAD as HEAD', async () => {
    initRepo(dir);
    const first = commitFiles(dir, { 'a.txt': 'a\n' }, 'first');
    commitFiles(dir, { 'a.txt': 'b\n' }, 'second');
    sh(dir, 'checkout', '-q', '--detach', first);
    const facts = await collectGitFacts(dir);
    expect(facts).toMatchObject({ branch: 'HEAD', detached: true, head: first });
  });

  it('falls back to the last 10 commits when the since commit is unknown here', async () => {
    initRepo(dir);
    for (let i = 1; i <= 12; i++) commitFiles(dir, { [`f${i}.txt`]: `${i}\n` }, `commit ${i}`);
    const other = mkdtempSync(join(tmpdir(), 'handoff-'));
    try {
      initRepo(other);
      const foreign = commitFiles(other, { 'x.txt': 'x\n' }, 'elsewhere');
      const facts = await collectGitFacts(dir, { sinceCommit: foreign });
      expect(facts).toMatchObject({ sinceCommit: foreign, sinceFound: false, commitsTotal: 12 });
      expect(facts?.commits.map((c) => c.subject)).toEqual(Array.from({ length: 10 }, (_, i) => `commit ${12 - i}`));
      // the files of the 10 commits shown, not of the whole history
      expect(facts?.files.map((f) => f.path).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => `f${i + 3}.txt`).sort(),
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('covers a history shorter than 10 commits from the empty tree', async () => {
    initRepo(dir);
    commitFiles(dir, { 'a.txt': 'a\nb\n' }, 'first');
    const facts = await collectGitFacts(dir);
    expect(facts).toMatchObject({ sinceCommit: null, sinceFound: false, commitsTotal: 1 });
    expect(facts?.files).toEqual([{ path: 'a.txt', added: 2, removed: 0 }]);
  });

  it('handles a repository without commits', async () => {
    initRepo(dir);
    writeFiles(dir, { 'draft.md': 'x\n' });
    const facts = await collectGitFacts(dir, { sinceCommit: 'abcdef12' });
    expect(facts).toMatchObject({ branch: 'main', head: null, dirty: true, commits: [], files: [], sinceFound: false });
    expect(facts?.uncommitted).toEqual([{ path: 'draft.md', status: '??' }]);
  });

  it('never passes a since value that is not a hash to git', async () => {
    initRepo(dir);
    commitFiles(dir, { 'a.txt': 'a\n' }, 'first');
    const out = join(dir, 'pwned');
    const facts = await collectGitFacts(dir, { sinceCommit: `--output=${out}` });
    expect(facts?.sinceFound).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  it('caps commits at 50 and counts the rest on a 10k-commit history', async () => {
    fastImportRepo(dir, 10_000);
    const since = sh(dir, 'rev-parse', 'HEAD~5000');
    const facts = await collectGitFacts(dir, { sinceCommit: since });
    expect(facts?.commits).toHaveLength(50);
    expect(facts?.commits[0]?.subject).toBe('commit 10000');
    expect(facts?.commits[49]?.subject).toBe('commit 9951');
    expect(facts?.commitsTotal).toBe(5000);
    expect(facts?.files).toHaveLength(100);
    expect(facts?.files[0]).toEqual({ path: 'src/file-0.txt', added: 1, removed: 1 });
  });
});
