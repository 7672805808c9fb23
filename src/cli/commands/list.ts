/** `handoff list`: newest first, table ID NAME PROJECT TAGS EXPIRES SUMMARY; `No handoffs found.` on stderr when empty. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { listHandoffs, listHandoffTable } from '../../service/handoffs.js';
import { filterFrom, printJson, withContext } from '../_shared.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io, _args, opts) =>
  withContext(io, async (ctx) => {
    const filter = filterFrom(opts);
    if (io.json) {
      printJson(io, await listHandoffs(ctx, filter));
      return 0;
    }
    const table = await listHandoffTable(ctx, filter);
    if (table.length === 0) {
      io.err('No handoffs found.');
      if (ctx.index.count() === 0) {
        const db = io.env.HANDOFF_DB || join(io.env.HOME || homedir(), '.handoff', 'handoff.db');
        io.err(
          existsSync(db)
            ? `hint: the store at ${ctx.store.location} is empty; import your handoff CLI database with: handoff import --from handoff-db`
            : `hint: the store at ${ctx.store.location} is empty; write one with: handoff draft, then handoff store`,
        );
      }
      return 0;
    }
    io.out(table);
    return 0;
  });
