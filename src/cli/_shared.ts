/**
 * What the command modules share: opening a context the way every command
 * does (global flag, rescan, a progress bar when rebuilding on a TTY,
 * warnings to stderr), JSON printing, the `list` table of summaries.
 */
import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';
import type { HandoffSummary } from '../format/schema.js';
import { parseSince } from '../service/_input.js';
import type { HandoffContext } from '../service/context.js';
import { openContext } from '../service/open-context.js';
import { listCells, localTime, renderListCells } from '../store/list-table.js';
import type { HandoffFilter } from '../store/types.js';
import { isTerminal, stdioStream } from './io.js';
import type { CommandIO } from './types.js';

/**
 * Opens the context for a command, runs `fn`, prints the context's warnings
 * to stderr and closes it, whatever happens.
 */
export async function withContext<T>(io: CommandIO, fn: (ctx: HandoffContext) => Promise<T>): Promise<T> {
  let bar: import('cli-progress').SingleBar | null = null;
  // A bar only for rebuilds big enough to see, and only on a terminal (asked
  // lazily: process.stderr builds a stream that small answers never need).
  let stderrTTY: boolean | undefined;
  const progress = (done: number, total: number) => {
    if (total < 500) return;
    stderrTTY ??= isTerminal(2);
    if (!stderrTTY) return;
    if (!bar) {
      // Loaded only when a rebuild shows a bar; synchronous so no update is lost.
      const cp = createRequire(import.meta.filename)('cli-progress') as typeof import('cli-progress');
      bar = new cp.SingleBar(
        { format: 'indexing handoffs [{bar}] {value}/{total}', stream: stdioStream(2), clearOnComplete: true },
        cp.Presets.shades_classic,
      );
      bar.start(total, done);
    }
    bar.update(done);
    if (done >= total) bar.stop();
  };
  const ctx = await openContext({
    cwd: io.cwd,
    env: io.env,
    global: io.global,
    rescan: io.rescan,
    onProgress: progress,
  });
  try {
    return await fn(ctx);
  } finally {
    (bar as import('cli-progress').SingleBar | null)?.stop();
    for (const w of ctx.warnings) io.err(`warning: ${w}`);
    ctx.close();
  }
}

/** Prints a value as pretty JSON with a trailing newline. */
export function printJson(io: CommandIO, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** Builds the shared list/search filter from command options. @throws UsageError for bad --since/--limit. */
export function filterFrom(opts: Record<string, unknown>): HandoffFilter {
  const filter: HandoffFilter = {};
  if (typeof opts.project === 'string') filter.project = opts.project;
  if (typeof opts.tag === 'string') filter.tag = opts.tag;
  if (typeof opts.name === 'string') filter.name = opts.name;
  if (typeof opts.since === 'string') filter.since = parseSince(opts.since);
  if (opts.all === true) filter.all = true;
  if (opts.limit !== undefined) {
    const n = Number(opts.limit);
    if (!Number.isInteger(n) || n <= 0)
      throw new UsageError(`invalid --limit '${String(opts.limit)}': use a positive integer`);
    filter.limit = n;
  }
  return filter;
}

/** One-line table cell (src/store/list-table.ts), for the commands that print one. */
export { cell } from '../store/list-table.js';

/** The `list` table (ID NAME PROJECT TAGS EXPIRES SUMMARY) of these summaries, built in JavaScript (`gc --dry-run`). */
export function listTable(rows: HandoffSummary[]): string {
  return renderListCells(
    rows.map((r) => {
      const c = listCells(r.name, r.project, r.tags, r.summary);
      return [r.id, c.list_name, c.list_project, c.list_tags, localTime(r.expires), c.list_summary];
    }),
  );
}

/** Splits `--tags a,b` the way the `handoff` CLI does (trimmed, empties dropped). */
export function splitTags(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const tags = value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return tags.length > 0 ? tags : undefined;
}
