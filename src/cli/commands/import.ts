/** `handoff import PATH… | --from handoff-db [PATH]`: imports existing handoffs; reports refused ones. */
import { UsageError } from '../../errors.js';
import { importHandoffs } from '../../service/import.js';
import { printJson, withContext } from '../_shared.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io, args, opts) => {
  let paths = args;
  let fromHandoffDb: boolean | string = false;
  if (opts.from !== undefined) {
    if (opts.from !== 'handoff-db')
      throw new UsageError(`unknown --from '${String(opts.from)}': the only source is handoff-db`);
    fromHandoffDb = args[0] ?? true;
    paths = args.slice(1);
  }
  return withContext(io, async (ctx) => {
    const report = await importHandoffs(ctx, {
      paths,
      fromHandoffDb,
      redact: opts.redact === true,
      project: opts.project as string | undefined,
      dryRun: opts.dryRun === true,
    });
    if (io.json) {
      printJson(io, report);
    } else {
      for (const r of report.refused) io.err(`refused: ${r.source}: ${r.reason}`);
      const verb = opts.dryRun ? 'Would import' : 'Imported';
      io.out(
        `${verb} ${report.imported.length} handoff(s); skipped ${report.skipped.length} already present; refused ${report.refused.length}.\n`,
      );
    }
    return report.refused.length > 0 && report.imported.length === 0 && report.skipped.length === 0 ? 2 : 0;
  });
};
