/**
 * Pure text edits for files we share with their owners (CLAUDE.md,
 * AGENTS.md, a store's .gitignore, JSON settings): every byte outside what we
 * own is kept, the file's line endings are followed, and a second run with
 * the same input changes nothing.
 */
import { UsageError } from '../errors.js';
import { BLOCK_END, BLOCK_START } from './instructions.js';

/** What an edit did to one file. */
export type EditAction = 'create' | 'update' | 'unchanged';

/** The new text of a file and what changed. */
export interface EditResult {
  text: string;
  action: EditAction;
}

/** `\r\n` when most line breaks in `text` are CRLF, else `\n` (also for text without any). */
export function detectEol(text: string): '\n' | '\r\n' {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/** The block with its markers, lines joined with `eol`, without a final line break. */
export function renderBlock(body: string, eol: string): string {
  const lines = body.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  return [BLOCK_START, ...lines, BLOCK_END].join(eol);
}

/**
 * Puts `body` between `<!-- session-handoff:start -->` and
 * `<!-- session-handoff:end -->` in `existing`:
 * - no file (`null`): `prefix + block + "\n"`;
 * - a file with the markers: only the text from the start marker to the end of
 *   the end marker is replaced (a second run with the same body is `unchanged`);
 * - a file without them: the block is appended after a blank line. A file that
 *   ended without a line break still does (only the block and the separating
 *   line breaks are added), CRLF files get CRLF.
 * @param options.prefix text a new file starts with (Cursor's front matter).
 * @param options.path file name for the error message.
 * @throws UsageError when only one of the two markers is present (a hand edit we must not guess about).
 */
export function upsertMarkedBlock(
  existing: string | null,
  body: string,
  options: { prefix?: string; path?: string } = {},
): EditResult {
  if (existing === null) {
    return { text: `${options.prefix ?? ''}${renderBlock(body, '\n')}\n`, action: 'create' };
  }
  const eol = detectEol(existing);
  const block = renderBlock(body, eol);
  const startAt = existing.indexOf(BLOCK_START.slice(0, -4));
  const endAt = existing.indexOf(BLOCK_END.slice(0, -4), startAt === -1 ? 0 : startAt);
  if (startAt !== -1 || endAt !== -1) {
    const closeAt = endAt === -1 ? -1 : existing.indexOf('-->', endAt);
    if (startAt === -1 || closeAt === -1) {
      throw new UsageError(
        `${options.path ?? 'file'}: has only one of the ${BLOCK_START} / ${BLOCK_END} markers; fix or remove it, then run init again`,
      );
    }
    const text = existing.slice(0, startAt) + block + existing.slice(closeAt + 3);
    return { text, action: text === existing ? 'unchanged' : 'update' };
  }
  if (existing === '') return { text: `${block}${eol}`, action: 'update' };
  const text = existing.endsWith('\n') ? `${existing}${eol}${block}${eol}` : `${existing}${eol}${eol}${block}`;
  return { text, action: 'update' };
}

/**
 * Makes sure each of `lines` is a line of `existing` (a .gitignore), appending
 * the missing ones in the file's line-ending style and keeping every other byte.
 */
export function ensureLines(existing: string | null, lines: readonly string[]): EditResult {
  if (existing === null) return { text: `${lines.join('\n')}\n`, action: 'create' };
  const have = new Set(existing.split(/\r?\n/).map((l) => l.trim()));
  const missing = lines.filter((l) => !have.has(l));
  if (missing.length === 0) return { text: existing, action: 'unchanged' };
  const eol = detectEol(existing);
  const sep = existing === '' || existing.endsWith('\n') ? '' : eol;
  return { text: `${existing}${sep}${missing.join(eol)}${eol}`, action: 'update' };
}

/**
 * A one-line account of how `after` differs from `before`, by lines
 * (`+12 -3 lines`), for `--dry-run` output. Only the changed middle is
 * compared, so a block appended to a long file costs nothing.
 */
export function summarizeChange(before: string | null, after: string): string {
  const lines = (t: string | null) => (t === null || t === '' ? [] : t.replace(/\r?\n$/, '').split(/\r?\n/));
  const a = lines(before);
  const b = lines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removed = a.slice(head, a.length - tail);
  const added = b.slice(head, b.length - tail);
  // Lines present on both sides of the changed middle are moves or unchanged context, not edits.
  const counts = new Map<string, number>();
  for (const line of removed) counts.set(line, (counts.get(line) ?? 0) + 1);
  let common = 0;
  for (const line of added) {
    const n = counts.get(line) ?? 0;
    if (n > 0) {
      counts.set(line, n - 1);
      common++;
    }
  }
  return `+${added.length - common} -${removed.length - common} lines`;
}
