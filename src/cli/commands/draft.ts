/** `handoff draft`: a pre-filled draft on stdout or in `--output FILE` (written atomically). */
import { resolve } from 'node:path';
import type { WorkType } from '../../format/schema.js';
import { printJson, withContext } from '../_shared.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io, _args, opts) =>
  withContext(io, async (ctx) => {
    const { draftHandoff } = await import('../../capture/draft.js');
    const draft = await draftHandoff(ctx, {
      workType: opts.workType as WorkType | undefined,
      tests: opts.tests as string | undefined,
      transcript: typeof opts.transcript === 'string' ? resolve(io.cwd, opts.transcript) : undefined,
      name: opts.name as string | undefined,
      summary: opts.summary as string | undefined,
    });
    if (typeof opts.output === 'string') {
      const { default: writeFileAtomic } = await import('write-file-atomic');
      const target = resolve(io.cwd, opts.output);
      await writeFileAtomic(target, draft.text, { encoding: 'utf8' });
      if (io.json) printJson(io, { path: target, facts: draft.facts });
      else
        io.err(
          `draft written to ${target}; fill in the marked parts, then: handoff check ${opts.output} && handoff store --file ${opts.output}`,
        );
    } else if (io.json) printJson(io, draft);
    else io.out(draft.text);
    return 0;
  });
