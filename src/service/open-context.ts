/**
 * Opens the store a command acts on (design.md, "A command acts on one
 * store"): the repo store when the repository has one, else the user store;
 * `--global` picks the user store. The index is opened lazily-synced:
 * `ready()` syncs once per context.
 */
import { basename, resolve } from 'node:path';
import { loadConfig, resolvePaths } from '../config.js';
import { openIndex } from '../store/index-db.js';
import { findRepoRoot, resolveStore } from '../store/locate.js';
import type { SyncReport } from '../store/types.js';
import type { ContextOptions, HandoffContext } from './context.js';

/**
 * Opens a context for `options.cwd` (default `process.cwd()`).
 * @throws UsageError when a config file is invalid JSON.
 * @example
 * const ctx = await openContext({ cwd: '/repo' });
 * try { await ctx.ready(); console.log(ctx.index.list()); } finally { ctx.close(); }
 */
export async function openContext(options: ContextOptions = {}): Promise<HandoffContext> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const repoRoot = findRepoRoot(cwd);
  const config = loadConfig(repoRoot, env);
  const located = resolveStore({ cwd, global: options.global ?? false, env, config });
  const warnings: string[] = [];
  const index = openIndex(located.store, {
    cacheDir: resolvePaths(env).cache,
    onWarning: (message) => warnings.push(message),
  });
  const repoName = repoRoot ? basename(repoRoot) : null;
  let synced: Promise<SyncReport> | null = null;
  let user: Promise<HandoffContext> | null = null;
  const ctx: HandoffContext = {
    cwd,
    repoRoot,
    repoName,
    store: located.store,
    index,
    project: config.project ?? repoName,
    config,
    env,
    warnings,
    ready() {
      if (synced) return synced;
      synced = index.sync({ rescan: options.rescan ?? false, onProgress: options.onProgress }).then((report) => {
        for (const e of report.errors) warnings.push(`${e.path}: ${e.message}`);
        for (const d of report.duplicates) {
          warnings.push(`id ${d.id} is used by ${d.paths.length} files: ${d.paths.join(', ')}`);
        }
        return report;
      });
      return synced;
    },
    userContext() {
      if (located.kind === 'user') return Promise.resolve(ctx);
      // Same cwd, so the same repository and project name: the user store files
      // this repository's handoffs under it.
      user ??= openContext({ ...options, cwd, env, global: true });
      return user;
    },
    close() {
      index.close();
      if (user) void user.then((u) => u !== ctx && u.close());
    },
  };
  return ctx;
}
