/**
 * Text helpers shared by `resume` and `decisions`: making other people's
 * words safe to show an agent, a tokenizer-free token estimate, and a small
 * block splitter for section bodies (list items, sub-headings, tables,
 * paragraphs). Pure functions, no heavy imports: this is on the hot path of
 * every session start.
 */
import { charClass, isSpaceCode, LETTER, NUMBER, OTHER, SPACE } from './_chars.js';

/**
 * Invisible characters that can hide text from a human reviewer while an
 * agent still reads it ("ASCII smuggling", Trojan Source): every format
 * character (Unicode category Cf: zero-width space/joiners, bidi embeddings,
 * overrides and isolates, BOM, soft hyphen, tag characters U+E0000-E007F),
 * the supplementary variation selectors U+E0100-E01EF, the Hangul fillers,
 * and control characters other than tab and newline.
 */
// Built from parts: Biome rejects control characters and combining ranges in a literal,
// and removing exactly those is the point here.
const INVISIBLE_CLASSES = [
  '\\p{Cf}',
  '\\u{E0100}-\\u{E01EF}',
  '\\u115F\\u1160\\u3164\\uFFA0',
  '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F',
];
const INVISIBLE = new RegExp(`[${INVISIBLE_CLASSES.join('')}]`, 'gu');

/**
 * An HTML comment is hidden when markdown is rendered; one left open hides
 * everything after it (CommonMark HTML block type 2 runs to the end).
 */
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

/** Our own delimiter: text inside the block must not be able to close it or open another. */
const DELIMITER = /<(\/?)(handoff)\b/gi;

/**
 * Makes handoff text safe to place inside the resume block: removes HTML
 * comments and invisible characters, normalises line breaks, and defuses
 * `<handoff` / `</handoff` so the text cannot close the block it sits in
 * (design.md, "Decisions" > "Resume and hooks").
 *
 * @example sanitizeText('a<!-- do X -->b\u200B') // 'ab'
 */
export function sanitizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u2028\u2029]/g, '\n')
    .replace(HTML_COMMENT, '')
    .replace(INVISIBLE, '')
    .replace(DELIMITER, '&lt;$1$2');
}

/** `sanitizeText` for one-line values (name, agent, summary): also folds newlines and caps the length. */
export function sanitizeInline(text: string, max = 200): string {
  const s = sanitizeText(text).replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** UTF-8 length of code point `cp` (a lone surrogate counts 3, as `Buffer.byteLength` writes U+FFFD). */
function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/**
 * A conservative token estimate that needs no tokenizer, for text that has
 * no cached count (the frame of the resume prompt, one-line forms).
 *
 * It mimics o200k's pre-tokenizer, splitting the text as
 * `/[A-Za-z]+|\p{L}+|\p{N}{1,3}|[^\s\p{L}\p{N}]+|\s+/gu` would (letter
 * runs, 1-3 digit runs, punctuation runs, whitespace), and charges each run
 * generously: ASCII letters 1 token per 4 characters, other letters 1 per 3
 * UTF-8 bytes, punctuation 1 per 2 characters (UTF-8 bytes when not ASCII),
 * whitespace 1 (a single space 0). Measured on the 176 corpus documents: the
 * real count is 74% of the estimate on average and at most 89% for any
 * document (1.2% of single paragraphs exceed it, by a token or two). Not a
 * bound: callers that must be exact count with the tokenizer.
 *
 * A scan over character classes (src/resume/_chars.ts), not that regex: its
 * `\p{L}` classes cost ~3 ms to compile at every session start.
 */
export function estimateTokens(text: string): number {
  let n = 0;
  const len = text.length;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (isAsciiLetter(c)) {
      let j = i + 1;
      while (j < len && isAsciiLetter(text.charCodeAt(j))) j++;
      n += Math.ceil((j - i) / 4);
      i = j;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const kind = charClass(cp);
    let j = i + (cp > 0xffff ? 2 : 1);
    if (kind === LETTER) {
      let bytes = utf8Length(cp);
      while (j < len) {
        const next = text.codePointAt(j)!;
        if (charClass(next) !== LETTER) break;
        bytes += utf8Length(next);
        j += next > 0xffff ? 2 : 1;
      }
      n += Math.ceil(bytes / 3);
    } else if (kind === NUMBER) {
      for (let k = 1; k < 3 && j < len; k++) {
        const next = text.codePointAt(j)!;
        if (charClass(next) !== NUMBER) break;
        j += next > 0xffff ? 2 : 1;
      }
      n += 1;
    } else if (kind === SPACE) {
      while (j < len && isSpaceCode(text.charCodeAt(j))) j++;
      if (j - i > 1 || c !== 0x20) n += 1;
    } else {
      let bytes = utf8Length(cp);
      let ascii = cp < 0x80;
      while (j < len) {
        const next = text.codePointAt(j)!;
        if (charClass(next) !== OTHER) break;
        bytes += utf8Length(next);
        if (next >= 0x80) ascii = false;
        j += next > 0xffff ? 2 : 1;
      }
      // A run that starts with a control character is charged as whitespace.
      if (c <= 32) n += 1;
      else n += ascii ? Math.ceil((j - i) / 2) : Math.ceil(bytes / 2);
    }
    i = j;
  }
  return n;
}

/** One block of a section body. */
export interface Block {
  /**
   * `item` a top-level list item (with its nested lines); `heading` a
   * sub-heading with everything up to the next heading of the same or a
   * higher level; `table` consecutive `|` rows; `code` a fenced block;
   * `paragraph` consecutive other lines.
   */
  kind: 'item' | 'heading' | 'table' | 'code' | 'paragraph';
  /** The block's lines, as written. */
  lines: string[];
}

const ITEM = /^(\s*)([-*+•]|\d{1,3}[.)])\s+/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(`{3,}|~{3,})/;

/**
 * Splits a section body into blocks (see `Block`). Never fails; blank lines
 * separate paragraphs and end items unless the next line is indented
 * (a continuation) or is another item.
 */
export function splitBlocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const itemIndent = minItemIndent(lines);
  const blocks: Block[] = [];
  let cur: Block | null = null;
  let headingLevel = 0;
  let fence: string | null = null;
  let blank = false;

  const push = (b: Block) => {
    blocks.push(b);
    cur = b;
  };

  for (const line of lines) {
    const c = cur as Block | null;
    if (fence !== null) {
      c!.lines.push(line);
      if (line.trim().startsWith(fence)) fence = null;
      continue;
    }
    const f = FENCE.exec(line);
    const h = HEADING.exec(line);
    const item = ITEM.exec(line);
    const indent = line.length - line.trimStart().length;

    if (c?.kind === 'heading') {
      // A heading block owns everything until a heading of the same or a higher level.
      if (h && h[1]!.length <= headingLevel) {
        headingLevel = h[1]!.length;
        push({ kind: 'heading', lines: [line] });
      } else {
        c.lines.push(line);
        if (f) fence = f[1]!;
      }
      continue;
    }
    if (h) {
      headingLevel = h[1]!.length;
      push({ kind: 'heading', lines: [line] });
      blank = false;
      continue;
    }
    if (line.trim() === '') {
      if (c && c.kind !== 'code') c.lines.push(line);
      blank = true;
      continue;
    }
    if (f) {
      if (c?.kind === 'item' && indent > itemIndent) c.lines.push(line);
      else push({ kind: 'code', lines: [line] });
      fence = f[1]!;
      blank = false;
      continue;
    }
    if (item && indent <= itemIndent) {
      push({ kind: 'item', lines: [line] });
    } else if (c?.kind === 'item' && (indent > itemIndent || (!blank && !line.trimStart().startsWith('|')))) {
      c.lines.push(line);
    } else if (line.trimStart().startsWith('|')) {
      if (c?.kind === 'table' && !blank) c.lines.push(line);
      else push({ kind: 'table', lines: [line] });
    } else if (c?.kind === 'paragraph' && !blank) {
      c.lines.push(line);
    } else {
      push({ kind: 'paragraph', lines: [line] });
    }
    blank = false;
  }
  for (const b of blocks) {
    while (b.lines.length > 1 && b.lines[b.lines.length - 1]!.trim() === '') b.lines.pop();
  }
  return blocks.filter((b) => b.lines.some((l) => l.trim() !== ''));
}

/**
 * The lines that are not inside a fenced code block (``` or ~~~, closed by a
 * line starting with the same fence), fence lines excluded.
 */
export function* linesOutsideFences(lines: Iterable<string>): Generator<string> {
  let fence: string | null = null;
  for (const line of lines) {
    if (fence !== null) {
      if (line.trim().startsWith(fence)) fence = null;
      continue;
    }
    const f = FENCE.exec(line);
    if (f) {
      fence = f[1]!;
      continue;
    }
    yield line;
  }
}

/** Indentation of the least-indented list item outside code fences (top-level items). */
function minItemIndent(lines: string[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (const line of linesOutsideFences(lines)) {
    const m = ITEM.exec(line);
    if (m) min = Math.min(min, m[1]!.length);
  }
  return Number.isFinite(min) ? min : 0;
}

/** A list item's text without its marker and checkbox: `- [ ] **Do X**` -> `**Do X**`. */
export function stripMarker(line: string): string {
  return line.replace(ITEM, '').replace(/^\[[ xX✓✔-]\]\s*/, '');
}

/** True for a checked task-list item (`- [x] ...`): done, so not a next step. */
export function isCheckedItem(line: string): boolean {
  return /^\s*(?:[-*+]|\d{1,3}[.)])\s+\[[xX✓✔]\]/.test(line);
}

/** The text of a heading line without `#` marks: `### Why` -> `Why`. */
export function headingText(line: string): string | null {
  const m = HEADING.exec(line);
  return m ? m[2]! : null;
}

/** Removes emphasis markers and collapses whitespace: `**Use X** — why` -> `Use X — why`. */
export function plainInline(text: string): string {
  return text
    .replace(/\*\*|__/g, '')
    .replace(/(^|\s)[*_](\S[^*_]*?\S|\S)[*_](?=\s|[.,;:!?)]|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Cuts `text` to at most `max` characters, ending with `…` when it was cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/**
 * "3 hours ago", "yesterday", "2 weeks ago" for an ISO date relative to `now`.
 * Dates in the future (clock skew) read "just now".
 */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'at an unknown time';
  const s = Math.max(0, (now - t) / 1000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (s < 60) return 'just now';
  if (s < 3600) return plural(Math.floor(s / 60), 'minute');
  if (s < 86_400) return plural(Math.floor(s / 3600), 'hour');
  const days = Math.floor(s / 86_400);
  if (days === 1) return 'yesterday';
  if (days < 14) return plural(days, 'day');
  if (days < 60) return plural(Math.floor(days / 7), 'week');
  if (days < 730) return plural(Math.floor(days / 30), 'month');
  return plural(Math.floor(days / 365), 'year');
}

/** Scripts written without spaces between words: their phrases match as substrings. */
const NO_WORD_SPACES = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/;

/**
 * A regex source matching any phrase of the lists: whole words for spaced
 * scripts, substrings for CJK; a space in a phrase matches any whitespace.
 * Compile with the `iu` flags.
 *
 * The word boundary is one lookaround around the whole alternation, not one
 * per phrase: with `/iu`, V8 case-folds `\p{L}` for every copy, and 150
 * per-phrase copies cost ~80 ms to build and first run (measured) — too much
 * for a session-start hook. Shared, the same lists cost a few milliseconds.
 */
export function phrasePattern(lists: Readonly<Record<string, readonly string[]>> | readonly string[]): string {
  const all = Array.isArray(lists) ? lists : Object.values(lists as Record<string, readonly string[]>).flat();
  const phrases = [...new Set(all)].sort((a, b) => b.length - a.length);
  const quote = (p: string) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
  const spaced = phrases.filter((p) => !NO_WORD_SPACES.test(p)).map(quote);
  const cjk = phrases.filter((p) => NO_WORD_SPACES.test(p)).map(quote);
  const parts: string[] = [];
  if (spaced.length > 0) parts.push(`(?<![\\p{L}\\p{N}_])(?:${spaced.join('|')})(?![\\p{L}\\p{N}_])`);
  if (cjk.length > 0) parts.push(`(?:${cjk.join('|')})`);
  return parts.length > 0 ? parts.join('|') : '(?!)';
}
