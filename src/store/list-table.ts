/**
 * The `list` table (ID NAME PROJECT TAGS EXPIRES SUMMARY), the format of the
 * `handoff` CLI's `list`: one line per handoff, every column but the last
 * padded to its widest cell plus two spaces (like Go's tabwriter with
 * padding 2), trailing blanks cut.
 *
 * Its rules live here, pure (no I/O), for the three places that apply them:
 * - {@link renderListCells} builds the table in JavaScript: from summaries
 *   (`gc --dry-run`), and through {@link renderListTable} from index
 *   columns (`list` when SQLite cannot render it, see below);
 * - {@link buildRow} (_index-rows.ts) stores each handoff's NAME, PROJECT,
 *   TAGS and SUMMARY cells ({@link listCells}) in the index when it indexes
 *   the file, so the rules changing means bumping the index's SCHEMA_VERSION;
 * - the index (index-db.ts, `listTable`) renders the whole table in SQLite
 *   from those cells: widths by `length()` (code points, as
 *   {@link displayLength} counts), padding by `printf('%-!*s')` (code points
 *   too), EXPIRES by `strftime(..., 'localtime')`, checked against
 *   {@link localTime} for every row shown before it is used.
 */
import type { ListColumns } from './types.js';

/** The header line's cells. */
export const LIST_HEADER = ['ID', 'NAME', 'PROJECT', 'TAGS', 'EXPIRES', 'SUMMARY'] as const;

/** Longest NAME, PROJECT, TAGS and SUMMARY cells, in code points (a longer text is cut to one less plus `…`). */
export const LIST_CELL_MAX = { name: 40, project: 30, tags: 30, summary: 60 } as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what a table cell must not hold
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const CONTROL_RUNS = /[\u0000-\u001f\u007f]+/g;

/**
 * One-line cell: each run of control characters (newlines included) becomes
 * one space, the result is trimmed (`String.prototype.trim`), and a text
 * longer than `max` code points is cut to `max - 1` of them plus `…`.
 * Null, undefined and `''` give `''`.
 * @example cell('  a\n\nb  ', 60) // 'a b'
 */
export function cell(value: string | null | undefined, max = 60): string {
  if (!value) return '';
  const flat = CONTROL.test(value) ? value.replace(CONTROL_RUNS, ' ').trim() : value.trim();
  // UTF-16 length >= code points, so a short string needs no splitting (list prints 10k rows cold).
  if (flat.length <= max) return flat;
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

/** The TAGS cell: the tags joined by `,`, as one {@link cell} of at most 30 code points; `''` for none. */
export function tagsCell(tags: readonly string[]): string {
  return tags.length === 0 ? '' : cell(tags.join(','), LIST_CELL_MAX.tags);
}

/** The four stored cells of one handoff (see the module comment), each `''` when there is nothing to show. */
export interface ListCells {
  list_name: string;
  list_project: string;
  list_tags: string;
  list_summary: string;
}

/** The stored cells of a handoff with these values. */
export function listCells(
  name: string | null,
  project: string | null,
  tags: readonly string[],
  summary: string | null,
): ListCells {
  return {
    list_name: cell(name, LIST_CELL_MAX.name),
    list_project: cell(project, LIST_CELL_MAX.project),
    list_tags: tagsCell(tags),
    list_summary: cell(summary, LIST_CELL_MAX.summary),
  };
}

/**
 * The EXPIRES cell: `YYYY-MM-DD HH:MM` in the process's local time zone
 * (`TZ`); `never` for null or `''`; the text itself when it is not a date.
 * @example localTime('2026-11-21T14:30:00Z') // '2026-11-21 14:30' with TZ=UTC
 */
export function localTime(iso: string | null): string {
  if (!iso) return 'never';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Width of a cell: code points, as Go's tabwriter counts them (a surrogate pair is one). */
export function displayLength(text: string): number {
  return /[\uD800-\uDBFF]/.test(text) ? [...text].length : text.length;
}

/**
 * The header line (with its newline) for these widths of the first five
 * columns (each at least its header's length).
 */
export function listTableHeader(widths: readonly number[]): string {
  let line = '';
  for (let c = 0; c < LIST_HEADER.length - 1; c++) line += LIST_HEADER[c]!.padEnd(widths[c]! + 2);
  return `${line}${LIST_HEADER[LIST_HEADER.length - 1]}\n`;
}

/**
 * The table for these rows (index columns, see {@link ListColumns}), header
 * first, one line per row, each ending in `\n`.
 */
export function renderListTable(rows: readonly ListColumns[]): string {
  const cells = headedCells(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const o = (i + 1) * LIST_HEADER.length;
    cells[o] = r[0];
    cells[o + 1] = cell(r[1], LIST_CELL_MAX.name);
    cells[o + 2] = cell(r[2], LIST_CELL_MAX.project);
    cells[o + 3] = r[3] === '[]' ? '' : tagsCell(JSON.parse(r[3]) as string[]);
    cells[o + 4] = localTime(r[4]);
    cells[o + 5] = cell(r[5], LIST_CELL_MAX.summary);
  }
  return layOut(cells);
}

/**
 * The table of rows already made into their six cells (ID, then
 * {@link listCells}' NAME, PROJECT, TAGS, EXPIRES from {@link localTime},
 * SUMMARY), header first.
 */
export function renderListCells(rows: readonly (readonly string[])[]): string {
  const cells = headedCells(rows.length);
  const width = LIST_HEADER.length;
  for (let i = 0; i < rows.length; i++) {
    for (let c = 0; c < width; c++) cells[(i + 1) * width + c] = rows[i]![c] ?? '';
  }
  return layOut(cells);
}

/** A flat array for the header and `rows` rows of cells, the header filled in. */
function headedCells(rows: number): string[] {
  const cells: string[] = new Array((rows + 1) * LIST_HEADER.length);
  for (let c = 0; c < LIST_HEADER.length; c++) cells[c] = LIST_HEADER[c]!;
  return cells;
}

/**
 * The table text of a flat array of cells (a row every six). One flat array
 * rather than an array per row: a cold `list` of 10k handoffs spent a third
 * of its time collecting garbage from per-row arrays.
 */
function layOut(cells: readonly string[]): string {
  const width = LIST_HEADER.length;
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
