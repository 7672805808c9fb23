/** `handoff doctor`: store, index and config paths, counts, broken files and problems. */
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePaths } from '../../config.js';
import { printJson, withContext } from '../_shared.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io) =>
  withContext(io, async (ctx) => {
    const report = await ctx.ready();
    const all = ctx.index.list({ all: true });
    const paths = resolvePaths(io.env);
    const problems: string[] = [];
    for (const e of report.errors) problems.push(`broken file ${e.path}: ${e.message}`);
    for (const d of report.duplicates) problems.push(`id ${d.id} is used by ${d.paths.join(', ')}`);
    if (existsSync(ctx.store.location)) {
      try {
        accessSync(ctx.store.location, constants.W_OK);
      } catch {
        problems.push(`store ${ctx.store.location} is not writable: store and gc will fail`);
      }
    }
    if (!ctx.index.path) problems.push(`index cache ${paths.cache} is unavailable: every command re-reads the store`);
    const major = Number(process.versions.node.split('.')[0]);
    if (major < 20) problems.push(`node ${process.versions.node} is too old; session-handoff needs >= 20.19`);
    const data = {
      store: { kind: ctx.store.kind, path: ctx.store.location, exists: existsSync(ctx.store.location) },
      repository: ctx.repoRoot,
      project: ctx.project,
      index: ctx.index.path,
      userStore: paths.userStore,
      config: {
        repository:
          ctx.repoRoot && existsSync(join(ctx.repoRoot, '.handoff.json')) ? join(ctx.repoRoot, '.handoff.json') : null,
        user: existsSync(paths.userConfig) ? paths.userConfig : null,
        profile: ctx.config.profile,
      },
      counts: {
        handoffs: all.length,
        live: all.filter((r) => !r.expired).length,
        expired: all.filter((r) => r.expired).length,
        automatic: all.filter((r) => r.auto).length,
        broken: report.errors.length,
      },
      node: process.versions.node,
      problems,
    };
    if (io.json) {
      printJson(io, data);
    } else {
      io.out(
        [
          `store:      ${data.store.path} (${data.store.kind}${data.store.exists ? '' : ', not created yet'})`,
          `repository: ${data.repository ?? '-'}`,
          `project:    ${data.project ?? '-'}`,
          `index:      ${data.index ?? '(in memory)'}`,
          `user store: ${data.userStore}`,
          `config:     ${[data.config.repository, data.config.user].filter(Boolean).join(', ') || '(defaults)'}; profile ${data.config.profile}`,
          `handoffs:   ${data.counts.handoffs} (${data.counts.live} live, ${data.counts.expired} expired, ${data.counts.automatic} automatic, ${data.counts.broken} broken)`,
          `node:       ${data.node}`,
          problems.length ? `problems:\n${problems.map((p) => `  - ${p}`).join('\n')}` : 'problems:   none',
          '',
        ].join('\n'),
      );
    }
    return problems.length > 0 ? 1 : 0;
  });
