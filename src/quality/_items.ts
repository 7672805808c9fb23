/**
 * Reads the items out of a section's markdown (or YAML) text for the quality
 * rules: list items with their continuation lines, table rows with their
 * header, sub-headings with their bodies, and paragraphs. Pure functions,
 * line numbers are 1-based in the whole file.
 *
 * Deliberately small and tolerant instead of a full CommonMark parse
 * (markdown-it costs ~20 ms to import and gives no line-level items for
 * tables or YAML): the rules need "which lines form one item", nothing more.
 */
import { lazy } from '../_lazy.js';
import type { ParsedSection } from '../format/types.js';
import { EMPTY_ANSWERS } from './lexicon.js';

/** One line of a text with its 1-based line number in the file. */
export interface NumberedLine {
  line: number;
  text: string;
  /** Inside a fenced code block (fence lines included). */
  code: boolean;
}

/** One thing a section says: a list item, a table row, a sub-heading with its body, or a paragraph. */
export interface Item {
  kind: 'list' | 'table' | 'heading' | 'paragraph';
  /** 1-based file line where the item starts. */
  line: number;
  /** First line without its list marker, checkbox or heading marks. */
  head: string;
  /** Continuation lines, nested items and the body of a sub-heading, code blocks left out. */
  body: string;
  /** Table rows: the cells, and the header cells of the table. */
  cells?: string[];
  header?: string[];
  /** The sub-heading or intro line ("Done so far:") the item sits under, if any. */
  group?: string;
  /** A fenced code block belongs to the item. */
  hasCode?: boolean;
  /** A checked task-list box (`- [x]`). */
  checked?: boolean;
}

/** A fenced code block. */
export interface FencedBlock {
  /** 1-based file line of the opening fence. */
  line: number;
  /** Info string after the fence (`ts`, `bash`, ``), lower case. */
  lang: string;
  /** Number of lines between the fences. */
  lines: number;
  /** UTF-8 size of the content between the fences. */
  bytes: number;
  /** Looks like a directory tree (`├──`, `└──`, `│`). */
  tree: boolean;
}

const FENCE = /^[ \t]*(?:[-*+]\s+|\d+[.)]\s+)*(`{3,}|~{3,})\s*([^`\s]*)/;
const LIST_ITEM = /^(\s*)(?:[-*+•]|\d+[.)]|[a-z][.)])\s+(?:\[([ xX~\-/])\]\s*)?(.*)$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const THEMATIC_BREAK = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,}|(?:=[ \t]*){3,})$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const YAML_KEY = lazy(() => /^(\s*)(?:-\s+)?["']?[\p{L}\p{N}_][\p{L}\p{N}_ .-]*["']?:(?:\s|$)/u);

/** File line where `section.text` starts (the heading may span one or two lines). */
export function textStartLine(section: ParsedSection): number {
  const headingPart = section.raw.slice(0, Math.max(0, section.raw.length - section.text.length));
  return section.line + countNewlines(headingPart);
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Lines of `text` numbered from `firstLine`, with fenced code marked. CRLF tolerated. */
export function numberLines(text: string, firstLine: number): NumberedLine[] {
  const out: NumberedLine[] = [];
  let fence: string | null = null;
  let fenceStart = 0;
  const lines = text.split('\n');
  // A trailing newline does not start another line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = FENCE.exec(text);
    if (fence === null && m?.[1]) {
      fence = m[1];
      fenceStart = i;
      out.push({ line: firstLine + i, text, code: true });
      return;
    }
    if (fence !== null) {
      const close = text.trim();
      if (close.startsWith(fence[0]!.repeat(fence.length)) && /^[`~]+$/.test(close)) fence = null;
      out.push({ line: firstLine + i, text, code: true });
      return;
    }
    out.push({ line: firstLine + i, text, code: false });
  });
  // A fence never closed is not a fence (as in parse.ts): a typo must not hide the rest of the text.
  if (fence !== null) for (let i = fenceStart; i < out.length; i++) out[i]!.code = false;
  return out;
}

/** Every fenced code block of `text`. */
export function fencedBlocks(text: string, firstLine: number): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let open: { line: number; lang: string; fence: string; content: string[] } | null = null;
  for (const l of numberLines(text, firstLine)) {
    if (!l.code) continue;
    if (open === null) {
      const m = FENCE.exec(l.text);
      open = { line: l.line, lang: (m?.[2] ?? '').toLowerCase(), fence: m?.[1] ?? '```', content: [] };
      continue;
    }
    const close = l.text.trim();
    if (/^[`~]+$/.test(close) && close.startsWith(open.fence[0]!.repeat(open.fence.length))) {
      blocks.push(toBlock(open));
      open = null;
    } else {
      open.content.push(l.text);
    }
  }
  if (open) blocks.push(toBlock(open));
  return blocks;
}

function toBlock(open: { line: number; lang: string; content: string[] }): FencedBlock {
  const body = open.content.join('\n');
  const treeLines = open.content.filter((l) => /[├└│]|^\s*[|`]--/.test(l)).length;
  return {
    line: open.line,
    lang: open.lang,
    lines: open.content.length,
    bytes: Buffer.byteLength(body),
    tree: treeLines >= open.content.length / 2,
  };
}

/** `text` with inline code spans removed (their content is code, not prose). */
export function stripInlineCode(text: string): string {
  return text.replace(/(`+)[^`]*?\1/g, ' ');
}

/** `text` with HTML comments removed (an unclosed `<!--` is kept as text). Linear, unlike a lazy regex. */
export function stripComments(text: string): string {
  let out = '';
  let at = 0;
  for (let open = text.indexOf('<!--'); open !== -1; open = text.indexOf('<!--', at)) {
    const close = text.indexOf('-->', open + 4);
    if (close === -1) break;
    out += `${text.slice(at, open)} `;
    at = close + 3;
  }
  return out + text.slice(at);
}

const EMPTY = new Set(EMPTY_ANSWERS.map((s) => s.toLowerCase()));

/** Whether a section or item text is a deliberate empty answer ("None", "N/A", "—", "无", "なし", ...). */
export function isEmptyAnswer(text: string): boolean {
  if (text.length > 200) return false; // "None" answers are short; also keeps the regexes below linear
  const t = stripComments(text)
    .replace(/[*_`>#]/g, '')
    .replace(/^\s*(?:[-+•]|\d+[.)])\s+/gm, '')
    .trim()
    .replace(/[.!。]+$/, '')
    .replace(/\s*[(（][^)）]*[)）]$/, '')
    .trim()
    .toLowerCase();
  if (t === '') return false;
  if (EMPTY.has(t)) return true;
  // "None — all merged", "Nothing blocked right now", "No new decisions this session".
  return (
    t.length <= 60 &&
    (/^(?:none|nothing|n\/a)\b/.test(t) ||
      /^no (?:new |open |known |further |other )?(?:blockers?|decisions?|changes|issues|items|work|questions)\b/.test(
        t,
      ))
  );
}

/** Whether a section body holds nothing: only whitespace, HTML comments and empty list markers. */
export function isBlank(text: string): boolean {
  return (
    stripComments(text)
      .replace(/^\s*(?:[-*+•]|\d+[.)])(?:\s+\[[ xX]\])?\s*$/gm, '')
      .trim() === ''
  );
}

function splitCells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim());
}

/**
 * The items of a section, in order. Structure decides:
 * - list items at the shallowest indentation, each with its continuation
 *   lines and nested items as `body`;
 * - table rows after a header and separator, with `cells` and `header`;
 * - a sub-heading whose body has no list is one item (heading = the what,
 *   body = the why); a sub-heading over a list only groups the list's items;
 * - in YAML handoffs, keys at the shallowest indentation start items;
 * - remaining text: one item per paragraph.
 */
export function extractItems(section: ParsedSection, yaml = false): Item[] {
  const lines = numberLines(section.text, textStartLine(section));
  // A YAML block scalar (`key: |` / `key: >`) is one text, blank lines included.
  const firstText = lines.find((l) => l.text.trim() !== '');
  if (yaml && firstText && /^\s*[|>][-+]?\d?\s*$/.test(firstText.text)) {
    const rest = lines.filter((l) => l !== firstText && !l.code).map((l) => l.text.trim());
    const [head = '', ...body] = rest.filter((t, i) => t !== '' || i > 0);
    return [{ kind: 'paragraph', line: firstText.line + 1, head, body: body.join('\n').trim() }];
  }
  const items: Item[] = [];
  type Draft = Item & { bodyLines: string[] };
  // `as`: assigned inside closures, so control-flow narrowing must not pin it to null.
  let current = null as Draft | null;
  const flush = () => {
    if (current) {
      current.body = current.bodyLines.join('\n').trim();
      const { bodyLines: _, ...item } = current;
      items.push(item);
    }
    current = null;
  };

  // Shallowest list indentation (outside code) decides which items are top-level.
  let listIndent = Number.POSITIVE_INFINITY;
  let yamlIndent = Number.POSITIVE_INFINITY;
  for (const l of lines) {
    if (l.code) continue;
    const m = LIST_ITEM.exec(l.text);
    if (m) listIndent = Math.min(listIndent, m[1]!.replace(/\t/g, '    ').length);
    if (yaml) {
      const k = YAML_KEY().exec(l.text);
      if (k) yamlIndent = Math.min(yamlIndent, k[1]!.length);
    }
  }

  let header: string[] | null = null;
  let headingOverList = false;
  let group: string | undefined;
  const start = (item: Omit<Item, 'body'>) => {
    flush();
    current = { ...item, body: '', bodyLines: [], ...(group === undefined ? {} : { group }) };
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.code) {
      // Code is never prose: a block inside an item stays out of its body, but the item has code.
      if (current) current.hasCode = true;
      continue;
    }
    const text = l.text;
    if (THEMATIC_BREAK.test(text)) {
      flush();
      header = null;
      continue;
    }
    if (text.trim() === '') {
      if (current?.kind === 'paragraph') flush();
      else current?.bodyLines.push('');
      header = null;
      continue;
    }
    const heading = HEADING.exec(text);
    if (heading) {
      flush();
      header = null;
      group = undefined;
      // Look ahead: does a list follow before the next heading?
      headingOverList = false;
      for (let j = i + 1; j < lines.length; j++) {
        const n = lines[j]!;
        if (n.code) continue;
        if (HEADING.test(n.text)) break;
        if (LIST_ITEM.test(n.text) || TABLE_ROW.test(n.text)) {
          headingOverList = true;
          break;
        }
      }
      if (headingOverList) group = heading[2] ?? '';
      else start({ kind: 'heading', line: l.line, head: heading[2] ?? '' });
      continue;
    }
    if (TABLE_ROW.test(text)) {
      const next = lines[i + 1];
      if (header === null && next && TABLE_SEPARATOR.test(next.text)) {
        flush();
        header = splitCells(text);
        i++;
        continue;
      }
      if (TABLE_SEPARATOR.test(text)) continue;
      flush();
      const cells = splitCells(text);
      items.push({
        kind: 'table',
        line: l.line,
        head: cells[0] ?? '',
        body: cells.slice(1).join(' | '),
        cells,
        header: header ?? [],
        ...(group === undefined ? {} : { group }),
      });
      continue;
    }
    header = null;
    const list = LIST_ITEM.exec(text);
    if (list) {
      const indent = list[1]!.replace(/\t/g, '    ').length;
      if (indent <= listIndent + 1 || current === null) {
        // A one-line paragraph ending in a colon right before a list introduces it ("Done so far:").
        flush();
        const prev = items[items.length - 1];
        if (prev?.kind === 'paragraph' && prev.body === '' && isLabel(prev.head)) {
          group = prev.head;
        }
        start({
          kind: 'list',
          line: l.line,
          head: list[3] ?? '',
          ...(/[xX]/.test(list[2] ?? '') ? { checked: true } : {}),
        });
      } else {
        current.bodyLines.push(text.trim());
      }
      continue;
    }
    if (yaml) {
      const k = YAML_KEY().exec(text);
      if (k && k[1]!.length <= yamlIndent) {
        start({ kind: 'list', line: l.line, head: text.trim() });
        continue;
      }
    }
    const prevBlank = (lines[i - 1]?.text.trim() ?? '') === '';
    if (current === null || (prevBlank && current.kind === 'list' && !/^\s/.test(text))) {
      group = undefined;
      start({ kind: 'paragraph', line: l.line, head: text.trim() });
    } else {
      current.bodyLines.push(text.trim());
    }
  }
  flush();
  return items;
}

/**
 * A line that only labels what follows: it ends in a colon ("Done so far:")
 * or is wholly bold ("**Documents**"), a heading in all but name.
 */
export function isLabel(line: string): boolean {
  const t = line.trim();
  return /[:：]\s*(?:\*\*|__)?$/.test(t) || /^(?:\*\*|__)[^*_]+(?:\*\*|__)$/.test(t);
}

/** Head and body of an item as one string. */
export function itemText(item: Item): string {
  return item.body ? `${item.head}\n${item.body}` : item.head;
}
