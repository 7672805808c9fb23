/** `handoff export [--format jsonl|md]`: the whole store on stdout, one handoff at a time. */
import { exportHandoffs } from '../../service/export.js';
import { withContext } from '../_shared.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io, _args, opts) =>
  withContext(io, async (ctx) => {
    const format = io.json ? 'jsonl' : ((opts.format as 'jsonl' | 'md' | undefined) ?? 'jsonl');
    for await (const chunk of exportHandoffs(ctx, {
      format,
      filter: { project: opts.project as string | undefined, all: true },
      onSkip: (path, reason) => io.err(`warning: skipped ${path}: ${reason}`),
    })) {
      io.out(chunk);
    }
    return 0;
  });
