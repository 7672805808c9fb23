/**
 * Reading decisions out of one section body (what, why, and a one-line form):
 * the part of `decisions` that `resume` needs at every session start, kept
 * apart from the store-wide listing (src/resume/decisions.ts) so that the
 * hook loads neither that nor the rationale word lists of
 * src/quality/lexicon.ts unless a section's layout calls for them.
 */
import { isSpaceCode } from './_chars.js';
import { PhraseSet } from './_phrases.js';
import { lazy } from '../_lazy.js';
import { clip, headingText, plainInline, splitBlocks, stripMarker } from './_text.js';
import { ALTERNATIVE_MARKERS, REASON_WORDS } from './decision-words.js';

/** One decision as read from a section: the what, the why, and a one-line form. */
export interface ExtractedDecision {
  /** What was decided, inline markdown (code spans kept, emphasis removed), one line. */
  decision: string;
  /** Why, or null when the handoff does not say. One line, at most 300 characters. */
  rationale: string | null;
  /** `decision — rationale` on one line, at most 240 characters: what `resume` shows under a tight budget. */
  oneLine: string;
}

/**
 * The rationale words of src/quality/lexicon.ts as phrase sets:
 * `rationaleWords(RATIONALE_LABELS, RATIONALE_HEADERS)`. Only sections with
 * more than one-line list items use them (`needsRationaleWords`).
 */
export interface RationaleWords {
  /** `Why:`, `Rationale:` … line labels. */
  labels: PhraseSet;
  /** Table column headers that name the why. */
  headers: PhraseSet;
}

/** Builds `RationaleWords` from the lexicon's lists. */
export function rationaleWords(
  labels: Readonly<Record<string, readonly string[]>> | readonly string[],
  headers: Readonly<Record<string, readonly string[]>> | readonly string[],
): RationaleWords {
  return { labels: new PhraseSet(labels), headers: new PhraseSet(headers) };
}

// Scanned, not regexes (see src/resume/_phrases.ts); built on first use.
export const reasonWords = lazy(() => new PhraseSet(REASON_WORDS));
export const alternativeWords = lazy(() => new PhraseSet(ALTERNATIVE_MARKERS));

/** The words of the `extractDecisions` call under way. */
let current: RationaleWords | null = null;
function words(): RationaleWords {
  if (!current) throw new Error('extractDecisions: rationale words needed but not given');
  return current;
}

function isSpaceAt(text: string, i: number): boolean {
  return i < text.length && isSpaceCode(text.charCodeAt(i));
}

function isEmphasisAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 0x2a || c === 0x5f; // * _
}

/**
 * Length of the rationale label that starts `line` (`- **Why:** `,
 * `Rationale: `), or -1. The same as the regex
 * `^\s*(?:[-*+]\s+)?[*_]*(?:LABELS)[*_]*\s*[:：][*_]*\s*` with `/iu` and
 * LABELS = `phrasePattern(RATIONALE_LABELS)`. Every label starts with a
 * letter, so the greedy reading of the marker and emphasis is the only one
 * that can match.
 */
export function rationaleLabelLength(line: string, labels: PhraseSet): number {
  let i = 0;
  while (isSpaceAt(line, i)) i++;
  const m = line.charCodeAt(i);
  if ((m === 0x2d || m === 0x2a || m === 0x2b) && isSpaceAt(line, i + 1)) {
    i += 2;
    while (isSpaceAt(line, i)) i++;
  }
  while (i < line.length && isEmphasisAt(line, i)) i++;
  let end = -1;
  labels.matchAt(line, i, (e) => {
    let k = e;
    while (k < line.length && isEmphasisAt(line, k)) k++;
    while (isSpaceAt(line, k)) k++;
    const colon = line.charCodeAt(k);
    if (colon !== 0x3a && colon !== 0xff1a) return false;
    k++;
    while (k < line.length && isEmphasisAt(line, k)) k++;
    while (isSpaceAt(line, k)) k++;
    end = k;
    return true;
  });
  return end;
}

const DECISION_LABEL_RE =
  /^\s*(?:[-*+]\s+)?[*_]*(?:decision|decided|choice|chosen(?:\s+(?:approach|option|solution))?|selected(?:\s+(?:approach|option))?|resolution|outcome|决策|决定|決定|결정|решение|entscheidung|décision|decisión|decisão|decisione)(?:\s*(?:#?\d+|[A-Z]?\d+))?[*_]*\s*[:：][*_]*\s*/iu;
const DECISION_HEADER_RE =
  /^(?:decision|decisions|choice|what|decided|决策|决定|決定|결정|решение|entscheidung|décision|decisión|decisão|decisione)$/iu;
const EMPTY_RE =
  /^(?:none|n\/a|nothing|nothing yet|no decisions?.*|tbd|—|-|无|なし|없음|нет|keine|aucune?|ninguna?|nenhuma?)\.?$/iu;

/**
 * False when `extractDecisions` can read `text` without `RationaleWords`:
 * every block is a one-line list item (or code). Sub-headings, tables,
 * paragraphs and items with more lines look for `Why:` labels.
 */
export function needsRationaleWords(text: string): boolean {
  return splitBlocks(text).some((b) => b.kind !== 'code' && !(b.kind === 'item' && b.lines.length === 1));
}

/**
 * The decisions in one section body: list items (numbered or not), table
 * rows (decision and rationale columns found by their headers), sub-headings
 * with a body (heading = what, a Why/Rationale line or the first paragraph =
 * why), `Decision: … / Why: …` label lines, and, when the section has none of
 * those, its paragraphs.
 *
 * `rationale` may be null only when `needsRationaleWords(text)` is false
 * (else: Error).
 *
 * @example extractDecisions('- PostgreSQL over SQLite — row locks', null)
 * // [{ decision: 'PostgreSQL over SQLite', rationale: 'row locks', oneLine: 'PostgreSQL over SQLite — row locks' }]
 */
export function extractDecisions(text: string, rationale: RationaleWords | null): ExtractedDecision[] {
  const outer = current;
  current = rationale ?? outer;
  try {
    return extractBlocks(text);
  } finally {
    current = outer;
  }
}

function extractBlocks(text: string): ExtractedDecision[] {
  const out: ExtractedDecision[] = [];
  const blocks = splitBlocks(text);
  const structured = blocks.some((b) => b.kind !== 'paragraph' && b.kind !== 'code');
  for (const b of blocks) {
    if (b.kind === 'item') addItem(out, b.lines);
    else if (b.kind === 'table') addTable(out, b.lines);
    else if (b.kind === 'heading') addHeading(out, b.lines);
    else if (b.kind === 'paragraph') addParagraph(out, b.lines, structured);
  }
  return out;
}

function addItem(out: ExtractedDecision[], lines: string[]): void {
  const head = stripMarker(lines[0]!).trim();
  if (head === '' || EMPTY_RE.test(plainInline(head))) return;
  // The item's own paragraph: the head and its lazy/indented continuation lines up to a nested item or blank line.
  const own = [head];
  let i = 1;
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '' || /^\s*(?:[-*+•]|\d{1,3}[.)])\s+/.test(l) || rationaleLabelLength(l, words().labels) >= 0)
      break;
    own.push(l.trim());
  }
  let why: string | null = null;
  for (const l of lines.slice(1)) {
    const n = rationaleLabelLength(l, words().labels);
    if (n >= 0) {
      why = l.slice(n).trim();
      break;
    }
  }
  const text = own.join(' ');
  const labelled = DECISION_LABEL_RE.exec(text);
  const body = labelled ? text.slice(labelled[0].length) : text;
  const split = splitRationale(body);
  let rationale = split.rationale ?? (why ? plainInline(why) : null);
  if (rationale === null) {
    // A nested line that starts with a reason word ("- because ...") is the why.
    for (const l of lines.slice(i)) {
      const t = plainInline(stripMarker(l.trim()));
      const end = reasonWords().matchAt(t, 0);
      if (end >= 0) {
        rationale = t.slice(end).trim() || null;
        break;
      }
    }
  }
  push(out, split.decision, rationale);
}

function addTable(out: ExtractedDecision[], lines: string[]): void {
  const rows = lines.filter((l) => l.trim().startsWith('|')).map(splitCells);
  if (rows.length === 0) return;
  const isSeparator = (cells: string[]) => cells.every((c) => /^:?-{2,}:?$/.test(c) || c === '');
  let header: string[] | null = null;
  let data = rows;
  if (rows.length >= 2 && isSeparator(rows[1]!)) {
    header = rows[0]!;
    data = rows.slice(2);
  }
  const h = (header ?? []).map((c) => plainInline(c).toLowerCase());
  let dCol = h.findIndex((c) => DECISION_HEADER_RE.test(c));
  if (dCol < 0) dCol = h.length > 1 && /^(?:#|no\.?|n°|id|date|when|日期|날짜|datum)$/i.test(h[0] ?? '') ? 1 : 0;
  let rCol = h.findIndex((c, k) => k !== dCol && words().headers.whole(c));
  if (rCol < 0 && (header === null ? (data[0]?.length ?? 0) : h.length) === 2) rCol = dCol === 0 ? 1 : 0;
  for (const cells of data) {
    if (isSeparator(cells)) continue;
    const what = plainInline(cells[dCol] ?? '');
    if (what === '' || EMPTY_RE.test(what)) continue;
    const why = rCol >= 0 ? plainInline(cells[rCol] ?? '') : '';
    if (why !== '') push(out, what, why);
    else {
      const s = splitRationale(what);
      push(out, s.decision, s.rationale);
    }
  }
}

function splitCells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

function addHeading(out: ExtractedDecision[], lines: string[]): void {
  const title = headingText(lines[0]!) ?? '';
  const bodyLines = lines.slice(1);
  const body = bodyLines.join('\n');
  const inner = splitBlocks(body);
  const labelAt = bodyLines.findIndex((l) => DECISION_LABEL_RE.test(l));
  // A sub-heading over a list or a table (and no `Decision:` line) only groups the decisions below it.
  if (labelAt < 0 && inner.some((b) => b.kind === 'item' || b.kind === 'table' || b.kind === 'heading')) {
    out.push(...extractBlocks(body));
    return;
  }
  const topic = plainInline(title.replace(DECISION_LABEL_RE, '').replace(/^(?:ADR[- ]?\d+|D\d+|#?\d+)[.:)]?\s*/i, ''));
  let why = labelledRationale(bodyLines);
  if (labelAt >= 0) {
    // `### Database` + `**Chosen approach:** SQLite` + `**Rationale:** ...`
    const line = bodyLines[labelAt]!;
    const value = plainInline(line.slice(DECISION_LABEL_RE.exec(line)![0].length));
    if (value === '' && topic === '') return;
    const what = topic === '' ? value : value === '' ? topic : `${topic}: ${value}`;
    push(out, what, why);
    return;
  }
  const what = topic;
  if (what === '' || EMPTY_RE.test(what)) return;
  if (why === null) {
    const para = inner.find((b) => b.kind === 'paragraph' && !DECISION_LABEL_RE.test(b.lines[0]!));
    why = para ? para.lines.join(' ') : null;
  }
  const split = splitRationale(what);
  push(out, split.decision, why !== null ? plainInline(why) || split.rationale : split.rationale);
}

/**
 * The text of a `Why:` / `Rationale:` line among `lines`; when the label
 * stands alone (`**Rationale:**` over a list), its first three items joined.
 */
function labelledRationale(lines: string[]): string | null {
  for (let i = 0; i < lines.length; i++) {
    const n = rationaleLabelLength(lines[i]!, words().labels);
    if (n < 0) continue;
    const rest = lines[i]!.slice(n).trim();
    if (rest !== '') return rest;
    const items: string[] = [];
    for (const l of lines.slice(i + 1)) {
      if (l.trim() === '') {
        if (items.length > 0) break;
        continue;
      }
      if (!/^\s*(?:[-*+•]|\d{1,3}[.)])\s+/.test(l)) {
        if (items.length === 0) items.push(l.trim());
        break;
      }
      items.push(stripMarker(l.trim()));
      if (items.length === 3) break;
    }
    return items.length > 0 ? items.join('; ') : null;
  }
  return null;
}

function addParagraph(out: ExtractedDecision[], lines: string[], structured: boolean): void {
  // `Decision: X` / `Why: Y` label lines, in any section layout.
  let labelled = false;
  for (const l of lines) {
    const d = DECISION_LABEL_RE.exec(l);
    if (d) {
      const s = splitRationale(l.slice(d[0].length));
      push(out, s.decision, s.rationale);
      labelled = true;
      continue;
    }
    const r = rationaleLabelLength(l, words().labels);
    const last = out[out.length - 1];
    if (r >= 0 && labelled && last && last.rationale === null) {
      const why = plainInline(l.slice(r));
      if (why !== '') out[out.length - 1] = makeDecision(last.decision, why);
    }
  }
  if (labelled || structured) return;
  const text = plainInline(lines.join(' '));
  // An introduction ("We decided:") is not a decision.
  if (text === '' || /[:：]$/.test(text) || EMPTY_RE.test(text)) return;
  const s = splitRationale(text);
  push(out, s.decision, s.rationale);
}

function push(out: ExtractedDecision[], decision: string, rationale: string | null): void {
  const d = plainInline(decision).replace(/[.。;,]+$/, '');
  if (d === '') return;
  out.push(makeDecision(d, rationale));
}

function makeDecision(decision: string, rationale: string | null): ExtractedDecision {
  const why = rationale === null ? null : clip(plainInline(rationale), 300) || null;
  const what = clip(decision, 300);
  // `smithay instead of wlroots` reads as one clause; a reason gets a dash.
  const joined = why === null ? what : alternativeWords().matchAt(why, 0) >= 0 ? `${what} ${why}` : `${what} — ${why}`;
  return { decision: what, rationale: why, oneLine: clip(joined, 240) };
}

/** `text` with code spans blanked (same length), so separators inside code are not seen. */
function maskCode(text: string): string {
  return text.replace(/`[^`]*`/g, (m) => 'x'.repeat(m.length));
}

/**
 * Splits one line into what and why. Structure first: a bold lead
 * (`**X.** Y`), then the earliest of a spaced dash (` — `, ` – `, ` -- `,
 * ` - `), a colon after a clause of three or more words (`Feature store: X`
 * is a label, not a reason), a full-width colon, or a reason word
 * (`because`, `weil`, `因为`, …). Without any, an alternative clause is the
 * why: `smithay instead of wlroots` -> what `smithay`, why `instead of wlroots`.
 */
export function splitRationale(line: string): { decision: string; rationale: string | null } {
  const text = line.trim();
  const bold = /^(\*\*|__)(.+?)\1\s*[:：.—–-]?\s*(.*)$/.exec(text);
  if (bold && bold[3]!.trim() !== '') {
    return { decision: plainInline(bold[2]!).replace(/[.:：]+$/, ''), rationale: plainInline(bold[3]!) };
  }
  const masked = maskCode(text);
  let cut: { at: number; len: number } | null = null;
  const consider = (at: number, len: number) => {
    if (at > 0 && (cut === null || at < cut.at)) cut = { at, len };
  };
  const dash = /\s(?:—|–|--|-)\s|——|—(?=\S)/.exec(masked);
  if (dash) consider(dash.index, dash[0].length);
  for (const m of masked.matchAll(/:\s|：/g)) {
    const left = masked.slice(0, m.index);
    if (m[0] === '：' || left.trim().split(/\s+/).length >= 3) {
      consider(m.index, m[0].length);
      break;
    }
  }
  const reason = reasonWords().find(masked);
  if (reason && reason.index > 0) consider(reason.index, reason.length);
  if (cut !== null) {
    const { at, len } = cut as { at: number; len: number };
    const decision = text.slice(0, at).trim();
    const rationale = text
      .slice(at + len)
      .replace(/^[\s,;:—–-]+/, '')
      .trim();
    if (decision !== '') return { decision, rationale: rationale || null };
  }
  const alt = alternativeWords().find(masked);
  if (alt && alt.index > 0) {
    return { decision: text.slice(0, alt.index).trim(), rationale: text.slice(alt.index).trim() };
  }
  return { decision: text, rationale: null };
}
