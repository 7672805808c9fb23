/** `handoff resume`: the session-start prompt within `--budget` tokens. */
import { UsageError } from '../../errors.js';
import { printJson, withContext } from '../_shared.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io, _args, opts) =>
  withContext(io, async (ctx) => {
    let budget: number | undefined;
    if (opts.budget !== undefined) {
      budget = Number(opts.budget);
      if (!Number.isInteger(budget) || budget < 50)
        throw new UsageError(`invalid --budget '${String(opts.budget)}': use a whole number of tokens >= 50`);
    }
    const { buildResume } = await import('../../resume/resume.js');
    const result = await buildResume(ctx, {
      budget,
      branch: opts.branch as string | undefined,
      afterCompaction: opts.afterCompaction === true,
    });
    if (io.json || opts.format === 'json') printJson(io, result);
    else io.out(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
    return 0;
  });
