/** `handoff rm ID`: deletes one handoff file (expired or not). */
import { removeHandoff } from '../../service/handoffs.js';
import { printJson, withContext } from '../_shared.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io, args) =>
  withContext(io, async (ctx) => {
    const row = await removeHandoff(ctx, args[0] ?? '');
    if (io.json) printJson(io, row);
    else io.out(`Removed ${row.id} (${row.path}).\n`);
    return 0;
  });
