/**
 * What the command modules share: opening a context the way every command
 * does (global flag, rescan, a progress bar when rebuilding on a TTY,
 * warnings to stderr), JSON printing, and the table format of `list`.
 */
import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';
import type { HandoffSummary } from '../format/schema.js';
import { parseSince } from '../service/_input.js';
import type { HandoffContext } from '../service/context.js';
import { openContext } from '../service/open-context.js';
import type { HandoffFilter, ListColumns } from '../store/types.js';
import { isTerminal } from './io.js';
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
        { format: 'indexing handoffs [{bar}] {value}/{total}', stream: process.stderr, clearOnComplete: true },
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

/** `YYYY-MM-DD HH:MM` in local time, as the `handoff` CLI prints EXPIRES. */
export function localTime(iso: string | null): string {
  if (!iso) return 'never';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Code points, as Go's tabwriter counts them (surrogate pairs are one). */
function displayLength(text: string): number {
  return /[\uD800-\uDBFF]/.test(text) ? [...text].length : text.length;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what a table cell must not hold
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const CONTROL_RUNS = /[\u0000-\u001f\u007f]+/g;

/** One-line cell: control characters and newlines flattened, long text cut with an ellipsis. */
export function cell(value: string | null | undefined, max = 60): string {
  if (!value) return '';
  const flat = CONTROL.test(value) ? value.replace(CONTROL_RUNS, ' ').trim() : value.trim();
  // UTF-16 length >= code points, so a short string needs no splitting (list prints 10k rows cold).
  if (flat.length <= max) return flat;
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

/** The `list` table: ID NAME PROJECT TAGS EXPIRES SUMMARY. */
export function listTable(rows: HandoffSummary[]): string {
  return listColumnsTable(rows.map((r) => [r.id, r.name, r.project, JSON.stringify(r.tags), r.expires, r.summary]));
}

const LIST_HEADER = ['ID', 'NAME', 'PROJECT', 'TAGS', 'EXPIRES', 'SUMMARY'];

/**
 * The `list` table from index columns, aligned like Go's tabwriter with
 * padding 2 (the `handoff` CLI's `list`): every column but the last is
 * padded to its widest cell plus two; trailing blanks are cut. Built in one
 * flat array of cells: a cold `list` of 10k handoffs spent a third of its
 * time collecting garbage from per-row arrays.
 */
export function listColumnsTable(rows: ListColumns[]): string {
  const width = LIST_HEADER.length;
  const cells: string[] = new Array((rows.length + 1) * width);
  for (let c = 0; c < width; c++) cells[c] = LIST_HEADER[c]!;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const o = (i + 1) * width;
    cells[o] = r[0];
    cells[o + 1] = cell(r[1], 40);
    cells[o + 2] = cell(r[2], 30);
    cells[o + 3] = r[3] === '[]' ? '' : cell((JSON.parse(r[3]) as string[]).join(','), 30);
    cells[o + 4] = localTime(r[4]);
    cells[o + 5] = cell(r[5]);
  }
  const widths = new Array<number>(width - 1).fill(0);
  const lengths = new Array<number>(cells.length);
  for (let k = 0; k < cells.length; k++) {
    const c = k % width;
    if (c === width - 1) continue;
    const n = displayLength(cells[k]!);
    lengths[k] = n;
    if (n > widths[c]!) widths[c] = n;
  }
  const pads: string[] = [];
  const pad = (n: number) => {
    pads[n] ??= ' '.repeat(n);
    return pads[n]!;
  };
  let out = '';
  for (let o = 0; o < cells.length; o += width) {
    let line = '';
    for (let c = 0; c < width - 1; c++) line += cells[o + c]! + pad(widths[c]! - lengths[o + c]! + 2);
    const last = cells[o + width - 1]!;
    out += last === '' ? `${line.trimEnd()}\n` : `${line}${last}\n`;
  }
  return out;
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
