/**
 * `decisions`: every decision recorded across a store's handoffs, with its
 * rationale and source, newest first; a decision that revisits or reverses an
 * earlier one on the same subject carries that one beside it (design.md,
 * "Command line" > `decisions`).
 *
 * Decisions are read from the index (each handoff's `decisions` sections,
 * and `decisions` sub-headings inside other sections), never from the files,
 * so a 10k-handoff store is answered from SQLite. Subjects are compared
 * through an inverted index of rare terms, not pairwise.
 */
import type { DecisionEntry, DecisionRelation, HandoffSummary } from '../format/schema.js';
import { RATIONALE_HEADERS, RATIONALE_LABELS } from '../quality/lexicon.js';
import type { HandoffContext } from '../service/context.js';
import { PhraseSet } from './_phrases.js';
import { lazy } from '../_lazy.js';
import { headingText, plainInline, splitBlocks } from './_text.js';
import {
  alternativeWords,
  type ExtractedDecision,
  extractDecisions as extractWith,
  rationaleLabelLength as labelLengthWith,
  rationaleWords,
  splitRationale,
} from './decision-extract.js';
import { REJECTED_FIRST_MARKERS, REVERSAL_WORDS, STOP_WORDS } from './decision-words.js';

export type { ExtractedDecision };
export { splitRationale };

const reversalWords = lazy(() => new PhraseSet(REVERSAL_WORDS));
const rationale = lazy(() => rationaleWords(RATIONALE_LABELS, RATIONALE_HEADERS));

/**
 * The decisions in one section body (see src/resume/decision-extract.ts,
 * `extractDecisions`), with the lexicon's rationale words.
 *
 * @example extractDecisions('- PostgreSQL over SQLite — row locks')
 * // [{ decision: 'PostgreSQL over SQLite', rationale: 'row locks', oneLine: 'PostgreSQL over SQLite — row locks' }]
 */
export function extractDecisions(text: string): ExtractedDecision[] {
  return extractWith(text, rationale());
}

/** Length of the rationale label (`- **Why:** `) that starts `line`, or -1 (see decision-extract.ts). */
export function rationaleLabelLength(line: string): number {
  return labelLengthWith(line, rationale().labels);
}

// The result shapes are declared once, as zod schemas in src/format/schema.ts
// (`DecisionEntrySchema`, the rows of `decisions --json`); type-only import.
export type { DecisionEntry, DecisionRelation };

/** Options of `listDecisions`. */
export interface ListDecisionsOptions {
  /** Only decisions whose text (decision or rationale) contains every word, case-insensitively. */
  query?: string;
  /**
   * Only handoffs of this project. Default: the context's project; in a repo
   * store, handoffs without a `project` (hand-written files) count as this project's.
   */
  project?: string;
  /** Include expired handoffs. */
  all?: boolean;
}

const MAX_RELATED = 5;
/** Section headings that hold decisions even when the synonym table files them elsewhere ("Key Architecture Decisions"). */
const DECISION_HEADING_RE =
  /decisions?\b|decided|entscheidung|décision|decisi[oó]n|decisão|decisione|решени|决策|决定|決定|결정/iu;
/** Words of a heading that may name decisions (a cheap filter before the synonym table). */
const DECISION_HEADING_WORDS =
  /[Dd]ecisi|[Dd]ecid|DECISI|[Ee]ntscheid|[Dd]écision|[Rr]ationale|ADR|[Cc]hoice|[Tt]rade-?offs|решени|Решени|决|決|결정|方針/;

/**
 * Whether `text` has an ATX heading line that may name decisions. Walks the
 * lines with `indexOf` instead of a multiline regex: 3x faster over the tens
 * of megabytes of section text of a 10k-handoff store.
 */
function hasDecisionSubHeading(text: string): boolean {
  let at = 0;
  while (at < text.length) {
    let i = at;
    while (i < at + 3 && text.charCodeAt(i) === 32) i++;
    const end = text.indexOf('\n', i);
    if (text.charCodeAt(i) === 35) {
      const line = text.slice(i, end < 0 ? text.length : end);
      if (/^#{1,6}[ \t]/.test(line) && DECISION_HEADING_WORDS.test(line)) return true;
    }
    if (end < 0) return false;
    at = end + 1;
  }
  return false;
}
const STOP = new Set(STOP_WORDS);
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/u;

/** What a decision picked and what it turned down, as term sets (empty when not stated). */
interface Choice {
  chosen: Set<string>;
  rejected: Set<string>;
  /** Read from an arrow (`A → B`), which also writes "before → after" of values and paths: counts only when choices cross both ways. */
  weak?: boolean;
}

/**
 * Reads `A over B`, `A instead of B`, `switch from B to A`, `replace B with A`,
 * `A replaces B`, `drop B`, `A (not B)`, `用A代替B`, `A而不是B`, `BではなくA`, `B 대신 A`.
 */
export function parseChoice(decision: string): Choice {
  const t = plainInline(decision);
  const pair = (chosen: string | null | undefined, rejected: string | null | undefined): Choice => ({
    chosen: chosen ? termsOf(chosen) : new Set(),
    rejected: rejected ? termsOf(rejected) : new Set(),
  });
  let m =
    /\b(?:switch|switched|switching|migrate|migrated|migrating|move|moved|moving|go|going|went|change|changed|changing)\s+(?:back\s+)?from\s+(.+?)\s+to\s+(.+)/iu.exec(
      t,
    );
  if (m) return pair(m[2], m[1]);
  m = /\breplac(?:e|ed|es|ing)\s+(.+?)\s+(?:with|by)\s+(.+)/iu.exec(t);
  if (m) return pair(m[2], m[1]);
  m = /^(.+?)\s+(?:replaces|replaced|supersedes|superseded)\s+(.+)/iu.exec(t);
  if (m) return pair(m[1], m[2]);
  m = /(.+?)\(\s*not\s+(.+?)\)/iu.exec(t) ?? /(.+?),\s*not\s+(.+)/iu.exec(t);
  if (m) return pair(m[1], m[2]);
  m = /^用(.+?)(?:代替|取代|替代|替换)(.+)/u.exec(t);
  if (m) return pair(m[1], m[2]);
  for (const marker of REJECTED_FIRST_MARKERS) {
    const at = t.indexOf(marker);
    if (at > 0) return pair(t.slice(at + marker.length), t.slice(0, at).replace(/の$/, ''));
  }
  const alt = alternativeWords().find(t);
  if (alt && alt.index > 0) return pair(t.slice(0, alt.index), t.slice(alt.index + alt.length));
  m = /^(.+?)\s*(?:→|->|=>)\s*(.+)$/u.exec(t);
  if (m) return { ...pair(m[2], m[1]), weak: true };
  m =
    /\b(?:drop|dropped|remove|removed|abandon|abandoned|ditch|ditched|no longer use|stop using|stopped using|rip out|ripped out|retire|retired)\s+(.+)/iu.exec(
      t,
    );
  if (m) return pair(null, m[1]);
  return pair(null, null);
}

/**
 * Significant terms of a text: case-folded words and identifiers without
 * stop words (decision verbs included); plural `s` dropped from long Latin
 * words; CJK runs as character bigrams.
 */
export function termsOf(text: string): Set<string> {
  const out = new Set<string>();
  const norm = text.normalize('NFKC').toLowerCase();
  for (const m of norm.matchAll(/[\p{L}\p{N}][\p{L}\p{N}_.+#-]*[\p{L}\p{N}+#]|[\p{L}\p{N}]/gu)) {
    let w = m[0];
    if (CJK.test(w)) {
      const chars = [...w].filter((c) => CJK.test(c));
      if (chars.length === 1) out.add(chars[0]!);
      for (let k = 0; k + 1 < chars.length; k++) out.add(chars[k]! + chars[k + 1]!);
      continue;
    }
    if (STOP.has(w) || /^\d+$/.test(w) || w.length < 2) continue;
    if (/^[a-z]{5,}s$/.test(w) && !w.endsWith('ss')) w = w.slice(0, -1);
    out.add(w);
  }
  return out;
}

/** Internal record while relating decisions. */
interface Rec {
  entry: DecisionEntry;
  created: number;
  order: number;
  terms: Set<string>;
  choice: Choice;
  reversal: boolean;
  handoffKey: string;
}

/**
 * Every decision across the handoffs of the store in `ctx`, newest first
 * (by the date of the handoff that first recorded it; within one handoff in
 * document order). Reads sections from the index only.
 *
 * @param options `query` (all words, case-insensitive, in the decision or its
 *   rationale), `project` (default: the context's project), `all` (include
 *   expired handoffs). Automatic checkpoints are skipped: they repeat what
 *   the written handoffs say.
 * @returns entries; empty when no handoff has a decisions section.
 * @example
 * const rows = await listDecisions(ctx, { query: 'sqlite' });
 * // [{ decision: 'Switch back to SQLite over PostgreSQL', rationale: 'single user',
 * //    related: [{ decision: 'PostgreSQL over SQLite', relation: 'reverses', … }], … }, …]
 */
export async function listDecisions(ctx: HandoffContext, options: ListDecisionsOptions = {}): Promise<DecisionEntry[]> {
  await ctx.ready();
  const explicit = options.project !== undefined;
  const project = options.project ?? ctx.project ?? undefined;
  // In a repo store, hand-written files without `project` belong to the repository's project.
  const lenient = !explicit && ctx.store.kind !== 'user' && project !== undefined;
  const rows = ctx.index
    .list({ all: options.all ?? false, includeAuto: false, project: lenient ? undefined : project })
    .filter((r) => !lenient || r.project === project || r.project === null);

  const canonicalOf = await subHeadingClassifier();
  const memo = new Map<string, ExtractedDecision[]>();
  const recs: Rec[] = [];
  const byText = new Map<string, Rec>();
  // Oldest first, so the first handoff to record a decision owns it.
  for (let h = rows.length - 1; h >= 0; h--) {
    const row = rows[h]!;
    const created = Date.parse(row.created);
    let order = 0;
    for (const d of decisionsOf(ctx, row, canonicalOf, memo)) {
      const key = normalizedKey(d);
      const seen = byText.get(key);
      if (seen) {
        if (seen.handoffKey !== row.path) seen.entry.occurrences++;
        continue;
      }
      const terms = termsOf(d.decision);
      const rec: Rec = {
        entry: {
          decision: d.decision,
          rationale: d.rationale,
          date: row.created,
          handoffId: row.id,
          handoffName: row.name,
          path: row.path,
          subject: [...terms].sort().join(' '),
          related: [],
          occurrences: 1,
        },
        created: Number.isNaN(created) ? 0 : created,
        order: order++,
        terms,
        choice: parseChoice(d.decision),
        reversal: reversalWords().find(d.decision) !== null,
        handoffKey: row.path,
      };
      byText.set(key, rec);
      recs.push(rec);
    }
  }
  relate(recs);

  const words = (options.query ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const matches = (r: Rec) => {
    if (words.length === 0) return true;
    const hay = `${r.entry.decision}\n${r.entry.rationale ?? ''}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  };
  return recs
    .filter(matches)
    .sort((a, b) => b.created - a.created || a.entry.path.localeCompare(b.entry.path) || a.order - b.order)
    .map((r) => r.entry);
}

function normalizedKey(d: ExtractedDecision): string {
  return `${d.decision}\n${d.rationale ?? ''}`
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\n]+/gu, ' ')
    .trim();
}

/** Decisions of one handoff: its `decisions` sections, and decision sub-headings inside other sections. */
function* decisionsOf(
  ctx: HandoffContext,
  row: HandoffSummary,
  canonicalOf: (heading: string) => string | null,
  memo: Map<string, ExtractedDecision[]>,
): Generator<ExtractedDecision> {
  // Handoffs carry sections forward verbatim; each distinct text is read once per call.
  const extract = (text: string) => {
    const hit = memo.get(text);
    if (hit) return hit;
    const fresh = extractDecisions(text);
    memo.set(text, fresh);
    return fresh;
  };
  for (const s of ctx.index.sections(row.path)) {
    if (s.canonical === 'decisions' || DECISION_HEADING_RE.test(s.heading)) {
      yield* extract(s.text);
      continue;
    }
    // `### Decisions made` nested in a `## Session` section stays in that section's text.
    if (!hasDecisionSubHeading(s.text)) continue;
    for (const b of splitBlocks(s.text)) {
      if (b.kind !== 'heading') continue;
      const title = headingText(b.lines[0]!);
      if (title !== null && canonicalOf(title) === 'decisions') yield* extract(b.lines.slice(1).join('\n'));
    }
  }
}

/** The synonym table's classifier, loaded once (only `decisions` needs it for sub-headings). */
async function subHeadingClassifier(): Promise<(heading: string) => string | null> {
  const { canonicalSection } = await import('../format/sections.js');
  return canonicalSection;
}

/**
 * Links each decision to earlier ones on the same subject. Candidates share
 * at least one term that is rare in the store (in at most max(20, 2%) of the
 * decisions), found through an inverted index; a pair is the same subject
 * when it shares two terms with Jaccard >= 0.3, or one term with Jaccard >=
 * 0.5, or its choices cross (one picked what the other rejected).
 */
function relate(recs: Rec[]): void {
  const df = new Map<string, number>();
  for (const r of recs) for (const t of r.terms) df.set(t, (df.get(t) ?? 0) + 1);
  const maxDf = Math.max(20, Math.ceil(recs.length * 0.02));
  const postings = new Map<string, number[]>();
  const ordered = recs.map((_, i) => i).sort((a, b) => recs[a]!.created - recs[b]!.created || a - b);
  for (const i of ordered) {
    const later = recs[i]!;
    const candidates = new Set<number>();
    for (const t of later.terms) {
      if ((df.get(t) ?? 0) > maxDf) continue;
      for (const j of postings.get(t) ?? []) candidates.add(j);
    }
    const related: Array<{ rec: Rec; relation: DecisionRelation['relation'] }> = [];
    for (const j of candidates) {
      const earlier = recs[j]!;
      if (earlier.handoffKey === later.handoffKey || earlier.created > later.created) continue;
      const relation = relationOf(later, earlier);
      if (relation) related.push({ rec: earlier, relation });
    }
    related.sort((a, b) => b.rec.created - a.rec.created);
    later.entry.related = related.slice(0, MAX_RELATED).map(({ rec, relation }) => ({
      handoffId: rec.entry.handoffId,
      date: rec.entry.date,
      decision: rec.entry.decision,
      relation,
    }));
    for (const t of later.terms) {
      if ((df.get(t) ?? 0) > maxDf) continue;
      const list = postings.get(t);
      if (list) list.push(i);
      else postings.set(t, [i]);
    }
  }
}

function subsetOf(a: Set<string>, b: Set<string>): boolean {
  for (const t of a) if (!b.has(t)) return false;
  return true;
}

function overlaps(a: Set<string>, b: Set<string>): boolean {
  for (const t of a) if (b.has(t)) return true;
  return false;
}

/**
 * How `later` relates to `earlier`, or null when they are not about the same
 * subject. Same subject: two shared terms with Jaccard >= 0.3, one with
 * Jaccard >= 0.5, choices that cross both ways (`A over B`, later `B over
 * A`), or a later choice whose every rejected term the earlier one named.
 * Then `reverses` when the later one picks what the earlier one rejected (or
 * rejects what it picked), or says so (reversal words); else `revisits`.
 */
function relationOf(later: Rec, earlier: Rec): DecisionRelation['relation'] | null {
  let shared = 0;
  for (const t of later.terms) if (earlier.terms.has(t)) shared++;
  const union = later.terms.size + earlier.terms.size - shared;
  const jaccard = union === 0 ? 0 : shared / union;
  const L = later.choice;
  const E = earlier.choice;
  const picksRejected = L.chosen.size > 0 && E.rejected.size > 0 && overlaps(L.chosen, E.rejected);
  const rejectsPicked = L.rejected.size > 0 && E.chosen.size > 0 && overlaps(L.rejected, E.chosen);
  // "Drop Redis" after "Cache sessions with Redis": everything it turns down was named by the earlier one.
  const namesEarlier =
    !L.weak &&
    ((L.rejected.size > 0 && subsetOf(L.rejected, earlier.terms)) ||
      (L.chosen.size > 0 && E.rejected.size > 0 && subsetOf(L.chosen, E.rejected)));
  const same =
    (shared >= 2 && jaccard >= 0.3) ||
    (shared >= 1 && jaccard >= 0.5) ||
    (picksRejected && rejectsPicked) ||
    namesEarlier;
  if (!same) return null;
  if (picksRejected || rejectsPicked) return 'reverses';
  const sameDirection =
    L.chosen.size > 0 &&
    E.chosen.size > 0 &&
    overlaps(L.chosen, E.chosen) &&
    (L.rejected.size === 0 || E.rejected.size === 0 || overlaps(L.rejected, E.rejected));
  if (sameDirection) return 'revisits';
  // "Drop X" after "Use X": the later one turns down what the earlier one named.
  if (L.rejected.size > 0 && E.chosen.size === 0 && overlaps(L.rejected, earlier.terms)) return 'reverses';
  return later.reversal ? 'reverses' : 'revisits';
}
