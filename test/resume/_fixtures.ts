/**
 * Fixtures for resume tests: a real temp git repository with a repo store,
 * a private user store / cache / config (nothing of the machine's own), and
 * real corpus documents copied in with front matter added.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openContext } from '../../src/service/open-context.js';
import type { HandoffContext } from '../../src/service/context.js';
import { sh, shWith } from '../capture/_repo.js';

export const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'corpus', 'docs');

/** Runs git in `dir`; returns trimmed stdout; throws on failure. */
export const git = sh;
const gitWith = shWith;

/** Writes files (relative path -> content) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** Writes and commits files (the repo store excluded); returns the new HEAD. `date`: ISO commit date. */
export function commit(dir: string, files: Record<string, string>, message: string, date?: string): string {
  writeFiles(dir, files);
  git(dir, 'add', '-A', '--', '.', ':!docs/session_handoffs');
  const env = date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {};
  gitWith(env, dir, 'commit', '-q', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/** A temp world: `root/todo-api` (git repo, repo store), `root/user` (user store), `root/cache`. */
export interface World {
  root: string;
  repo: string;
  storeDir: string;
  userDir: string;
  env: NodeJS.ProcessEnv;
  open(): Promise<HandoffContext>;
  cleanup(): void;
}

/** Creates a world; `repoStore: false` leaves the repository without a repo store. */
export function makeWorld(options: { repoStore?: boolean; git?: boolean } = {}): World {
  const root = mkdtempSync(join(tmpdir(), 'handoff-'));
  const repo = join(root, 'todo-api');
  const storeDir = join(repo, 'docs', 'session_handoffs');
  const userDir = join(root, 'user');
  mkdirSync(repo, { recursive: true });
  if (options.git !== false) git(repo, 'init', '-q', '-b', 'main');
  if (options.repoStore !== false) mkdirSync(storeDir, { recursive: true });
  mkdirSync(userDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(root, 'home'),
    HANDOFF_HOME: userDir,
    HANDOFF_CACHE: join(root, 'cache'),
    XDG_CONFIG_HOME: join(root, 'config'),
  };
  const contexts: HandoffContext[] = [];
  return {
    root,
    repo,
    storeDir,
    userDir,
    env,
    async open() {
      const ctx = await openContext({ cwd: repo, env });
      contexts.push(ctx);
      return ctx;
    },
    cleanup() {
      for (const c of contexts) c.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Front matter fields a test sets on a copied document. */
export interface Meta {
  id: string;
  created: string;
  project?: string;
  name?: string;
  agent?: string;
  summary?: string;
  expires?: string;
  auto?: boolean;
  branch?: string;
  commit?: string;
}

/** YAML front matter + body. */
export function withFrontMatter(meta: Meta, body: string): string {
  const lines = ['---', 'handoff: 1', `id: ${meta.id}`, `created: ${meta.created}`];
  if (meta.project) lines.push(`project: ${meta.project}`);
  if (meta.name) lines.push(`name: ${meta.name}`);
  if (meta.agent) lines.push(`agent: ${meta.agent}`);
  if (meta.summary) lines.push(`summary: ${JSON.stringify(meta.summary)}`);
  if (meta.expires) lines.push(`expires: ${meta.expires}`);
  if (meta.auto) lines.push('auto: true');
  if (meta.branch || meta.commit) {
    lines.push('git:');
    if (meta.branch) lines.push(`  branch: ${meta.branch}`);
    if (meta.commit) lines.push(`  commit: ${meta.commit}`);
  }
  lines.push('---', '');
  return lines.join('\n') + body;
}

/** A corpus document's text (never modified in place). */
export function corpus(file: string): string {
  return readFileSync(join(CORPUS, file), 'utf8');
}

/** Copies corpus document `file` into `dir` as `key` with front matter added. */
export function addCorpusDoc(dir: string, key: string, file: string, meta: Meta): string {
  const text = withFrontMatter(meta, corpus(file));
  writeFiles(dir, { [key]: text });
  return text;
}

/** ISO date `days` days from now (negative = past), whole seconds. */
export function daysFromNow(days: number): string {
  return new Date(Math.floor((Date.now() + days * 86_400_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The real tokenizer's count (o200k), for asserting budgets. */
export async function realTokens(text: string): Promise<number> {
  const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');
  return countTokens(text, { disallowedSpecial: new Set() });
}
