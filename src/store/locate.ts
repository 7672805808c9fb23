/**
 * Which store a command acts on (design.md, "Decisions" > "Stores, index,
 * speed"): the repo store when the repository has one, else the user store;
 * `--global` picks the user store.
 *
 * In a repository without a repo store, handoffs go to the user store and
 * the caller sets `project` to the repository's name (`repoName`), so nothing
 * appears in a repository that did not ask for it (design.md, "Stores and the
 * index"). This module runs on every command and hook, so it never spawns git.
 */
import { statSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import type { HandoffConfig } from '../config.js';
import { resolvePaths } from '../config.js';
import { UsageError } from '../errors.js';
import { findRepoRoot } from './_repo-root.js';
import { createFileStore } from './file-store.js';
import type { HandoffStore } from './types.js';

// One walk for every caller; `check FILE` imports it from _repo-root.ts without the rest of this module.
export { findRepoRoot };

/** Inputs of {@link resolveStore}. */
export interface ResolveStoreOptions {
  /** Working directory the repository is found from. */
  cwd: string;
  /** `--global`: the user store even inside a repository with a repo store. */
  global?: boolean;
  /** Environment for `HANDOFF_HOME` / `XDG_DATA_HOME`. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Only `store_dir` (repo store path relative to the repository root) is read. */
  config: Pick<HandoffConfig, 'store_dir'>;
}

/** The chosen store and where it came from. */
export interface ResolvedStore {
  store: HandoffStore;
  kind: 'repo' | 'user';
  /** Repository root containing `cwd`, or null outside a repository (whichever store was chosen). */
  repoRoot: string | null;
  /** Basename of `repoRoot`: the default `project` for handoffs written to the user store from this repository. */
  repoName: string | null;
  /** Where this repository's repo store is or would be (`handoff init` creates it); null outside a repository. */
  repoStoreDir: string | null;
}

/**
 * Picks the store: `<repoRoot>/<config.store_dir>` when that directory exists
 * and `global` is not set, else the user store (`HANDOFF_HOME` or
 * `$XDG_DATA_HOME/handoff`).
 * @throws UsageError when `store_dir` points outside the repository (a
 *   committed `.handoff.json` must not send writes elsewhere on the machine).
 * @example resolveStore({ cwd: process.cwd(), config: { store_dir: 'docs/session_handoffs' } })
 */
export function resolveStore(options: ResolveStoreOptions): ResolvedStore {
  const repoRoot = findRepoRoot(options.cwd);
  const repoName = repoRoot ? basename(repoRoot) : null;
  let repoStoreDir: string | null = null;
  if (repoRoot) {
    repoStoreDir = resolve(repoRoot, options.config.store_dir);
    const rel = relative(repoRoot, repoStoreDir);
    if (rel === '' || rel.split(sep)[0] === '..' || isAbsolute(rel)) {
      throw new UsageError(
        `store_dir ${JSON.stringify(options.config.store_dir)} must be a directory inside the repository, e.g. docs/session_handoffs`,
      );
    }
    if (!options.global && statSync(repoStoreDir, { throwIfNoEntry: false })?.isDirectory()) {
      return { store: createFileStore(repoStoreDir, 'repo'), kind: 'repo', repoRoot, repoName, repoStoreDir };
    }
  }
  const userStore = resolvePaths(options.env ?? process.env).userStore;
  return { store: createFileStore(userStore, 'user'), kind: 'user', repoRoot, repoName, repoStoreDir };
}
