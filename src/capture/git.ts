/**
 * Git facts for `draft` (design.md, "Capture"): branch, HEAD, dirty state,
 * the commits and changed files since the previous handoff's commit, and the
 * uncommitted files. A handful of git calls, run in parallel where they do
 * not depend on each other, so the cost stays flat on long histories (a
 * 10k-commit repository is measured in the capture report).
 */
import { runGit } from '../_git.js';
import type { GitCommit, GitFacts, GitFileChange, GitUncommittedFile } from '../format/schema.js';

// The result shapes are declared once, as zod schemas in src/format/schema.ts
// (`GitFactsSchema`); the import is type-only, so this module never loads zod.
export type { GitCommit, GitFacts, GitFileChange, GitUncommittedFile };

/** Options of `collectGitFacts`. */
export interface CollectGitOptions {
  /** Commit (full or abbreviated hash) of the previous handoff; facts are "since" it. */
  sinceCommit?: string;
}

/** Cap on `GitFacts.commits` (the total is still counted). */
export const MAX_COMMITS = 50;
/** Commits shown when there is no usable `sinceCommit`. */
export const FALLBACK_COMMITS = 10;

const EMPTY_TREE_SHA1 = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const EMPTY_TREE_SHA256 = '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321';
const GIT_TIMEOUT_MS = 10_000;

/**
 * Collects the git facts of the repository `cwd` is in.
 * @param cwd any directory inside the working tree.
 * @returns null outside a git repository or when git is not installed.
 * @example
 * const facts = await collectGitFacts('/repo', { sinceCommit: '4f2c1a9e' });
 * // { branch: 'main', head: '…', commits: [{ hash, subject, date }], files: [{ path, added, removed }], … }
 */
export async function collectGitFacts(cwd: string, options: CollectGitOptions = {}): Promise<GitFacts | null> {
  const since = options.sinceCommit?.trim() || null;
  // Only a hex string can reach git's argv: anything else could be read as an option or a revision expression.
  const sinceUsable = since !== null && /^[0-9a-f]{4,64}$/i.test(since);
  let stage1: [string | null, string | null, string | null];
  try {
    stage1 = await Promise.all([
      git(['rev-parse', '--show-toplevel'], cwd),
      git(['status', '--porcelain=v2', '--branch', '--untracked-files=normal', '-z'], cwd),
      sinceUsable ? git(['rev-parse', '--verify', '--quiet', `${since}^{commit}`], cwd) : Promise.resolve(null),
    ]);
  } catch {
    return null; // git not installed
  }
  const [top, status, sinceResolved] = stage1;
  if (top === null || status === null) return null;
  const st = parseStatus(status);
  const base = sinceResolved?.trim() || null;
  const facts: GitFacts = {
    root: top.trim(),
    branch: st.branch,
    detached: st.detached,
    head: st.head,
    dirty: st.uncommitted.length > 0,
    upstream: st.upstream,
    ahead: st.ahead,
    behind: st.behind,
    sinceCommit: since,
    sinceFound: base !== null,
    commits: [],
    commitsTotal: 0,
    files: [],
    uncommitted: st.uncommitted,
  };
  if (st.head === null) return facts; // no commits yet: nothing to log or diff

  const logFormat = '--format=%H%x00%P%x00%aI%x00%s';
  if (base !== null) {
    const range = `${base}..HEAD`;
    const [log, count, diff] = await Promise.all([
      git(['log', logFormat, `-n${MAX_COMMITS}`, range, '--'], cwd),
      git(['rev-list', '--count', range, '--'], cwd),
      git(['diff', '--numstat', '-z', base, '--'], cwd),
    ]);
    facts.commits = parseLog(log ?? '').map(({ parent: _, ...c }) => c);
    facts.commitsTotal = Number.parseInt(count ?? '0', 10) || 0;
    facts.files = parseNumstat(diff ?? '');
    return facts;
  }

  const [log, count] = await Promise.all([
    git(['log', logFormat, `-n${FALLBACK_COMMITS}`, 'HEAD', '--'], cwd),
    git(['rev-list', '--count', 'HEAD', '--'], cwd),
  ]);
  const entries = parseLog(log ?? '');
  facts.commits = entries.map(({ parent: _, ...c }) => c);
  facts.commitsTotal = Number.parseInt(count ?? '0', 10) || 0;
  const oldest = entries[entries.length - 1];
  // The files of the commits shown: diff from the parent of the oldest one, or
  // from the empty tree when the history is that short.
  const from = oldest?.parent || (st.head.length === 64 ? EMPTY_TREE_SHA256 : EMPTY_TREE_SHA1);
  facts.files = parseNumstat((await git(['diff', '--numstat', '-z', from, '--'], cwd)) ?? '');
  return facts;
}

/** stdout of a successful git call, null on a non-zero exit. Throws only when git cannot start. */
async function git(args: string[], cwd: string): Promise<string | null> {
  const r = await runGit(args, cwd, { timeoutMs: GIT_TIMEOUT_MS });
  return r.code === 0 ? r.stdout : null;
}

interface ParsedStatus {
  branch: string;
  detached: boolean;
  head: string | null;
  upstream: string | null;
  ahead: number;
  behind: number;
  uncommitted: GitUncommittedFile[];
}

/**
 * Parses `git status --porcelain=v2 --branch -z` (git-status(1), "Porcelain
 * Format Version 2"): `# branch.*` headers, then `1`/`2`/`u`/`?` entries,
 * each NUL-terminated; a rename (`2`) is followed by its original path.
 */
export function parseStatus(out: string): ParsedStatus {
  const r: ParsedStatus = {
    branch: 'HEAD',
    detached: false,
    head: null,
    upstream: null,
    ahead: 0,
    behind: 0,
    uncommitted: [],
  };
  const records = out.split('\0');
  for (let i = 0; i < records.length; i++) {
    const rec = records[i]!;
    if (rec === '') continue;
    if (rec.startsWith('# ')) {
      const [, key, ...rest] = rec.split(' ');
      const value = rest.join(' ');
      if (key === 'branch.oid') r.head = value === '(initial)' ? null : value;
      else if (key === 'branch.head') {
        r.detached = value === '(detached)';
        r.branch = r.detached ? 'HEAD' : value;
      } else if (key === 'branch.upstream') r.upstream = value;
      else if (key === 'branch.ab') {
        const m = /^\+(\d+) -(\d+)$/.exec(value);
        if (m) {
          r.ahead = Number(m[1]);
          r.behind = Number(m[2]);
        }
      }
      continue;
    }
    const kind = rec[0];
    if (kind === '?') r.uncommitted.push({ path: rec.slice(2), status: '??' });
    else if (kind === '1') r.uncommitted.push({ path: fieldsRest(rec, 8), status: xy(rec) });
    else if (kind === '2') {
      r.uncommitted.push({ path: fieldsRest(rec, 9), status: xy(rec) });
      i++; // the original path of the rename
    } else if (kind === 'u') r.uncommitted.push({ path: fieldsRest(rec, 10), status: xy(rec) });
  }
  return r;
}

/** `1 .M N... ` -> ` M` (porcelain v1 short form: `.` means unchanged). */
function xy(rec: string): string {
  return rec.slice(2, 4).replaceAll('.', ' ');
}

/** Everything after the first `n` space-separated fields (the path may contain spaces). */
function fieldsRest(rec: string, n: number): string {
  let at = 0;
  for (let k = 0; k < n; k++) {
    const next = rec.indexOf(' ', at);
    if (next < 0) return '';
    at = next + 1;
  }
  return rec.slice(at);
}

interface LogEntry extends GitCommit {
  /** First parent hash, `""` for a root commit. */
  parent: string;
}

/** Parses `git log --format=%H%x00%P%x00%aI%x00%s` (one commit a line; `%s` never holds a newline). */
export function parseLog(out: string): LogEntry[] {
  const commits: LogEntry[] = [];
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const [hash = '', parents = '', date = '', ...subject] = line.split('\0');
    commits.push({ hash, parent: parents.split(' ')[0] ?? '', date, subject: subject.join('\0') });
  }
  return commits;
}

/**
 * Parses `git diff --numstat -z` (git-diff(1), "Other diff formats"):
 * `added\tremoved\tpath\0`, or for a rename `added\tremoved\t\0old\0new\0`;
 * binary files show `-` for both counts.
 */
export function parseNumstat(out: string): GitFileChange[] {
  const files: GitFileChange[] = [];
  const tokens = out.split('\0');
  for (let i = 0; i < tokens.length; i++) {
    const m = /^(\d+|-)\t(\d+|-)\t([\s\S]*)$/.exec(tokens[i]!.replace(/^\n/, ''));
    if (!m) continue;
    const added = m[1] === '-' ? null : Number(m[1]);
    const removed = m[2] === '-' ? null : Number(m[2]);
    if (m[3] !== '') {
      files.push({ path: m[3]!, added, removed });
    } else {
      const from = tokens[i + 1] ?? '';
      const to = tokens[i + 2] ?? '';
      i += 2;
      files.push({ path: to, from, added, removed });
    }
  }
  return files;
}
