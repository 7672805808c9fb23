/**
 * `findRepoRoot` without the rest of locate.ts: `check FILE` needs the
 * repository root (for its configuration and `stale-reference`) but not the
 * file store, naming and git helpers that locate.ts imports (three more
 * chunks and ~15 KB to load on a cold start). locate.ts re-exports it.
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Root of the git repository containing `cwd`: the nearest ancestor (or
 * `cwd` itself) holding `.git` as a directory, or as a file (worktrees,
 * submodules). Null outside a repository. Walks the file system only: no
 * git process, since this is on every command's path.
 */
export function findRepoRoot(cwd: string): string | null {
  let dir = resolve(cwd);
  for (;;) {
    if (statSync(join(dir, '.git'), { throwIfNoEntry: false })) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
