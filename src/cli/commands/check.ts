/**
 * `handoff check [FILE|ID|-]`: the quality rules; prints findings as
 * `path:line: severity rule: message` and the score; exit 1 on error-level findings.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type HandoffConfig, loadConfig, resolvePaths } from '../../config.js';
import { UsageError } from '../../errors.js';
import { decodeContent } from '../../service/_input.js';
import { findRepoRoot } from '../../store/_repo-root.js';
import type { CommandIO, CommandRun } from '../types.js';

// Checking a file is a cold start of its own (an editor hook, a pre-commit
// check): what only an id needs (the store, its index and better-sqlite3)
// and what only colour needs (picocolors reads `process.stdout.isTTY` when
// loaded, which builds the stdout stream) are imported where they are used.

async function loadTarget(io: CommandIO, target: string | undefined): Promise<{ text: string; path: string } | null> {
  if (target === undefined || target === '-') {
    return { text: decodeContent(await io.readStdin(), 'stdin'), path: '<stdin>' };
  }
  try {
    // Synchronous: fs/promises costs ~1 ms of module loading, and nothing runs meanwhile.
    return { text: decodeContent(readFileSync(resolve(io.cwd, target)), target), path: target };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && /^[0-9a-f]{1,8}$/.test(target)) return null;
    if (code === 'ENOENT') throw new UsageError(`${target}: no such file (and not a handoff id)`);
    if (code) throw new UsageError(`cannot read ${target}: ${code}`);
    throw e;
  }
}

export const run: CommandRun = async (io, args, opts) => {
  const loaded = await loadTarget(io, args[0]);
  // A file or stdin needs only the configuration; the store and its index are opened for an id alone.
  if (loaded) {
    const repoRoot = findRepoRoot(io.cwd);
    return report(io, opts, loaded, loadConfig(repoRoot, io.env), repoRoot);
  }
  const [{ withContext }, { retrieveHandoff }] = await Promise.all([
    import('../_shared.js'),
    import('../../service/handoffs.js'),
  ]);
  return withContext(io, async (ctx) => {
    const h = await retrieveHandoff(ctx, { id: args[0], all: true });
    // The file as stored, not the redacted copy: a credential in it is exactly what `secret` must report.
    const stored = { text: await ctx.store.read(h.summary.path), path: `${ctx.store.location}/${h.summary.path}` };
    return report(io, opts, stored, ctx.config, ctx.repoRoot);
  });
};

async function report(
  io: CommandIO,
  opts: Record<string, unknown>,
  loaded: { text: string; path: string },
  config: HandoffConfig,
  repoRoot: string | null,
): Promise<number> {
  const { checkHandoff } = await import('../../quality/check.js');
  const result = await checkHandoff(
    { text: loaded.text, path: loaded.path },
    {
      profile: (opts.profile as string | undefined) ?? config.profile,
      rules: config.rules,
      lengthBudget: config.length_budget,
      repoRoot,
      cacheDir: resolvePaths(io.env).cache,
    },
  );
  if (io.json) {
    io.out(`${JSON.stringify({ path: loaded.path, ...result }, null, 2)}\n`); // printJson of ../_shared.js
  } else {
    const color = !io.env.NO_COLOR && io.isTTY;
    const pc = color ? (await import('picocolors')).default : null;
    const paint = (sev: string) =>
      !pc ? sev : sev === 'error' ? pc.red(sev) : sev === 'warning' ? pc.yellow(sev) : pc.dim(sev);
    for (const f of result.findings) {
      io.out(`${loaded.path}${f.line ? `:${f.line}` : ''}: ${paint(f.severity)} ${f.rule}: ${f.message}\n`);
    }
    io.out(
      `score ${result.score}/100 (${result.profile}): ${result.errors} error(s), ${result.warnings} warning(s), ${result.infos} info\n`,
    );
  }
  return result.errors > 0 ? 1 : 0;
}
