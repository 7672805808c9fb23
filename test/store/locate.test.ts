import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { findRepoRoot, resolveStore } from '../../src/store/locate.js';

const config = { store_dir: 'docs/session_handoffs' };

describe('findRepoRoot / resolveStore', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'handoff-')));
    env = { HOME: join(root, 'home'), HANDOFF_HOME: join(root, 'user-store') };
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('finds the repository from a subdirectory, with .git as a directory or a file (worktree)', () => {
    mkdirSync(join(root, 'repo', '.git'), { recursive: true });
    mkdirSync(join(root, 'repo', 'src', 'deep'), { recursive: true });
    expect(findRepoRoot(join(root, 'repo', 'src', 'deep'))).toBe(join(root, 'repo'));

    mkdirSync(join(root, 'worktree', 'pkg'), { recursive: true });
    writeFileSync(join(root, 'worktree', '.git'), 'gitdir: /elsewhere/.git/worktrees/wt\n');
    expect(findRepoRoot(join(root, 'worktree', 'pkg'))).toBe(join(root, 'worktree'));
  });

  it('finds no repository outside one', () => {
    mkdirSync(join(root, 'plain'));
    expect(findRepoRoot(join(root, 'plain'))).toBeNull();
  });

  it('uses the repo store when the repository has one', () => {
    mkdirSync(join(root, 'repo', '.git'), { recursive: true });
    mkdirSync(join(root, 'repo', 'docs', 'session_handoffs'), { recursive: true });
    const r = resolveStore({ cwd: join(root, 'repo', 'docs'), env, config });
    expect(r).toMatchObject({ kind: 'repo', repoRoot: join(root, 'repo'), repoName: 'repo' });
    expect(r.store.location).toBe(join(root, 'repo', 'docs', 'session_handoffs'));
    expect(r.store.kind).toBe('repo');
  });

  it('uses the user store in a repository without a repo store, naming the repository for `project`', () => {
    mkdirSync(join(root, 'todo-api', '.git'), { recursive: true });
    const r = resolveStore({ cwd: join(root, 'todo-api'), env, config });
    expect(r).toMatchObject({ kind: 'user', repoRoot: join(root, 'todo-api'), repoName: 'todo-api' });
    expect(r.store.location).toBe(join(root, 'user-store'));
    expect(r.repoStoreDir).toBe(join(root, 'todo-api', 'docs', 'session_handoffs'));
  });

  it('uses the user store with --global, and outside any repository', () => {
    mkdirSync(join(root, 'repo', '.git'), { recursive: true });
    mkdirSync(join(root, 'repo', 'docs', 'session_handoffs'), { recursive: true });
    expect(resolveStore({ cwd: join(root, 'repo'), global: true, env, config }).kind).toBe('user');
    mkdirSync(join(root, 'plain'));
    const outside = resolveStore({ cwd: join(root, 'plain'), env, config });
    expect(outside).toMatchObject({ kind: 'user', repoRoot: null, repoName: null, repoStoreDir: null });
  });

  it('falls back to $XDG_DATA_HOME/handoff without HANDOFF_HOME', () => {
    const r = resolveStore({ cwd: root, env: { HOME: root, XDG_DATA_HOME: join(root, 'data') }, config });
    expect(r.store.location).toBe(join(root, 'data', 'handoff'));
  });

  it('follows a configured store_dir, and refuses one outside the repository', () => {
    mkdirSync(join(root, 'repo', '.git'), { recursive: true });
    mkdirSync(join(root, 'repo', '.handoffs'), { recursive: true });
    const r = resolveStore({ cwd: join(root, 'repo'), env, config: { store_dir: '.handoffs' } });
    expect(r.store.location).toBe(join(root, 'repo', '.handoffs'));
    for (const store_dir of ['../elsewhere', '/etc', '.']) {
      expect(() => resolveStore({ cwd: join(root, 'repo'), env, config: { store_dir } })).toThrow(UsageError);
    }
  });
});
