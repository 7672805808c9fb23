import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { computeDrift } from '../../src/resume/drift.js';
import { commit, git, writeFiles } from './_fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-'));
  git(dir, 'init', '-q', '-b', 'main');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const created = '2026-01-01T00:00:00Z';

describe('computeDrift', () => {
  test('lists commits after the handoff commit and files touched since, working tree included', async () => {
    const base = commit(dir, { 'src/a.ts': 'a\n', 'src/gone.ts': 'g\n' }, 'initial');
    commit(dir, { 'src/b.ts': 'b\n' }, 'Add b');
    git(dir, 'rm', '-q', 'src/gone.ts');
    commit(dir, {}, 'Remove gone');
    writeFiles(dir, { 'src/a.ts': 'a changed\n' });

    const d = await computeDrift(dir, { commit: base, branch: 'main', created });
    expect(d).toMatchObject({
      base: 'commit',
      commitFound: true,
      commitsSince: 2,
      branchSwitched: false,
      rewritten: false,
    });
    expect(d!.commits.map((c) => c.subject)).toEqual(['Remove gone', 'Add b']);
    expect(d!.files).toEqual(
      expect.arrayContaining([
        { status: 'M', path: 'src/a.ts' },
        { status: 'A', path: 'src/b.ts' },
        { status: 'D', path: 'src/gone.ts' },
      ]),
    );
    expect(d!.filesTotal).toBe(3);
  });

  test('an abbreviated commit works and nothing changed means zero', async () => {
    const head = commit(dir, { 'a.txt': 'x' }, 'one');
    const d = await computeDrift(dir, { commit: head.slice(0, 7), created });
    expect(d).toMatchObject({ base: 'commit', since: head, commitsSince: 0, filesTotal: 0, notAncestor: false });
  });

  test('notices a branch switch, and does not call it a rewrite', async () => {
    commit(dir, { 'a.txt': '1' }, 'one');
    git(dir, 'checkout', '-q', '-b', 'feature');
    const onFeature = commit(dir, { 'f.txt': 'f' }, 'feature work');
    git(dir, 'checkout', '-q', 'main');
    const d = await computeDrift(dir, { commit: onFeature, branch: 'feature', created });
    expect(d).toMatchObject({
      branch: 'main',
      handoffBranch: 'feature',
      branchSwitched: true,
      notAncestor: true,
      rewritten: false,
      lostCommits: 1,
    });
  });

  test('notices rewritten history: the handoff commit is no longer an ancestor on the same branch', async () => {
    commit(dir, { 'a.txt': '1' }, 'one');
    const written = commit(dir, { 'a.txt': '2' }, 'two');
    git(dir, 'reset', '-q', '--hard', 'HEAD~1');
    commit(dir, { 'a.txt': '2 amended' }, 'two, amended');
    const d = await computeDrift(dir, { commit: written, branch: 'main', created });
    expect(d).toMatchObject({ base: 'commit', rewritten: true, notAncestor: true, lostCommits: 1, commitsSince: 1 });
    expect(d!.commits[0]!.subject).toBe('two, amended');
  });

  test('reports the distance to the upstream branch', async () => {
    const base = commit(dir, { 'a.txt': '1' }, 'one');
    git(dir, 'branch', 'base');
    git(dir, 'branch', '--set-upstream-to=base');
    commit(dir, { 'a.txt': '2' }, 'two');
    const d = await computeDrift(dir, { commit: base, branch: 'main', created });
    expect(d!.upstream).toEqual({ name: 'base', ahead: 1, behind: 0 });
  });

  test('a commit this repository lacks falls back to the last commit before the handoff was written', async () => {
    const before = commit(dir, { 'a.txt': '1' }, 'before the handoff', '2026-01-01T00:00:00Z');
    commit(dir, { 'b.txt': '2' }, 'after the handoff', '2026-01-03T00:00:00Z');
    const d = await computeDrift(dir, {
      commit: 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef',
      branch: 'main',
      created: '2026-01-02T00:00:00Z',
    });
    expect(d).toMatchObject({ base: 'date', since: before, commitFound: false, commitsSince: 1, rewritten: false });
    expect(d!.files).toEqual([{ status: 'A', path: 'b.txt' }]);
  });

  test('returns null outside a repository, and never passes a non-hash to git', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'handoff-'));
    try {
      expect(await computeDrift(outside, { commit: 'abc1234', created })).toBeNull();
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    commit(dir, { 'a.txt': '1' }, 'one');
    const d = await computeDrift(dir, { commit: '--output=/tmp/x', created: 'not a date' });
    expect(d).toMatchObject({ base: 'none', commitsSince: 0 });
  });
});
