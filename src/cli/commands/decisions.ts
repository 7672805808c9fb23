/** `handoff decisions [QUERY]`: every decision, newest first, with rationale, date and source. */
import { printJson, withContext } from '../_shared.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io, args, opts) =>
  withContext(io, async (ctx) => {
    const { listDecisions } = await import('../../resume/decisions.js');
    const entries = await listDecisions(ctx, {
      query: args.length ? args.join(' ') : undefined,
      project: opts.project as string | undefined,
      all: opts.all === true,
    });
    if (io.json) {
      printJson(io, entries);
      return 0;
    }
    if (entries.length === 0) {
      io.err('No decisions found.');
      return 0;
    }
    for (const d of entries) {
      io.out(`${d.date.slice(0, 10)}  ${d.handoffId}  ${d.decision}\n`);
      io.out(`    why: ${d.rationale ?? '(no rationale recorded)'}\n`);
      for (const r of d.related) io.out(`    ${r.relation} ${r.handoffId} (${r.date.slice(0, 10)}): ${r.decision}\n`);
    }
    return 0;
  });
