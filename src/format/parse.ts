/**
 * `parseHandoff`: a handoff file in, sections out. Pure (no I/O) and total on
 * the body: any markdown parses; only invalid YAML front matter throws.
 *
 * Section boundaries follow design.md ("Decisions that settle open
 * questions" > Documents):
 * - the shallowest heading level (ATX `##` or setext underline) that occurs
 *   more than once splits sections, and so does any shallower heading; deeper
 *   headings stay inside their section's text. When no level repeats, every
 *   heading splits (one H1 then several H2 each used once splits on the H2s);
 * - a lone H1 before any other content is the title, not a splitter;
 * - text before the first section is the preamble (`heading: ""`, level 0);
 * - `#` lines inside fenced code or HTML comments are not headings;
 * - a document with no splitting heading is split on lines that are only a
 *   label ending in a colon (`**Current Status:**`, `Key decisions:`) or only a
 *   known section name (`Next Steps`), each starting a paragraph (level 0);
 * - in a YAML handoff each top-level key is a section whose text is the exact
 *   source of its value.
 *
 * Headings are found by a line scanner that follows CommonMark for what
 * matters here (ATX and setext headings, fences, HTML comments, list and
 * quote containers) instead of markdown-it: it needs no lazy import in this
 * synchronous function and is 5-10x faster (on the corpus ~40 µs per 7 KB
 * document against ~200-400 µs for markdown-it's block parser alone), which
 * the index needs (it re-parses thousands of documents per second). It finds
 * the same top-level headings as markdown-it on every corpus document, except
 * headings nested inside list items, which it takes as top-level. Two
 * deliberate departures,
 * both so that a typo cannot swallow the rest of a handoff: a fence that is
 * never closed is not a fence, and fences are recognised at any indentation
 * (they appear nested in list items).
 */
import { jsYaml } from './_yaml.js';
import { readFrontMatter } from './frontmatter.js';
import { canonicalSection, isSectionName } from './sections.js';
import type { ParsedHandoff, ParsedSection } from './types.js';

/** Options of {@link parseHandoff}. */
export interface ParseOptions {
  /** File path: named in errors; a `.yaml`/`.yml` extension makes it a YAML handoff. */
  path?: string;
}

interface Line {
  /** Offset of the first character in the body. */
  start: number;
  /** Offset after the line's content, before `\r\n` / `\n`. */
  end: number;
  /** Offset of the next line (after the line ending). */
  next: number;
  /** Line content without its line ending. */
  text: string;
}

interface Label {
  line: number;
  /** The label without emphasis marks and colon. */
  text: string;
  /** Characters of the line that form the heading part; the whole line (and its ending) when -1. */
  headLength: number;
}

interface Heading {
  /** First line of the heading (for setext: the first paragraph line). */
  first: number;
  /** Last line of the heading (for setext: the underline). */
  last: number;
  level: number;
  text: string;
}

/**
 * Parses a handoff document (markdown with optional YAML front matter, or a
 * YAML handoff).
 *
 * Guarantees: `frontMatterRaw + sections.map(s => s.raw).join('') === text`
 * (byte for byte, CRLF and BOM included), each section's `raw` ends with its
 * `text`, and `line` is 1-based in the whole file.
 *
 * @param text whole file content
 * @param options `path` for error messages and YAML detection
 * @throws FrontMatterError (from errors.ts) when the front matter is not valid YAML;
 *   its message names `path` and the 1-based file line.
 * @example
 * const doc = parseHandoff('# Handoff\n## Done\n- x\n## Next Steps\n1. y\n');
 * doc.title; // 'Handoff'
 * doc.sections.map((s) => s.canonical); // [null, 'accomplished', 'next_steps']
 */
export function parseHandoff(text: string, options: ParseOptions = {}): ParsedHandoff {
  const path = options.path ?? '<input>';
  const fm = readFrontMatter(text, path);
  const body = fm.body;
  const lines = splitLines(body);
  const lineOffset = fm.lineCount;
  const base = { data: fm.data, frontMatterRaw: fm.raw, body, warnings: fm.warnings };

  if (/\.ya?ml$/i.test(options.path ?? '')) {
    return { ...base, title: null, kind: 'yaml', sections: yamlSections(body, lines, lineOffset) };
  }

  const scan = scanHeadings(lines);
  const splitters = chooseSplitters(scan);
  if (splitters.length > 0) {
    return {
      ...base,
      title: scan.title?.text ?? null,
      kind: 'markdown',
      sections: headingSections(body, lines, splitters, lineOffset),
    };
  }
  if (scan.headings.length === 0 && looksLikeYamlMapping(body, lines)) {
    return { ...base, title: null, kind: 'yaml', sections: yamlSections(body, lines, lineOffset) };
  }
  return {
    ...base,
    title: scan.title?.text ?? null,
    kind: 'markdown',
    sections: labelSections(body, lines, findLabels(lines, scan.labelCandidates), lineOffset),
  };
}

function splitLines(body: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  const n = body.length;
  while (start < n) {
    let nl = body.indexOf('\n', start);
    if (nl === -1) nl = n;
    const end = nl > start && body.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    const next = nl < n ? nl + 1 : n;
    lines.push({ start, end, next, text: body.slice(start, end) });
    start = next;
  }
  return lines;
}

// ---------------------------------------------------------------------------
// Markdown scanning

interface Scan {
  headings: Heading[];
  title: Heading | null;
  /**
   * Lines that could start a label section in a heading-less document, with
   * whether they start a paragraph; only examined when no heading splits.
   */
  labelCandidates: Array<{ line: number; paragraphStart: boolean }>;
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})(.*)$/;
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const LIST_INTERRUPT = /^[ \t]*(?:[-*+]|0*(\d{1,9})[.)])[ \t]+\S/;
const THEMATIC_BREAK = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$/;
// `**Current Status:**`, `**Key decisions**:`, `__Done:__`, `Key decisions:`, `下一步：`
const BOLD_LABEL = /^ {0,3}(?:\*\*|__)([^*_\n]{1,80}?)[ \t]*(?:[:：][ \t]*(?:\*\*|__)|(?:\*\*|__)[ \t]*[:：])[ \t]*$/;
const PLAIN_LABEL = /^ {0,3}([^\s*_#>|`\-+=~[<!][^\n]{0,79}?)[ \t]*[:：][ \t]*$/;
const BARE_LABEL = /^ {0,3}(?:\*\*|__)?([^\s*_#>|`\-+=~[<!][^\n:：]{0,39}?)(?:\*\*|__)?[ \t]*$/;
// `**Next:** ship it`, `**Decisions**: none` / `Status: done`
const INLINE_BOLD_LABEL = /^( {0,3}(\*\*|__)([^*_:：\n]{1,40}?)[ \t]*(?:[:：][ \t]*\2|\2[ \t]*[:：])[ \t]*)(?=\S)/;
const INLINE_PLAIN_LABEL = /^( {0,3}([^\s*_#>|`:：[<!\-+][^:：*_\n]{0,40}?)[ \t]*[:：][ \t]+)(?=\S)/;
const MAX_LABEL_WORDS = 8;

function closingFenceIndex(lines: Line[], from: number, fence: string): number {
  const char = fence[0] ?? '`';
  for (let j = from; j < lines.length; j++) {
    const t = (lines[j] as Line).text;
    const trimmed = t.trimStart();
    if (trimmed.charCodeAt(0) !== char.charCodeAt(0)) continue;
    let k = 0;
    while (k < trimmed.length && trimmed[k] === char) k++;
    if (k >= fence.length && trimmed.slice(k).trim() === '') return j;
  }
  return -1;
}

function scanHeadings(lines: Line[]): Scan {
  const headings: Heading[] = [];
  const labelCandidates: Array<{ line: number; paragraphStart: boolean }> = [];
  let title: Heading | null = null;
  let sawContent = false;
  /** First line of the open paragraph, or -1. */
  let para = -1;
  /** The open paragraph started in a list item or block quote (cannot take a setext underline). */
  let paraInContainer = false;

  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as Line).text;
    const t = i === 0 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    // Blank line: closes any paragraph.
    if (t.trim() === '') {
      para = -1;
      continue;
    }
    const c0 = t.trimStart().charCodeAt(0);

    // Fenced code (``` or ~~~): skip to the closing fence; an unclosed fence is ordinary text.
    if (c0 === 96 /* ` */ || c0 === 126 /* ~ */) {
      const m = FENCE_OPEN.exec(t);
      if (m && !(m[1]?.startsWith('`') && m[2]?.includes('`'))) {
        const close = closingFenceIndex(lines, i + 1, m[1] as string);
        if (close !== -1) {
          i = close;
          para = -1;
          sawContent = true;
          continue;
        }
      }
    }

    // HTML comment block: headings inside are not headings.
    if (c0 === 60 /* < */ && t.trimStart().startsWith('<!--')) {
      let j = i;
      while (j < lines.length && !(lines[j] as Line).text.includes('-->', j === i ? t.indexOf('<!--') + 4 : 0)) j++;
      if (j < lines.length) {
        i = j;
        para = -1;
        continue;
      }
    }

    const indent = t.length - t.trimStart().length;

    if (c0 === 35 /* # */ && indent <= 3) {
      const m = ATX.exec(t);
      if (m) {
        const h: Heading = { first: i, last: i, level: (m[1] as string).length, text: (m[2] ?? '').trim() };
        if (h.level === 1 && headings.length === 0 && !sawContent) title = h;
        headings.push(h);
        sawContent = true;
        para = -1;
        continue;
      }
    }

    if ((c0 === 61 /* = */ || c0 === 45) /* - */ && para !== -1 && !paraInContainer && SETEXT.test(t)) {
      const first = para;
      const textLines: string[] = [];
      for (let j = first; j < i; j++) textLines.push((lines[j] as Line).text.trim());
      const level = c0 === 61 ? 1 : 2;
      const h: Heading = { first, last: i, level, text: textLines.join(' ').replace(/^\uFEFF/, '') };
      if (level === 1 && headings.length === 0 && first === firstContentLine(lines)) title = h;
      headings.push(h);
      sawContent = true;
      para = -1;
      continue;
    }

    if (indent <= 3 && THEMATIC_BREAK.test(t)) {
      para = -1;
      continue;
    }

    if (para === -1) {
      if (LIST_ITEM.test(t) || c0 === 62 /* > */) {
        para = i;
        paraInContainer = true;
      } else if (indent >= 4) {
        // Indented code or list continuation: never a setext heading's text.
        para = -1;
      } else {
        para = i;
        paraInContainer = false;
        labelCandidates.push({ line: i, paragraphStart: true });
      }
    } else if (!paraInContainer && indent <= 3 && interruptsParagraph(t)) {
      // A list item interrupts a paragraph; what follows is in a container.
      para = i;
      paraInContainer = true;
    } else if (!paraInContainer && indent <= 3) {
      // Plain-text handoffs put `Status: ...` lines one under the other.
      labelCandidates.push({ line: i, paragraphStart: false });
    }
    sawContent = true;
  }
  // The title is a lone H1: another H1 makes it an ordinary heading.
  if (title && headings.some((h) => h !== title && h.level === 1)) title = null;
  return { headings, title, labelCandidates };
}

/**
 * CommonMark: a list item interrupts a paragraph only when it has content and,
 * if ordered, starts at 1 (`2. Foo` under a paragraph line is continuation text).
 */
function interruptsParagraph(t: string): boolean {
  const m = LIST_INTERRUPT.exec(t);
  if (!m) return false;
  return m[1] === undefined || m[1] === '1';
}

function firstContentLine(lines: Line[]): number {
  for (let i = 0; i < lines.length; i++) {
    const t = (lines[i] as Line).text.replace(/^\uFEFF/, '');
    if (t.trim() !== '') return i;
  }
  return -1;
}

/**
 * The label that starts a section in a heading-less document, if `line` has one:
 * - a line that is only a label ending in a colon (`**Current Status:**`,
 *   `Key decisions:`, `下一步：`), any label when it starts a paragraph, a known
 *   section name inside one;
 * - a line that is only a known section name (`Next Steps`, `**Context**`);
 * - a known section name followed by a colon and text (`Status: done`,
 *   `**Next:** ship it`): the text after the colon starts the section's text.
 */
function labelOf(line: string, index: number, paragraphStart: boolean): Label | null {
  const t = line.trim();
  const last = t.charCodeAt(t.length - 1);
  let m: RegExpExecArray | null = null;
  if (t.startsWith('**') || t.startsWith('__')) m = BOLD_LABEL.exec(line);
  if (!m && (last === 58 /* : */ || last === 0xff1a) /* ： */) m = PLAIN_LABEL.exec(line);
  if (m) {
    const label = (m[1] as string).trim();
    if (label === '' || label.includes('://')) return null;
    if (label.split(/\s+/).length > MAX_LABEL_WORDS) return null;
    if (!paragraphStart && canonicalSection(label) === null) return null;
    return { line: index, text: label, headLength: -1 };
  }
  if (paragraphStart && t.length <= 44) {
    m = BARE_LABEL.exec(line);
    if (m) {
      const label = (m[1] as string).trim();
      if (label.split(/\s+/).length <= 5 && isSectionName(label)) return { line: index, text: label, headLength: -1 };
      return null;
    }
  }
  const bold = INLINE_BOLD_LABEL.exec(line);
  const inline = bold ?? INLINE_PLAIN_LABEL.exec(line);
  if (inline) {
    const label = (inline[bold ? 3 : 2] as string).trim();
    if (label.split(/\s+/).length <= 4 && canonicalSection(label) !== null) {
      return { line: index, text: label, headLength: (inline[1] as string).length };
    }
  }
  return null;
}

function chooseSplitters(scan: Scan): Heading[] {
  const candidates = scan.title ? scan.headings.filter((h) => h !== scan.title) : scan.headings;
  if (candidates.length === 0) return [];
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (const h of candidates) counts[h.level] = (counts[h.level] ?? 0) + 1;
  let level = 7;
  for (let l = 1; l <= 6; l++) {
    if ((counts[l] ?? 0) > 1) {
      level = l;
      break;
    }
  }
  // No level repeats: every heading is a boundary.
  if (level === 7) return candidates;
  const atLevel = candidates.filter((h) => h.level <= level);
  // Several H1s are usually several titles (two handoffs in one file, a title
  // and a footer), not the sections: when the H2s under them name more
  // canonical sections, split on both levels.
  if (level === 1 && (counts[2] ?? 0) > 1) {
    const withH2 = candidates.filter((h) => h.level <= 2);
    if (distinctCanonical(withH2) > distinctCanonical(atLevel)) return withH2;
  }
  return atLevel;
}

function distinctCanonical(headings: Heading[]): number {
  const seen = new Set<string>();
  for (const h of headings) {
    const c = canonicalSection(h.text);
    if (c) seen.add(c);
  }
  return seen.size;
}

function headingSections(body: string, lines: Line[], splitters: Heading[], lineOffset: number): ParsedSection[] {
  const sections: ParsedSection[] = [];
  const first = splitters[0] as Heading;
  const firstStart = (lines[first.first] as Line).start;
  if (firstStart > 0) sections.push(preamble(body.slice(0, firstStart), lineOffset));
  for (let k = 0; k < splitters.length; k++) {
    const h = splitters[k] as Heading;
    const start = (lines[h.first] as Line).start;
    const textStart = (lines[h.last] as Line).next;
    const nextHeading = splitters[k + 1];
    const end = nextHeading ? (lines[nextHeading.first] as Line).start : body.length;
    sections.push({
      heading: h.text,
      canonical: canonicalSection(h.text),
      text: body.slice(textStart, end),
      level: h.level,
      line: lineOffset + h.first + 1,
      raw: body.slice(start, end),
    });
  }
  return sections;
}

function preamble(raw: string, lineOffset: number): ParsedSection {
  return { heading: '', canonical: null, text: raw, level: 0, line: lineOffset + 1, raw };
}

function findLabels(lines: Line[], candidates: Scan['labelCandidates']): Label[] {
  const labels: Label[] = [];
  for (const { line, paragraphStart } of candidates) {
    const raw = (lines[line] as Line).text;
    const bom = line === 0 && raw.charCodeAt(0) === 0xfeff ? 1 : 0;
    const label = labelOf(bom ? raw.slice(1) : raw, line, paragraphStart);
    if (label && label.headLength !== -1) label.headLength += bom;
    if (label) labels.push(label);
  }
  return labels;
}

function labelSections(body: string, lines: Line[], labels: Label[], lineOffset: number): ParsedSection[] {
  if (body === '') return [];
  if (labels.length === 0) return [preamble(body, lineOffset)];
  const sections: ParsedSection[] = [];
  const firstStart = (lines[(labels[0] as Label).line] as Line).start;
  if (firstStart > 0) sections.push(preamble(body.slice(0, firstStart), lineOffset));
  for (let k = 0; k < labels.length; k++) {
    const label = labels[k] as Label;
    const line = lines[label.line] as Line;
    const next = labels[k + 1];
    const end = next ? (lines[next.line] as Line).start : body.length;
    const textStart = label.headLength === -1 ? line.next : line.start + label.headLength;
    sections.push({
      heading: label.text,
      canonical: canonicalSection(label.text),
      text: body.slice(textStart, end),
      level: 0,
      line: lineOffset + label.line + 1,
      raw: body.slice(line.start, end),
    });
  }
  return sections;
}

// ---------------------------------------------------------------------------
// YAML handoffs

const YAML_KEY =
  /^(?:"([^"\n]+)"|'([^'\n]+)'|([^\s#\-?:,[\]{}&*!|>'"%@`][^\n:#]*?|-[^\s\n:#][^\n:#]*?))[ \t]*:(?=[ \t]|$)/;
const YAML_IDENTIFIER_KEY = /^[A-Za-z_][\w.-]*:(?:[ \t]|$)/;

/**
 * A heading-less body (path unknown) whose every top-level line is
 * `identifier:` and that loads as a YAML mapping is a YAML handoff.
 */
function looksLikeYamlMapping(body: string, lines: Line[]): boolean {
  let keys = 0;
  for (const line of lines) {
    const t = line.text.replace(/^\uFEFF/, '');
    if (t.trim() === '' || /^[ \t]/.test(t) || t.startsWith('#') || t === '---' || t === '...') continue;
    if (!YAML_IDENTIFIER_KEY.test(t)) return false;
    keys++;
  }
  if (keys < 2) return false;
  try {
    const value = jsYaml().load(body.replace(/^\uFEFF/, ''));
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

function yamlSections(body: string, lines: Line[], lineOffset: number): ParsedSection[] {
  const keys: Array<{ line: number; key: string; headLength: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    const t = i === 0 ? line.text.replace(/^\uFEFF/, '') : line.text;
    const bom = line.text.length - t.length;
    const m = YAML_KEY.exec(t);
    if (!m) continue;
    const key = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    if (key === '') continue;
    // The heading part is `key:` plus the spaces before an inline value, or the
    // whole line (and its line ending) when the value starts on the next line.
    const rest = t.slice(m[0].length);
    const inline = rest.replace(/^[ \t]+/, '');
    const headLength =
      inline === '' || inline.startsWith('#')
        ? line.next - line.start
        : bom + m[0].length + (rest.length - inline.length);
    keys.push({ line: i, key, headLength });
  }
  if (keys.length === 0) return body === '' ? [] : [preamble(body, lineOffset)];
  const sections: ParsedSection[] = [];
  const firstStart = (lines[(keys[0] as { line: number }).line] as Line).start;
  if (firstStart > 0) sections.push(preamble(body.slice(0, firstStart), lineOffset));
  for (let k = 0; k < keys.length; k++) {
    const entry = keys[k] as { line: number; key: string; headLength: number };
    const start = (lines[entry.line] as Line).start;
    const next = keys[k + 1];
    const end = next ? (lines[next.line] as Line).start : body.length;
    sections.push({
      heading: entry.key,
      canonical: canonicalSection(entry.key),
      text: body.slice(start + entry.headLength, end),
      level: 0,
      line: lineOffset + entry.line + 1,
      raw: body.slice(start, end),
    });
  }
  return sections;
}
