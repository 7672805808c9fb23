/** `handoff search QUERY`: BM25-ranked hits with snippets; same filters as list plus `--section`. */
import pc from 'picocolors';
import { searchHandoffs } from '../../service/handoffs.js';
import { cell, filterFrom, printJson, withContext } from '../_shared.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io, args, opts) =>
  withContext(io, async (ctx) => {
    const filter = { limit: 20, ...filterFrom(opts), section: opts.section as string | undefined };
    const hits = await searchHandoffs(ctx, args.join(' '), filter);
    if (io.json) {
      printJson(io, hits);
      return 0;
    }
    if (hits.length === 0) {
      io.err('No handoffs found.');
      return 0;
    }
    const color = !io.env.NO_COLOR && io.isTTY;
    for (const h of hits) {
      const title = [h.id, cell(h.name ?? h.summary, 50), h.created.slice(0, 10), h.section ? `[${h.section}]` : '']
        .filter(Boolean)
        .join('  ');
      const snippet = cell(h.snippet, 200);
      io.out(
        `${color ? pc.bold(title) : title}\n    ${color ? snippet.replace(/\[([^\]]+)\]/g, (_m, w: string) => pc.yellow(w)) : snippet}\n`,
      );
    }
    return 0;
  });
