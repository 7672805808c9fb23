/** `handoff gc [--dry-run]`: deletes expired handoffs; prints `Removed N expired handoff(s).` */
import { gcHandoffs } from '../../service/handoffs.js';
import { listTable, printJson, withContext } from '../_shared.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io, _args, opts) =>
  withContext(io, async (ctx) => {
    const dryRun = opts.dryRun === true;
    const rows = await gcHandoffs(ctx, { dryRun });
    if (io.json) printJson(io, { removed: dryRun ? 0 : rows.length, dryRun, handoffs: rows });
    else if (dryRun) io.out(`Would remove ${rows.length} expired handoff(s).\n${rows.length ? listTable(rows) : ''}`);
    else io.out(`Removed ${rows.length} expired handoff(s).\n`);
    return 0;
  });
