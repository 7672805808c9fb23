/**
 * Drives the BUILT CLI (`dist/cli/handoff.cjs`, made by `npm run build`) as a user
 * would: a new process per command, a temp HOME with its own user store,
 * cache and config, and nothing inherited from the developer's machine.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'cli', 'handoff.cjs');
export const CORPUS = join(ROOT, '..', 'shared', 'corpus');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Runs `handoff <args>` in `cwd` (default: the sandbox dir, not a git repository). */
  run(args: string[], options?: { input?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv }): Run;
  /** The user store directory. */
  store: string;
  cleanup(): void;
}

/** A fresh HOME with user store, cache and config under one temp dir. */
export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-cli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    HANDOFF_HOME: join(dir, 'store'),
    HANDOFF_CACHE: join(dir, 'cache'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    TZ: 'UTC',
  };
  mkdirSync(join(dir, 'home'), { recursive: true });
  mkdirSync(join(dir, 'work'), { recursive: true });
  return {
    dir,
    env,
    store: join(dir, 'store'),
    run(args, options = {}) {
      const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
        cwd: options.cwd ?? join(dir, 'work'),
        env: { ...env, ...options.env },
        input: options.input ?? '',
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes an inline file tree under `root`. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/** Initialises a git repository with one commit in `dir`. */
export function gitInit(dir: string, env: NodeJS.ProcessEnv): void {
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  mkdirSync(dir, { recursive: true });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'README.md'), '# repo\n');
  git('add', '.');
  git('commit', '-q', '-m', 'initial');
}
