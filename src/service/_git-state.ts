/**
 * The repository state recorded in a new handoff's `git` front matter, in one
 * git call (`store` is on a hot path: at most 2x a bare `node` start).
 */
import { runGit } from '../_git.js';
import type { GitInfo } from '../format/schema.js';

/**
 * Branch, HEAD and dirty state from `git status --porcelain=v2 --branch`.
 * @returns null when git is missing or `repoRoot` is not a repository (or has no commits).
 */
export async function readGitState(repoRoot: string): Promise<GitInfo | null> {
  let out: string;
  try {
    const r = await runGit(['status', '--porcelain=v2', '--branch', '--untracked-files=no'], repoRoot, {
      timeoutMs: 5000,
    });
    if (r.code !== 0) return null;
    out = r.stdout;
  } catch {
    return null;
  }
  let commit: string | undefined;
  let branch: string | undefined;
  let dirty = false;
  for (const line of out.split('\n')) {
    if (line.startsWith('# branch.oid ')) commit = line.slice(13).trim();
    else if (line.startsWith('# branch.head ')) branch = line.slice(14).trim();
    else if (line !== '' && !line.startsWith('#')) dirty = true;
  }
  if (!commit || commit === '(initial)') return branch ? { branch, dirty } : null;
  if (branch === '(detached)') branch = 'HEAD';
  return { branch, commit, dirty };
}
