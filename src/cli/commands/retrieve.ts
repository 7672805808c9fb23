/**
 * `handoff retrieve [ID] [--name N | --latest]`: by default the content
 * exactly as it was given to `store` (the `handoff` CLI's behaviour);
 * `--format md` the whole file; `--json`/`--format json` the structured form;
 * `--format prompt` the session-start prompt for this handoff.
 */
import { readHandoff, retrieveHandoff } from '../../service/handoffs.js';
import { printJson, withContext } from '../_shared.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io, args, opts) =>
  withContext(io, async (ctx) => {
    const query = {
      id: args[0],
      name: opts.name as string | undefined,
      latest: opts.latest === true,
      all: opts.all === true,
      project: opts.project as string | undefined,
    };
    const format = io.json ? 'json' : (opts.format as string | undefined);
    if (format === 'json') {
      // Only the structured form parses the document (markdown sections, YAML).
      const h = await retrieveHandoff(ctx, query);
      for (const w of h.warnings) io.err(`warning: ${w}`);
      printJson(io, h.json);
      return 0;
    }
    const h = await readHandoff(ctx, query);
    for (const w of h.warnings) io.err(`warning: ${w}`);
    if (format === 'md') io.out(h.text);
    else if (format === 'prompt') {
      const { buildResume } = await import('../../resume/resume.js');
      const r = await buildResume(ctx, { handoffId: h.summary.id });
      io.out(`${r.text}\n`);
    } else io.out(h.body);
    return 0;
  });
