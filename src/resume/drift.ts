/**
 * What changed in the repository since a handoff was written (design.md,
 * "Resume"): commits after its `git.commit`, files touched since (committed
 * and working-tree changes), a branch switch, how far the branch is from its
 * upstream, and whether the handoff's commit left the branch's history
 * (a rebase or force-push rewrote it).
 *
 * It runs at every session start, so it costs one round of at most four
 * parallel git calls (`status`, `rev-list --count`, `log -n10`, `diff`),
 * plus one call first when the handoff names no usable commit. The
 * `status` result can be shared with the caller (`readRepoState`), which
 * `buildResume` does to learn the current branch before it picks a handoff.
 */
import { runGit } from '../_git.js';
import { parseStatus } from '../capture/git.js';
import type { Drift, DriftCommit, DriftFile, DriftUpstream } from '../format/schema.js';

/** The branch and HEAD of a working tree, from one `git status --porcelain=v2 --branch`. */
export interface RepoState {
  /** Current branch, or null when HEAD is detached. */
  branch: string | null;
  /** Full HEAD hash; null in a repository without commits. */
  head: string | null;
  /** Upstream branch (`origin/main`) and the distance to it, or null without an upstream. */
  upstream: DriftUpstream | null;
}

// The result shapes are declared once, as zod schemas in src/format/schema.ts
// (`DriftSchema`, part of `resume`'s output); type-only import.
export type { Drift, DriftCommit, DriftFile, DriftUpstream };

/** What the handoff says about where it was written. */
export interface DriftSource {
  /** `git.commit` of the handoff (full or abbreviated hash). */
  commit?: string | null;
  /** `git.branch` of the handoff. */
  branch?: string | null;
  /** `created` of the handoff, ISO 8601. */
  created: string;
}

/** Options of `computeDrift`. */
export interface DriftOptions {
  /** The result of `readRepoState(repoRoot)` when the caller already has it (saves one git call). */
  state?: RepoState | null;
}

/** Cap on `Drift.commits` (the total is still counted). */
export const MAX_DRIFT_COMMITS = 10;
/** Cap on `Drift.files` (the total is still counted). */
export const MAX_DRIFT_FILES = 50;

const GIT_TIMEOUT_MS = 5000;
/** Only a hash may reach git's argv: anything else could be read as an option or a revision expression. */
const HASH = /^[0-9a-f]{4,64}$/i;

/**
 * Branch, HEAD and upstream distance of the working tree at `repoRoot`, in one git call.
 * @returns null outside a git repository or when git is not installed.
 */
export async function readRepoState(repoRoot: string): Promise<RepoState | null> {
  const out = await git(['status', '--porcelain=v2', '--branch', '--untracked-files=no', '-z'], repoRoot);
  if (out === null) return null;
  const st = parseStatus(out);
  return {
    branch: st.detached ? null : st.branch,
    head: st.head,
    upstream: st.upstream ? { name: st.upstream, ahead: st.ahead, behind: st.behind } : null,
  };
}

/**
 * What changed in the repository at `repoRoot` since the handoff described by `handoff`.
 *
 * @param repoRoot root (or any directory) of the working tree.
 * @param handoff the handoff's `git.commit`, `git.branch` and `created`.
 * @returns null outside a git repository or when git is not installed; never throws for git failures.
 * @example
 * const drift = await computeDrift('/repo', { commit: '4f2c1a9e', branch: 'main', created: '2026-11-21T14:30:00Z' });
 * // { base: 'commit', commitsSince: 3, commits: [{ subject: 'Add PATCH validation', … }], files: [{ status: 'M', path: 'src/a.ts' }], … }
 */
export async function computeDrift(
  repoRoot: string,
  handoff: DriftSource,
  options: DriftOptions = {},
): Promise<Drift | null> {
  const handoffCommit = handoff.commit?.trim() || null;
  const usableCommit = handoffCommit !== null && HASH.test(handoffCommit) ? handoffCommit : null;
  const statePromise = options.state !== undefined ? Promise.resolve(options.state) : readRepoState(repoRoot);

  let measured = usableCommit ? measureFrom(repoRoot, usableCommit) : Promise.resolve(null);
  const state = await statePromise;
  if (state === null) return null;
  const drift: Drift = {
    base: 'none',
    since: null,
    handoffCommit,
    commitFound: false,
    head: state.head,
    branch: state.branch,
    handoffBranch: handoff.branch?.trim() || null,
    branchSwitched: false,
    commitsSince: 0,
    commits: [],
    files: [],
    filesTotal: 0,
    upstream: state.upstream,
    notAncestor: false,
    rewritten: false,
    lostCommits: 0,
  };
  drift.branchSwitched =
    drift.handoffBranch !== null &&
    drift.handoffBranch !== 'HEAD' &&
    state.branch !== null &&
    drift.handoffBranch !== state.branch;
  if (state.head === null) return drift;

  let m = await measured;
  if (m !== null) {
    drift.base = 'commit';
    drift.commitFound = true;
  } else {
    // No commit recorded, or one this repository lacks: measure from the last
    // commit before the handoff was written, so "since" still means something.
    const created = Date.parse(handoff.created);
    if (Number.isNaN(created)) return drift;
    const before = await git(['rev-list', '-1', `--before=${new Date(created).toISOString()}`, 'HEAD', '--'], repoRoot);
    const base = before?.trim();
    if (!base) return drift;
    measured = measureFrom(repoRoot, base);
    m = await measured;
    if (m === null) return drift;
    drift.base = 'date';
  }
  drift.since = m.since;
  drift.commitsSince = m.ahead;
  drift.commits = m.commits;
  drift.filesTotal = m.files.length;
  drift.files = m.files.slice(0, MAX_DRIFT_FILES);
  if (drift.base === 'commit') {
    drift.lostCommits = m.behind;
    drift.notAncestor = m.behind > 0;
    drift.rewritten = drift.notAncestor && !drift.branchSwitched;
  }
  return drift;
}

interface Measured {
  since: string;
  /** Commits in HEAD not in the base. */
  ahead: number;
  /** Commits in the base not in HEAD (0 when the base is an ancestor). */
  behind: number;
  commits: DriftCommit[];
  files: DriftFile[];
}

/** Commits and files since `base`; null when `base` is not a commit of this repository. */
async function measureFrom(repoRoot: string, base: string): Promise<Measured | null> {
  const full = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(base);
  const [counts, log, diff, resolved] = await Promise.all([
    // Left = commits only the base has (it left HEAD's history); right = commits since.
    git(['rev-list', '--left-right', '--count', `${base}...HEAD`, '--'], repoRoot),
    git(['log', `-n${MAX_DRIFT_COMMITS}`, '--format=%H%x00%aI%x00%s', `${base}..HEAD`, '--'], repoRoot),
    git(['diff', '--name-status', '-z', '--no-ext-diff', base, '--'], repoRoot),
    full ? Promise.resolve(base) : git(['rev-parse', '--verify', '--quiet', `${base}^{commit}`], repoRoot),
  ]);
  const m = counts === null ? null : /^(\d+)\s+(\d+)/.exec(counts.trim());
  if (!m) return null;
  return {
    since: (resolved?.trim() || base).toLowerCase(),
    behind: Number(m[1]),
    ahead: Number(m[2]),
    commits: parseLogLines(log ?? ''),
    files: parseNameStatus(diff ?? ''),
  };
}

/** Parses `git log --format=%H%x00%aI%x00%s` (one commit a line; a subject never holds a newline). */
function parseLogLines(out: string): DriftCommit[] {
  const commits: DriftCommit[] = [];
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const [hash = '', date = '', ...subject] = line.split('\0');
    commits.push({ hash, date, subject: subject.join(' ') });
  }
  return commits;
}

/**
 * Parses `git diff --name-status -z` (git-diff(1), "Raw output format" with
 * `-z`): `X\0path\0`, or for a rename/copy `R100\0old\0new\0`.
 */
export function parseNameStatus(out: string): DriftFile[] {
  const files: DriftFile[] = [];
  const tokens = out.split('\0');
  for (let i = 0; i + 1 < tokens.length; i++) {
    const code = tokens[i]!;
    if (code === '') continue;
    const letter = code[0]!;
    if (letter === 'R' || letter === 'C') {
      const from = tokens[i + 1] ?? '';
      const to = tokens[i + 2] ?? '';
      i += 2;
      files.push({ status: letter, path: to, from });
    } else {
      files.push({ status: letter, path: tokens[i + 1] ?? '' });
      i += 1;
    }
  }
  return files;
}

/** stdout of a successful git call; null on a non-zero exit or when git cannot start. */
async function git(args: string[], cwd: string): Promise<string | null> {
  try {
    const r = await runGit(args, cwd, { timeoutMs: GIT_TIMEOUT_MS });
    return r.code === 0 ? r.stdout : null;
  } catch {
    return null;
  }
}
