/** `handoff store`: content from stdin or --file; prints only the 8-hex id (as the `handoff` CLI does). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import type { WorkType } from '../../format/schema.js';
import { storeHandoff } from '../../service/store.js';
import { printJson, splitTags, withContext } from '../_shared.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io, _args, opts) => {
  let content: Buffer;
  let source = 'stdin';
  if (typeof opts.file === 'string') {
    source = opts.file;
    try {
      // Synchronous: fs/promises costs ~1 ms of module loading (readline, streams), and nothing runs meanwhile.
      content = readFileSync(resolve(io.cwd, opts.file));
    } catch (e) {
      throw new UsageError(
        `cannot read --file ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  } else {
    content = await io.readStdin();
  }
  return withContext(io, async (ctx) => {
    const result = await storeHandoff(ctx, {
      content,
      source,
      name: opts.name as string | undefined,
      summary: opts.summary as string | undefined,
      ttl: opts.ttl as string | undefined,
      project: opts.project as string | undefined,
      tags: splitTags(opts.tags),
      workType: opts.workType as WorkType | undefined,
      parent: opts.parent as string | undefined,
      agent: opts.agent as string | undefined,
      redact: opts.redact === true,
    });
    if (result.redacted > 0) io.err(`warning: replaced ${result.redacted} credential(s) with [REDACTED] markers`);
    // `store` lints but never refuses on quality: the findings are advice on stderr, kept short.
    const shown = result.findings.filter((f) => f.severity !== 'info');
    for (const f of shown.slice(0, 5)) {
      const where = `${result.key}${f.line ? `:${f.line}` : ''}`;
      io.err(`check ${f.severity}: ${where}: ${f.rule}: ${f.message}`);
    }
    if (shown.length > 5) io.err(`… and ${shown.length - 5} more: run handoff check ${result.id}`);
    if (io.json) printJson(io, result);
    else io.out(`${result.id}\n`);
    return 0;
  });
};
