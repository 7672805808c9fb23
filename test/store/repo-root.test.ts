import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRepoRoot } from '../../src/store/_repo-root.js';
import { findRepoRoot as locateRepoRoot } from '../../src/store/locate.js';

describe('findRepoRoot of _repo-root.ts (what check FILE loads)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-root-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'repo', '.git'), { recursive: true });
  mkdirSync(join(dir, 'repo', 'a', 'b'), { recursive: true });
  mkdirSync(join(dir, 'worktree', 'src'), { recursive: true });
  writeFileSync(join(dir, 'worktree', '.git'), 'gitdir: /elsewhere\n');
  mkdirSync(join(dir, 'plain', 'x'), { recursive: true });

  it.each([
    ['repo', 'repo'],
    ['repo/a/b', 'repo'],
    ['worktree/src', 'worktree'],
    ['plain/x', null],
  ])('finds the root from %s as locate.ts does', (from, root) => {
    const got = findRepoRoot(join(dir, from));
    expect(got).toBe(root === null ? locateRepoRoot(join(dir, from)) : join(dir, root));
    expect(got).toBe(locateRepoRoot(join(dir, from)));
  });
});
