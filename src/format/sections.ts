/**
 * Maps the headings people actually write to the canonical sections
 * (design.md, "The handoff document": "a synonym table maps headings to
 * canonical sections, case- and punctuation-insensitively, at any heading
 * level"). The table itself is data in `synonyms.ts`.
 *
 * Hot path: the index re-parses thousands of documents per second, so the
 * table is compiled once (a Map for whole headings, key phrases indexed by
 * their first word) and results are memoised per heading.
 */
import { lazy } from '../_lazy.js';
import { CANONICAL_SECTIONS } from './constants.js';
import type { CanonicalSection } from './schema.js';
import { COMPILED_SYNONYMS } from './_synonyms-compiled.js';
import type { SynonymList } from './synonyms.js';

/** Scripts written without spaces between words: their phrases match as substrings. */
const NO_WORD_SPACES = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]/;

const EMPHASIS_AND_CODE = /[*_~`]+/g;
const LINK = /!?\[([^\]]*)\]\([^)]*\)/g;
// "Task(s)" reads as "Tasks".
const PLURAL_S = lazy(() => /(?<=\p{L})\(s\)/gu);
const APOSTROPHE = /['’‘`´]/g;
const DIACRITIC = /[\u0300-\u036f]/g;
const NON_WORD = lazy(() => /[^\p{L}\p{N}]+/gu);
const LEADING_SYMBOLS = lazy(() => /^[^\p{L}\p{N}]+/u);
// "Step 3:", "Phase 2 —", "Part IV.", "Round 2)", "Priority 1 -", "Day 3"
const LEADING_ORDINAL_WORD =
  /^(?:step|phase|part|stage|round|milestone|day|chapter|priority|task|item|section|wave|sprint|iteration|p)\s*#?(?:\d+(?:\.\d+)*[a-z]?|[ivxlc]{1,6})(?=[\s.):：、\-—–|/]|$)[\s.):：、\-—–|/]*/u;
// "1.", "2)", "1.2.3", "10 -", "#3"
const LEADING_NUMBER = /^#?\d+(?:[.-]\d+)*[a-z]?(?=[\s.):：、\-—–|/]|$)[\s.):：、\-—–|/]*/u;
// "IV. Results", "b) Next"
const LEADING_LETTER = /^(?:[ivxlc]{1,6}|[a-z])[.)]\s+/u;
// "一、", "第二轮", "（三）", "1단계"
const LEADING_CJK_ORDINAL =
  /^(?:[（(]?[一二三四五六七八九十百\d]+[)）]?[、.．:：]|第[一二三四五六七八九十百\d]+[章节節部分步轮輪阶階段回期]*|\d+\s*단계|\d+\s*차)\s*/u;
const STANDALONE_NUMBER = lazy(() => /(?<![\p{L}\p{N}])\d+(?![\p{L}\p{N}])/gu);
const SPACES = /\s+/g;
// Full-width forms, enclosed and compatibility characters (ＡＢＣ, ①, ﬁ).
const NEEDS_NFKC = /[\u00a0-\u00bf\u2000-\u2bff\u3000-\u303f\ufb00-\ufb4f\uff00-\uffef]/;
// Latin, Greek and Cyrillic letters that may carry diacritics (é, ñ, ü, ё, ạ, đ, ı).
const HAS_DIACRITICS = /[\u00c0-\u02af\u0370-\u04ff\u1e00-\u1fff]/;
const ALREADY_NORMAL = /^[a-z]+(?: [a-z]+)*$/;
/** ASCII words separated by single spaces, any case. */
const ASCII_WORDS = /^[A-Za-z]+(?: [A-Za-z]+)*$/;
/**
 * What `LEADING_ORDINAL_WORD` can match in lower-case ASCII words: one of its
 * words followed by roman-numeral letters (digits cannot occur there). A
 * superset test: a hit just takes the full path.
 */
const ORDINAL_START =
  /^(?:step|phase|part|stage|round|milestone|day|chapter|priority|task|item|section|wave|sprint|iteration|p) ?[ivxlc]/;

/**
 * Normalises a heading for lookup: markdown emphasis, code marks, links,
 * emoji, punctuation, leading numbering ("1.", "2)", "Step 3:", "IV.",
 * "Phase 2 —", "一、", "第二轮") and standalone numbers (dates) removed;
 * lower case, diacritics stripped (`Próximos` = `proximos`), apostrophes
 * dropped (`What's` = `whats`), words separated by single spaces.
 *
 * @example normalizeHeading('## 1. ✅ **What We Accomplished** (2026-05-01)') // "what we accomplished"
 */
export function normalizeHeading(heading: string): string {
  // Fast paths: most table phrases and many headings are already normal, and
  // headings as this tool writes them ("Next Steps", "Files of Note") only
  // need lower case. They skip a dozen Unicode regexes whose first use costs
  // ~1.5 ms to compile on the CLI's cold path. test/format/sections.test.ts
  // checks both against the full path (`normalizeHeadingFully`).
  if (ALREADY_NORMAL.test(heading)) return heading;
  if (ASCII_WORDS.test(heading)) {
    const lower = heading.toLowerCase();
    // "Part IV", "Step I", "P C ...": a leading ordinal word the full path removes.
    if (!ORDINAL_START.test(lower)) return lower;
  }
  return normalizeHeadingFully(heading);
}

/**
 * {@link normalizeHeading} without its fast paths (the reference the fast
 * paths are tested against). Internal.
 */
export function normalizeHeadingFully(heading: string): string {
  // Unicode normalisation is costly on first use (ICU), so only when it can change something.
  let s = NEEDS_NFKC.test(heading) ? heading.normalize('NFKC').toLowerCase() : heading.toLowerCase();
  s = s.replace(LINK, '$1').replace(EMPHASIS_AND_CODE, ' ').replace(PLURAL_S(), 's');
  s = s.replace(LEADING_SYMBOLS(), '');
  for (let i = 0; i < 3; i++) {
    const before = s;
    s = s
      .replace(LEADING_ORDINAL_WORD, '')
      .replace(LEADING_NUMBER, '')
      .replace(LEADING_LETTER, '')
      .replace(LEADING_CJK_ORDINAL, '')
      .replace(LEADING_SYMBOLS(), '');
    if (s === before) break;
  }
  if (HAS_DIACRITICS.test(s)) {
    s = s.normalize('NFKD').replace(DIACRITIC, '').replace(/đ/g, 'd').replace(/ı/g, 'i').normalize('NFC');
  }
  s = s.replace(APOSTROPHE, '').replace(NON_WORD(), ' ').replace(STANDALONE_NUMBER(), ' ');
  return s.replace(SPACES, ' ').trim();
}

/** One key phrase of the table, split into words. */
interface Phrase {
  section: CanonicalSection;
  /** Index of `section` in CANONICAL_SECTIONS: the last tie-break. */
  rank: number;
  /** Normalised words; for scripts without word spaces, one substring. */
  words: string[];
  /** `decision*`: the last word is a prefix. */
  lastIsPrefix: boolean;
  /** `*entscheidungen`: the first word is a suffix. */
  firstIsSuffix: boolean;
}

/**
 * What matching needs of a string-keyed table: a `Map`, or the built-in
 * table's packed strings, looked up in place (see {@link unpackSynonyms}).
 */
export interface Lookup<V> {
  get(key: string): V | undefined;
  has(key: string): boolean;
}

/** Phrases of one strength (strong or weak), indexed for a scan over the heading's words. */
interface PhraseIndex {
  /** By exact first word. */
  byFirstWord: Lookup<Phrase[]>;
  /** Phrases whose first word is matched as a prefix or a suffix (checked against every word). */
  affixed: Phrase[];
  /** Chinese, Japanese, Korean phrases: matched as substrings. */
  substrings: Phrase[];
}

/** A compiled synonym table (see {@link compileSynonyms}). */
export interface CompiledTable {
  /** Whole normalised heading -> section (every phrase without wildcards). */
  exact: Lookup<CanonicalSection>;
  strong: PhraseIndex;
  /** Weak phrases: used only when no strong phrase occurs. */
  weak: PhraseIndex;
}

/** A `PhraseIndex` as {@link compileSynonyms} builds it. */
interface MapPhraseIndex extends PhraseIndex {
  byFirstWord: Map<string, Phrase[]>;
}

/** A `CompiledTable` as {@link compileSynonyms} builds it: Maps throughout. */
export interface BuiltTable extends CompiledTable {
  exact: Map<string, CanonicalSection>;
  strong: MapPhraseIndex;
  weak: MapPhraseIndex;
}

function emptyIndex(): MapPhraseIndex {
  return { byFirstWord: new Map(), affixed: [], substrings: [] };
}

/**
 * Compiles synonym lists (synonyms.ts syntax) into lookup structures: a Map
 * of whole headings and word-indexed key phrases. No regular expressions:
 * compiling the table happens once per process on the CLI's cold path, and
 * a big alternation costs tens of milliseconds to compile in V8.
 */
export function compileSynonyms(lists: readonly SynonymList[]): BuiltTable {
  const exact = new Map<string, CanonicalSection>();
  const strong = emptyIndex();
  const weak = emptyIndex();
  const seen = new Set<string>();
  for (const list of lists) {
    CANONICAL_SECTIONS.forEach((section, rank) => {
      for (const entry of list[section] ?? []) {
        let p = entry;
        let mode: 'strong' | 'weak' | 'exact' = 'strong';
        if (p.startsWith('=')) {
          mode = 'exact';
          p = p.slice(1);
        } else if (p.startsWith('~')) {
          mode = 'weak';
          p = p.slice(1);
        }
        const lastIsPrefix = p.endsWith('*');
        const firstIsSuffix = p.startsWith('*');
        const norm = normalizeHeading(p.replace(/^\*|\*$/g, ''));
        if (norm === '') continue;
        if (!lastIsPrefix && !firstIsSuffix && !exact.has(norm)) exact.set(norm, section);
        if (mode === 'exact') continue;
        const key = `${mode}|${section}|${entry}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const index = mode === 'weak' ? weak : strong;
        if (NO_WORD_SPACES.test(norm)) {
          index.substrings.push({ section, rank, words: [norm], lastIsPrefix: false, firstIsSuffix: false });
          continue;
        }
        const words = norm.split(' ');
        const phrase: Phrase = { section, rank, words, lastIsPrefix, firstIsSuffix };
        if (firstIsSuffix || (lastIsPrefix && words.length === 1)) {
          index.affixed.push(phrase);
        } else {
          const first = words[0] as string;
          const bucket = index.byFirstWord.get(first);
          if (bucket) bucket.push(phrase);
          else index.byFirstWord.set(first, [phrase]);
        }
      }
    });
  }
  return { exact, strong, weak };
}

interface Match {
  section: CanonicalSection;
  rank: number;
  /** Character offset in the normalised heading. */
  start: number;
  /** Matched length in characters. */
  length: number;
}

function wordMatches(word: string, expected: string, asPrefix: boolean, asSuffix: boolean): boolean {
  if (asPrefix && asSuffix) return word.includes(expected);
  if (asPrefix) return word.startsWith(expected);
  if (asSuffix) return word.endsWith(expected);
  return word === expected;
}

/** The phrase matching at word `i`, if any. */
function phraseAt(words: string[], i: number, phrase: Phrase): number {
  const n = phrase.words.length;
  if (i + n > words.length) return -1;
  let length = n - 1;
  for (let j = 0; j < n; j++) {
    const word = words[i + j] as string;
    const last = j === n - 1;
    if (!wordMatches(word, phrase.words[j] as string, last && phrase.lastIsPrefix, j === 0 && phrase.firstIsSuffix)) {
      return -1;
    }
    length += word.length;
  }
  return length;
}

function better(a: Match, b: Match | null): boolean {
  if (!b) return true;
  if (a.start !== b.start) return a.start < b.start;
  if (a.length !== b.length) return a.length > b.length;
  return a.rank < b.rank;
}

/** Leftmost (then longest, then table order) phrase of `index` in a normalised heading. */
function leftmostMatch(text: string, words: string[], index: PhraseIndex): Match | null {
  let best: Match | null = null;
  let offset = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (best && offset > best.start) break;
    const candidates = index.byFirstWord.get(word);
    for (const list of [candidates, index.affixed]) {
      if (!list) continue;
      for (const phrase of list) {
        const length = phraseAt(words, i, phrase);
        if (length === -1) continue;
        const m = { section: phrase.section, rank: phrase.rank, start: offset, length };
        if (better(m, best)) best = m;
      }
    }
    offset += word.length + 1;
  }
  if (index.substrings.length > 0 && NO_WORD_SPACES.test(text)) {
    for (const phrase of index.substrings) {
      const needle = phrase.words[0] as string;
      const at = text.indexOf(needle);
      if (at === -1) continue;
      const m = { section: phrase.section, rank: phrase.rank, start: at, length: needle.length };
      if (better(m, best)) best = m;
    }
  }
  return best;
}

/**
 * Canonical section of an already normalised heading with a compiled table:
 * the whole heading first, then the leftmost strong key phrase, then the
 * leftmost weak one.
 */
export function matchNormalizedHeading(normalized: string, table: CompiledTable): CanonicalSection | null {
  if (normalized === '') return null;
  const whole = table.exact.get(normalized);
  if (whole) return whole;
  const words = normalized.split(' ');
  return (
    (leftmostMatch(normalized, words, table.strong) ?? leftmostMatch(normalized, words, table.weak))?.section ?? null
  );
}

// ---------------------------------------------------------------------------
// The built-in table, compiled ahead of time

/**
 * Phrases as packed: each is one letter for its rank (`a` = context, the
 * section's index in CANONICAL_SECTIONS), one digit of flags (1: last word is
 * a prefix, 2: first word is a suffix) and its normalised words joined by
 * spaces (a substring phrase: its text); phrases are joined by `|`.
 * Normalised words hold letters, digits and spaces only.
 */
type PackedPhrases = string;
/**
 * A string-keyed table packed as lines: `\n<key>\t<value>` per entry and a
 * final `\n`. Looked up with one `indexOf` (see {@link lineValue}), so a
 * process that maps ten headings parses nothing: `JSON.parse` of the whole
 * table cost ~0.6 ms and ~290 KB of heap on every cold `store`.
 */
type PackedLines = string;
/** A `PhraseIndex` as packed: phrases by first word (as lines), affixed, substrings. */
type PackedIndex = [byFirstWord: PackedLines, affixed: PackedPhrases, substrings: PackedPhrases];
/**
 * A `CompiledTable` as packed strings: exact headings (lines whose value is
 * the section's rank letter), strong and weak phrases.
 */
export type PackedTable = [exact: PackedLines, strong: PackedIndex, weak: PackedIndex];

const rankLetter = (rank: number): string => String.fromCharCode(97 + rank);

function packLines(entries: Iterable<readonly [string, string]>): PackedLines {
  let out = '\n';
  for (const [key, value] of entries) {
    if (/[\t\n]/.test(key + value)) throw new Error(`cannot pack ${JSON.stringify(key)}: tab or newline`);
    out += `${key}\t${value}\n`;
  }
  return out;
}

/** The value of `key` in {@link packLines}'s form, or undefined (~2 µs over the 18 KB exact table). */
function lineValue(packed: PackedLines, key: string): string | undefined {
  if (key.includes('\t') || key.includes('\n')) return undefined;
  const at = packed.indexOf(`\n${key}\t`);
  if (at < 0) return undefined;
  const start = at + key.length + 2;
  return packed.slice(start, packed.indexOf('\n', start));
}

/**
 * A table made by {@link compileSynonyms} as strings (for
 * `_synonyms-compiled.ts`, which holds the built-in table packed so that a
 * process need not compile it).
 */
export function packSynonyms(table: BuiltTable): PackedTable {
  const phrases = (list: Phrase[]): PackedPhrases =>
    list
      .map((p) => {
        const text = p.words.join(' ');
        if (/[|]/.test(text) || p.rank > 25) throw new Error(`cannot pack phrase "${text}"`);
        return `${rankLetter(p.rank)}${(p.lastIsPrefix ? 1 : 0) | (p.firstIsSuffix ? 2 : 0)}${text}`;
      })
      .join('|');
  const index = (i: MapPhraseIndex): PackedIndex => [
    packLines([...i.byFirstWord].map(([w, list]) => [w, phrases(list)] as const)),
    phrases(i.affixed),
    phrases(i.substrings),
  ];
  const exact = packLines(
    [...table.exact].map(([h, section]) => [h, rankLetter(CANONICAL_SECTIONS.indexOf(section))] as const),
  );
  return [exact, index(table.strong), index(table.weak)];
}

/** Packed phrases back to objects; a substring phrase's text is one "word". */
function unpackPhrases(packed: PackedPhrases, substrings = false): Phrase[] {
  if (packed === '') return [];
  return packed.split('|').map((p) => {
    const rank = p.charCodeAt(0) - 97;
    const flags = p.charCodeAt(1) - 48;
    const text = p.slice(2);
    return {
      section: CANONICAL_SECTIONS[rank] as CanonicalSection,
      rank,
      words: substrings ? [text] : text.split(' '),
      lastIsPrefix: (flags & 1) !== 0,
      firstIsSuffix: (flags & 2) !== 0,
    };
  });
}

function unpackIndex([byFirst, affixed, substrings]: PackedIndex): PhraseIndex {
  const buckets = new Map<string, Phrase[]>();
  let affixedPhrases: Phrase[] | undefined;
  let substringPhrases: Phrase[] | undefined;
  return {
    byFirstWord: {
      get(word) {
        let list = buckets.get(word);
        if (list === undefined) {
          const packed = lineValue(byFirst, word);
          if (packed === undefined) return undefined;
          list = unpackPhrases(packed);
          buckets.set(word, list);
        }
        return list;
      },
      has: (word) => buckets.has(word) || lineValue(byFirst, word) !== undefined,
    },
    get affixed() {
      affixedPhrases ??= unpackPhrases(affixed);
      return affixedPhrases;
    },
    get substrings() {
      substringPhrases ??= unpackPhrases(substrings, true);
      return substringPhrases;
    },
  };
}

/**
 * A table to match headings with, read from {@link packSynonyms}'s form.
 * Lazily: an entry is found when a heading first looks it up, and a phrase
 * becomes an object then, so a process that maps ten headings converts a few
 * dozen phrases, not 1,500 (~3.5 ms cold for all of them).
 */
export function unpackSynonyms(packed: PackedTable): CompiledTable {
  const [exact, strong, weak] = packed;
  const section = (heading: string): CanonicalSection | undefined => {
    const letter = lineValue(exact, heading);
    return letter === undefined ? undefined : CANONICAL_SECTIONS[letter.charCodeAt(0) - 97];
  };
  return {
    exact: {
      get: section,
      has: (heading) => section(heading) !== undefined,
    },
    strong: unpackIndex(strong),
    weak: unpackIndex(weak),
  };
}

let builtIn: CompiledTable | null = null;
const cache = new Map<string, CanonicalSection | null>();
const CACHE_LIMIT = 20_000;

/**
 * The built-in table: `compileSynonyms(Object.values(SYNONYMS_BY_LANGUAGE))`,
 * read from its packed form in `_synonyms-compiled.ts` (~0.5 ms) instead of
 * compiled (~7 ms of normalising 1,500 phrases on the CLI's cold path).
 * test/format/sections.test.ts fails when that file is stale; regenerate it
 * with `node scripts/compile-synonyms.mjs`.
 */
function table(): CompiledTable {
  builtIn ??= unpackSynonyms(COMPILED_SYNONYMS);
  return builtIn;
}

/**
 * Canonical section for a heading as written, or `null` for an unknown one.
 *
 * Insensitive to case, punctuation, emoji, markdown emphasis, leading
 * numbering and diacritics (see {@link normalizeHeading}). The whole heading
 * is looked up first; otherwise the leftmost key phrase decides
 * ("What We Accomplished Today" -> accomplished, "Blockers / Open Questions"
 * -> blocked, "Key Files Modified" -> files, "Immediate Next Steps (Priority
 * Order)" -> next_steps). YAML keys work too (`done_this_session` -> accomplished).
 * Phrases come from `synonyms.ts` (every language at once).
 *
 * @example canonicalSection('## 🚧 Current State') // 'in_progress'
 */
export function canonicalSection(heading: string): CanonicalSection | null {
  const hit = cache.get(heading);
  if (hit !== undefined) return hit;
  const result = matchNormalizedHeading(normalizeHeading(heading), table());
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(heading, result);
  return result;
}

/**
 * Whether `text` is, as a whole, a section name of the synonym table
 * ("Context", "Next Steps", "下一步"), without key-phrase search. Used to
 * accept a bare line as a section label in a document without headings.
 */
export function isSectionName(text: string): boolean {
  const norm = normalizeHeading(text);
  if (norm === '') return false;
  const t = table();
  if (t.exact.has(norm)) return true;
  // A wildcard phrase that spans the whole text ("next step*" for "Next Steps").
  const m = leftmostMatch(norm, norm.split(' '), t.strong);
  return m !== null && m.start === 0 && m.length === norm.length;
}
