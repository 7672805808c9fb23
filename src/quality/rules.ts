/**
 * The quality rules of `check` (design.md, "Quality rules (`check`)"), as
 * data: each rule is `{ id, severity, weight, counted, description, run }`
 * and `run(ctx)` returns findings with a message that says how to fix them
 * and the 1-based file line they are about.
 *
 * What the rules look for comes from the handoff literature (what makes a
 * handoff useful: what was decided and why, what is half done and exactly
 * where, what to do first) and was tuned on the project corpus of 176 real
 * handoffs (`test/quality/corpus.test.ts` prints the firing rates).
 * They prefer structure (a dash clause, a path, a backticked command, a
 * number) over English keywords, and keep keywords per language in
 * `lexicon.ts` (design.md, "Decisions" > "Quality").
 *
 * Scoring (see `check.ts`): each finding costs its rule's `weight`; only the
 * first `counted` findings of a rule cost anything, so one sloppy habit
 * repeated twenty times does not sink an otherwise useful handoff.
 *
 * Defaults (severity, weight per finding, findings counted):
 *
 * | rule                 | severity | weight | counted | why this grade                                  |
 * |----------------------|----------|--------|---------|-------------------------------------------------|
 * | required-sections    | error    | 10     | 5       | the profile is the contract (design)            |
 * | secret               | error    | 20     | all     | a leak; `store` refuses it (design)             |
 * | placeholder          | error    | 10     | 3       | an unfinished draft must not pass (design)      |
 * | actionable-next-step | warning  | 10     | 1       | the one line `resume` starts from               |
 * | decision-rationale   | warning  | 3      | 5       | per decision                                    |
 * | specific-in-progress | warning  | 3      | 5       | per item                                        |
 * | stale-reference      | warning  | 3      | 5       | per path                                        |
 * | code-excerpt         | warning  | 3      | 3       | per block                                       |
 * | length               | warning  | 5      | 1       | costs the reader, not correctness               |
 * | metrics              | info     | 3      | 1       | nice to have, often absent in good handoffs     |
 * | vague                | info     | 1      | 5       | "etc." in a list of examples is common and mild |
 *
 * An explicit "None" / "N/A" / "—" (and the same in other languages, see
 * `EMPTY_ANSWERS`) is a deliberate empty answer: it satisfies
 * `required-sections` (saying nothing is blocked is information), and the
 * item rules skip it.
 */
import { lazy } from '../_lazy.js';
import { existsSync } from 'node:fs';
import { CANONICAL_SECTIONS } from '../format/constants.js';
import type { CanonicalSection, Finding, Severity } from '../format/schema.js';
import { canonicalSection, isSectionName } from '../format/sections.js';
// Static: the pre-check is small, and a dynamic import of it was one more chunk file per check.
import { mayContainSecret } from '../service/_secret-guard.js';
import type { ParsedHandoff, ParsedSection } from '../format/types.js';
import {
  extractItems,
  fencedBlocks,
  type Item,
  isBlank,
  isEmptyAnswer,
  isLabel,
  itemText,
  numberLines,
  stripComments,
  stripInlineCode,
  textStartLine,
} from './_items.js';
import {
  ASCII_LETTERS_ONLY,
  compilePhrases,
  NON_IMPERATIVE_STARTS,
  PROBLEM_LABELS,
  phrasePattern,
  RATIONALE_HEADERS,
  RATIONALE_LABELS,
  RATIONALE_MARKERS,
  STATUS_WORDS,
  VAGUE_PHRASES,
  WORD_END,
} from './lexicon.js';

// `Severity` is declared once, as a zod enum in src/format/schema.ts (type-only import).
export type { Severity };

/** Default cost of one finding per severity (design.md: "error 20, warning 5, info 1"). */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = { error: 20, warning: 5, info: 1 };

/** What a rule reports: a message that says how to fix it, and the 1-based file line (null: the whole document). */
export type RuleFinding = Pick<Finding, 'message' | 'line'>;

/** Everything a rule may look at. Built once per check by `check.ts`. */
export interface RuleContext {
  /** The whole file, front matter included. */
  text: string;
  doc: ParsedHandoff;
  path: string | null;
  profile: string;
  /** Canonical sections the profile requires. */
  required: readonly CanonicalSection[];
  /** `length` budget in tokens. */
  lengthBudget: number;
  /** Root of the repository the handoff was written in; null skips `stale-reference`. */
  repoRoot: string | null;
  /** Handoff cache directory for token counts (`length`); null counts without a cache. */
  cacheDir: string | null;
  /** Sections with this canonical name, including sub-headings and bold labels inside other sections. */
  sections(name: CanonicalSection): ParsedSection[];
  /** Items (list items, table rows, sub-headings, paragraphs) of those sections, in order. */
  items(name: CanonicalSection): Item[];
}

/** One rule. `severity` and `weight` are defaults that `CheckOptions.rules` can re-grade. */
export interface Rule {
  id: string;
  severity: Severity;
  /** Score cost of one finding at the default severity. */
  weight: number;
  /** How many findings of this rule cost score at most (`Infinity`: all). */
  counted: number;
  /** One line: what the rule checks. */
  description: string;
  run(ctx: RuleContext): RuleFinding[] | Promise<RuleFinding[]>;
}

/**
 * Required canonical sections per profile (design.md, "The handoff
 * document": five-field, six-section, package, full).
 */
export const PROFILES: Readonly<Record<string, readonly CanonicalSection[]>> = {
  'five-field': ['accomplished', 'decisions', 'in_progress', 'deferred', 'next_steps'],
  'six-section': ['accomplished', 'in_progress', 'blocked', 'decisions', 'next_steps', 'gotchas'],
  package: ['context', 'decisions', 'in_progress', 'next_steps', 'gotchas', 'files'],
  full: CANONICAL_SECTIONS,
};

/** Heading to suggest for a missing section, and what to write in it. */
export const SECTION_HINTS: Readonly<Record<CanonicalSection, [heading: string, hint: string]>> = {
  context: ['Context', 'the goal and the background a new session needs'],
  accomplished: ['Accomplished', 'what this session finished, with files or commits'],
  decisions: ['Decisions', 'each decision with its reason ("X over Y — because Z")'],
  in_progress: ['In Progress', 'what is half done, where, and what works so far'],
  deferred: ['Deferred', 'what was left out on purpose and why'],
  blocked: ['Blocked', 'what is blocked and on whom or what'],
  next_steps: ['Next Steps', 'a numbered list whose first item is one concrete action'],
  gotchas: ['Gotchas', 'traps the next session would otherwise fall into'],
  lessons: ['Lessons Learned', 'what this session learned that is not obvious from the code'],
  files: ['Files of Note', 'the files that matter, with a word on each'],
  metrics: ['Metrics', 'test counts, coverage, timings'],
  environment: ['Environment', 'versions, services, commands needed to run things'],
};

// ---------------------------------------------------------------------------
// Shared text tests

/** Canonical sections named by the parts of a combined heading ("Blockers / Next Steps", "Done & Decisions"). */
function headingParts(heading: string): CanonicalSection[] {
  if (heading.length > 200) return [];
  const parts = heading.split(/\s*(?:[/&+|,—–]|\s-\s|\band\b|\bund\b|\bet\b|\be\b|\by\b|和|与|及|・)\s*/u);
  if (parts.length < 2) return [];
  return parts.map((p) => canonicalSection(p)).filter((c): c is CanonicalSection => c !== null);
}

// `lazy` (src/_lazy.ts): compiling the word lists costs ~15 ms that a bare `import` should not pay.
/**
 * `Why:`, `**Rationale**:`, `> 理由：` at a line start. Anchored, so the word
 * boundary is mostly implied: a letter or digit cannot come before the label
 * (only `*_`, spaces, `>` and `-` can) nor after it (only `*_`, spaces and
 * the colon can); what is left of the boundary is "not `_`". Full
 * `WORD_START`/`WORD_END` assertions would match exactly the same lines but
 * cost V8 ~40 ms to compile (case-insensitive Unicode classes).
 */
const labelRe = (lexicon: typeof RATIONALE_LABELS) =>
  new RegExp(`^[*_\\s>-]*(?:${phrasePattern(lexicon, { start: '(?<!_)', end: '(?!_)' })})[*_\\s]*[:：]`, 'iu');
/**
 * A label regex of `labelRe` as a test that builds it only for a line with a
 * colon: it needs one, and building it (~1.5 ms: the pattern of every
 * language's labels, then V8's compile of a case-insensitive Unicode regex)
 * is the largest cost of a cold `check` whose decisions have no labels.
 */
const labelTest = (re: () => RegExp) => (line: string) =>
  (line.includes(':') || line.includes('：')) && re().test(line);
const RATIONALE = lazy(() => compilePhrases(RATIONALE_MARKERS));
// At `^` nothing comes before the header, so only the end of the word is asserted.
const RATIONALE_HEADER_RE = lazy(
  () => new RegExp(`^(?:${phrasePattern(RATIONALE_HEADERS, { start: '', end: WORD_END })})`, 'iu'),
);
const isRationaleLabel = labelTest(lazy(() => labelRe(RATIONALE_LABELS)));
const isProblemLabel = labelTest(lazy(() => labelRe(PROBLEM_LABELS)));
const STATUS = lazy(() => compilePhrases(STATUS_WORDS));
const VAGUE = lazy(() => compilePhrases(VAGUE_PHRASES));
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/g;

/** Words in `s`; runs of CJK count one word per two characters. */
function wordCount(s: string): number {
  if (ASCII_LETTERS_ONLY.test(s)) return (s.match(/[A-Za-z0-9][A-Za-z0-9'’_-]*/g) ?? []).length;
  const cjk = (s.match(CJK) ?? []).length;
  const spaced = s.replace(CJK, ' ').match(/[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu) ?? [];
  return spaced.length + Math.ceil(cjk / 2);
}

/**
 * Longest text one item test looks at. Real items are far shorter; the cap
 * keeps every regex below linear-time in practice on hostile input
 * (a 500 KB line of `(` or `[`).
 */
const MAX_ITEM_CHARS = 4000;

/** Markdown emphasis, links (kept: their text), emoji and checkboxes removed. */
function plain(s: string): string {
  const t = stripComments(s.length > MAX_ITEM_CHARS ? s.slice(0, MAX_ITEM_CHARS) : s).replace(
    /!?\[([^\]]*)\]\([^)]*\)/g,
    '$1',
  );
  // Emphasis marks; `_` only at a word edge (`snake_case` keeps its underscores).
  const unmarked = !t.includes('_')
    ? t.replace(/\*{1,3}|~~/g, '')
    : ASCII_LETTERS_ONLY.test(t)
      ? t.replace(/\*{1,3}|~~|(?<![A-Za-z0-9])_{1,3}|_{1,3}(?![A-Za-z0-9])/g, '')
      : t.replace(/\*{1,3}|~~|(?<![\p{L}\p{N}])_{1,3}|_{1,3}(?![\p{L}\p{N}])/gu, '');
  return unmarked.replace(/^\s*\[[ xX~\-/]\]\s*/, '').trim();
}

/**
 * A path, file, identifier in code style, endpoint or command: something a
 * reader can find. Unless `strict`, also a number, an acronym or a short
 * "label: value" fact (enough for an in-progress item, not for a next step).
 */
function hasConcreteTarget(raw: string, strict = false): boolean {
  if (/`[^`]+`/.test(raw) || /\]\((?!https?:)[^)\s]+\)/.test(raw)) return true; // code, a link to a file
  const s = plain(raw);
  if (
    !strict &&
    (/\d/.test(s) || // a count, a version, a port, a test number
      /\b[A-Z][A-Z0-9]{1,9}s?\b/.test(s.replace(/^\S+\s*/, '')) || // an acronym past the first word: API, CRUD
      /^[^:：]{1,30}[:：]\s*\S[^:：]{0,40}$/.test(s.trim())) // a short fact: "Git branch: main", "DDEV: Not installed"
  ) {
    return true;
  }
  return (
    /(?<![\w.@-])[\w.@-]+\/[\w.@-]+/.test(s) || // a/b paths, endpoints, owner/repo
    /(?<![\p{L}\p{N}_-])[\w-]+\.(?:[a-z]{1,4}x?|json|yaml|toml|lock|proto|sql|graphql)(?![\p{L}\p{N}])/iu.test(s) || // file.ext
    /\b[a-z]+[A-Z][A-Za-z0-9]*\b/.test(s) || // camelCase
    /\b[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*\b/.test(s) || // PascalCase with 2+ humps
    /\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b/.test(s) || // snake_case, CONST_CASE
    /\b\w+\(\)/.test(s) || // call()
    /(?:^|\s)(?:GET|POST|PUT|PATCH|DELETE)\s+\//.test(s) ||
    /(?:^|\s)(?:npm|pnpm|yarn|npx|bun|deno|node|git|gh|make|cargo|go|pytest|python3?|pip|uv|docker|kubectl|terraform|mvn|gradle|dotnet|rake|bundle|mix|flutter|swift|xcodebuild)\s+[\w./:-]/.test(
      s,
    ) ||
    /\b[a-z][a-z0-9]{2,}\.[a-z_][a-z0-9_]{2,}\b/.test(s) || // schema.table, module.member
    /#\d+\b/.test(s) // issue / PR
  );
}

/** Whether an item states why (decision-rationale). Structure first, then per-language keywords. */
function hasRationale(item: Item): boolean {
  if (item.kind === 'table') {
    const cells = item.cells ?? [];
    const header = item.header ?? [];
    const reasonCol = header.findIndex((h, i) => i > 0 && RATIONALE_HEADER_RE().test(plain(h)));
    if (reasonCol > 0) return wordCount(plain(cells[reasonCol] ?? '').replace(/^[-—–]$/, '')) >= 1;
    return cells.slice(1).some((c) => wordCount(plain(c)) >= 4) || cells.some((c) => hasRationaleText(plain(c)));
  }
  const body = item.body.trim();
  if (body) {
    // An indented "Why:" line, or an explanation under the item / sub-heading.
    if (body.split('\n').some(isRationaleLabel)) return true;
    if (wordCount(plain(body)) >= 6) return true;
  }
  // Inline code stands for one word: "`a` over `b`" keeps its shape.
  const text = plain(item.head.replace(/`[^`]+`/g, 'x'));
  if (hasRationaleText(text)) return true;
  // Two sentences: the second explains ("**Use SQLite.** One user, no server to run.").
  const second = /[.!?。！？](?:\s+|(?=\p{Script=Han}))(\S.*)$/u.exec(text);
  return second?.[1] !== undefined && wordCount(second[1]) >= 4;
}

/** A sentence ending in a colon over a list: the list is its supporting detail, not a list of decisions. */
function isLongIntro(group: string | undefined): boolean {
  return group !== undefined && /[:：]\s*(?:\*\*|__)?\s*$/.test(group) && wordCount(plain(group)) >= 8;
}

function hasRationaleText(text: string): boolean {
  // A clause after an em/en dash, " - ", an arrow, or a colon.
  const clause = /(?:[—–]|\s-{1,2}\s|→|->|=>|⇒)\s*(.+)$/u.exec(text);
  if (clause?.[1] && wordCount(clause[1]) >= 2 && clause.index > 0) return true;
  const colon = /^(.*?)[:：]\s*(.+)$/u.exec(text);
  if (colon?.[1] && colon[2]) {
    const before = wordCount(colon[1]);
    const after = wordCount(colon[2]);
    // "Use SQLite: single user, no server" — not "Database: PostgreSQL" (a label and its value).
    if (before >= 2 && after >= 2) return true;
    if (after >= 8) return true;
    if (hasRationaleText(colon[2])) return true;
  }
  // "(because ...)", "(faster cold start)", "（理由：…）"
  const paren = /[(（]([^)）]+)[)）]/u.exec(text);
  if (paren?.[1] && wordCount(paren[1]) >= 3 && !/^\s*(?:#?\d+|[a-f0-9]{7,})\s*$/.test(paren[1])) return true;
  const m = RATIONALE().find(text);
  // A marker after the first word: "X because Y", "X over Y", "X instead of Y".
  return m !== null && (m.index > 0 || wordCount(text) >= 4);
}

/** Items that only introduce a list ("Key decisions made:", "In priority order:"). */
function isIntro(item: Item): boolean {
  return item.kind !== 'table' && item.body === '' && (isLabel(item.head) || /[:：]\s*$/.test(plain(item.head)));
}

/** What to call an item in a message: a table row by its first cell that is not a row number. */
function itemTitle(item: Item): string {
  if (item.kind !== 'table') return item.head;
  return item.cells?.find((c) => !/^\s*#?\d+[.)]?\s*$/.test(c) && c.trim() !== '') ?? item.head;
}

function quote(s: string, max = 48): string {
  const t = plain(s).replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

// ---------------------------------------------------------------------------
// placeholder patterns (data)

/**
 * Unfilled template text. The draft (`handoff draft`) marks the slots the
 * writer must fill with `<!-- handoff:fill ... -->` comments and
 * `TODO(handoff):` prefixes; those count too. Checked outside code.
 */
export const PLACEHOLDER_PATTERNS: ReadonlyArray<
  [label: string, pattern: RegExp, on: 'line' | 'prose', mayMatch: (text: string) => boolean]
> = [
  // `line`: the line as written; `prose`: with inline code and HTML comments removed.
  // `mayMatch`: true for every text the pattern matches (a literal it needs), so that most lines
  // skip the regex; test/quality/rules.test.ts checks it over the corpus and generated lines.
  ['an unfilled draft slot (<!-- handoff:fill -->)', /<!--\s*handoff:fill\b/i, 'line', (t) => t.includes('<!--')],
  ['a draft TODO(handoff)', /\bTODO\(handoff\)/i, 'prose', (t) => hasAsciiCi(t, 'todo(handoff)')],
  [
    '"TODO: fill"',
    /\b(?:TODO|FIXME)(?::\s*|\s+)(?:[Ff]ill|[Ww]rite|[Aa]dd|[Dd]escribe|[Cc]omplete|[Dd]ocument)\b/,
    'prose',
    (t) => t.includes('TODO') || t.includes('FIXME'),
  ],
  [
    'an angle-bracket placeholder',
    /<(?:describe|your|fill|insert|add|enter|replace|write|list|explain|summari[sz]e|summary|what|why|which|todo|placeholder|name of|e\.g\.)\b[^<>\n]{0,80}>/i,
    'prose',
    (t) => t.includes('<'),
  ],
  [
    'a bracketed placeholder',
    /\[(?:your|describe|fill|insert|enter|replace|write|list|explain|todo|tbd|placeholder|add (?:your|a|the|here))\b[^\]\n]{0,80}\](?![([])/i,
    'prose',
    (t) => t.includes('['),
  ],
  ['"TBD"', /(?<![\p{L}\p{N}_-])(?:TBD|TBC|TBA)(?![\p{L}\p{N}_-])/u, 'prose', (t) => t.includes('TB')],
  // Only as a whole value (`- {{summary}}`, `Branch: {{branch}}`): prose may name a real template variable.
  [
    'a {{template}} variable',
    /(?:^\s*(?:(?:[-*+]|\d+[.)])\s+)?|[:：]\s*)\{\{[^{}\n]{1,60}\}\}\s*$/,
    'prose',
    (t) => t.includes('{{'),
  ],
  ['"lorem ipsum"', /\blorem ipsum\b/i, 'prose', (t) => hasAsciiCi(t, 'lorem ipsum')],
  [
    '"..." alone on a line',
    /^\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:\.\.\.|…)\s*$/,
    'line',
    (t) => t.includes('...') || t.includes('…'),
  ],
  // Ends (before spaces) with the list marker or the checkbox.
  ['an empty list item', /^\s*(?:[-*+]|\d+[.)])(?:\s+\[[ xX]\])?\s*$/, 'line', (t) => /[-*+.)\]]$/.test(t.trimEnd())],
];

/**
 * Whether `text` holds `needle` (lower-case ASCII) in any case. What a
 * non-Unicode case-insensitive regex needs: it folds ASCII letters only.
 */
function hasAsciiCi(text: string, needle: string): boolean {
  return text.toLowerCase().includes(needle);
}

// ---------------------------------------------------------------------------
// The rules

const requiredSections: Rule = {
  id: 'required-sections',
  severity: 'error',
  weight: 10,
  counted: 5,
  description: 'the profile\'s sections are present and not empty (an explicit "None" counts as an answer)',
  run(ctx) {
    const out: RuleFinding[] = [];
    for (const name of ctx.required) {
      const [heading, hint] = SECTION_HINTS[name];
      // "Open Issues / Next Steps" holds both: any part of a heading may name the section.
      const found = [...ctx.sections(name), ...ctx.doc.sections.filter((s) => headingParts(s.heading).includes(name))];
      if (found.length === 0) {
        const add = ctx.doc.kind === 'yaml' ? `a "${name}:" key` : `"## ${heading}"`;
        out.push({
          line: null,
          message: `missing section "${heading}": add ${add} with ${hint} (write "None" if there is nothing)`,
        });
      } else if (found.every((s) => isBlank(s.text))) {
        out.push({
          line: found[0]!.line,
          message: `section "${found[0]!.heading || heading}" is empty: write ${hint}, or "None" if there is nothing`,
        });
      }
    }
    return out;
  },
};

const decisionRationale: Rule = {
  id: 'decision-rationale',
  severity: 'warning',
  weight: 3,
  counted: 5,
  description: 'every decision says why (a clause after a dash or colon, "because", "over", "instead of", a Why: line)',
  run(ctx) {
    const items = ctx.items('decisions');
    const fileLines = ctx.text.split('\n');
    const isReason = (it: Item | undefined) =>
      it !== undefined && (isRationaleLabel(plain(it.head)) || isRationaleLabel(plain(it.group ?? '')));
    const out: RuleFinding[] = [];
    items.forEach((it, i) => {
      if (isIntro(it) || isEmptyAnswer(itemText(it))) return;
      // "Why: ..." lines and the reasons listed under "Rationale:" explain the item before them.
      if (isReason(it) || isLongIntro(it.group)) return;
      if (hasRationale(it)) return;
      if (isReason(items[i + 1])) return;
      // "Problem: X" on the line before ("Problem: ... / Decision: ...") states the reason first.
      let k = it.line - 2;
      while (k >= 0 && (fileLines[k] ?? '').trim() === '') k--;
      const before = fileLines[k] ?? '';
      if (isProblemLabel(plain(before.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')))) return;
      out.push({
        line: it.line,
        message: `decision "${quote(itemTitle(it))}" says what but not why: add the reason after a dash ("X over Y — because Z") or on an indented "Why:" line`,
      });
    });
    return out;
  },
};

const specificInProgress: Rule = {
  id: 'specific-in-progress',
  severity: 'warning',
  weight: 3,
  counted: 5,
  description: 'each in-progress item names a file, identifier or number, or says what works and what does not',
  run(ctx) {
    return ctx
      .items('in_progress')
      .filter((it) => !isIntro(it) && !isEmptyAnswer(itemText(it)))
      .filter((it) => {
        // The group heading may carry the status ("### Room Creation Flow ✅" over its list).
        const text = `${it.group ?? ''}\n${itemText(it)}`;
        if (it.hasCode || hasConcreteTarget(itemText(it))) return false;
        return !STATUS().test(text) && !/[✅❌⚠✔✗✘☑🟢🟡🔴🟠⚪🚧⏳🔄⏸⛔🛑]/u.test(text);
      })
      .map((it) => ({
        line: it.line,
        message: `in-progress item "${quote(itemTitle(it))}" names nothing concrete: say which file, function or test, and what works and what does not`,
      }));
  },
};

const NON_IMPERATIVE = new Set(NON_IMPERATIVE_STARTS);

const actionableNextStep: Rule = {
  id: 'actionable-next-step',
  severity: 'warning',
  weight: 10,
  counted: 1,
  description:
    'the first next step is one imperative sentence naming a concrete target (file, command, test, endpoint)',
  run(ctx) {
    // The first open step: a list item or table row when there are any (a paragraph before the list is a
    // preface), skipping steps already ticked off.
    const open = ctx
      .items('next_steps')
      .filter((it) => !isIntro(it) && !it.checked && !/^\s*(?:✅|✔|☑|~~)/u.test(it.head));
    const first = open.find((it) => it.kind === 'list' || it.kind === 'table') ?? open[0];
    if (!first || isEmptyAnswer(itemText(first))) return [];
    const title = plain(first.head);
    // Leading emoji and their components (keycap digits, `#`, `*` included) go; a title that starts
    // with an ASCII letter has none, and skips building the \p{…} classes.
    const head = (
      /^[A-Za-z]/.test(title) ? title : title.replace(/^(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\s)+/u, '')
    ).replace(/^(?:step\s*\d+|p\d|priority\s*\d+|\d+[.)]|[A-Z][\w ]{0,20}:)\s*/i, '');
    const problems: string[] = [];
    if (!hasConcreteTarget(itemText(first), true)) problems.push('name the file, command, test or endpoint it acts on');
    const word = /^([A-Za-z][a-z']*)\b/.exec(head)?.[1]?.toLowerCase();
    // English only: other languages are judged by their target (design: structure over keywords).
    if (word && /^[\x20-\x7e]*$/.test(head.slice(0, 40))) {
      if (NON_IMPERATIVE.has(word) || /(?:ing|ed)$/.test(word) || /\?\s*$/.test(head)) {
        problems.unshift('start with a verb ("Run", "Fix", "Add")');
      }
    }
    if (problems.length === 0) return [];
    return [
      {
        line: first.line,
        message: `first next step "${quote(itemTitle(first))}" is not one concrete action: ${problems.join(' and ')}, e.g. "Run \`npm test -- auth\` and fix the token refresh test"`,
      },
    ];
  },
};

const VAGUE_SECTIONS: readonly CanonicalSection[] = ['in_progress', 'next_steps', 'blocked', 'deferred'];

const vague: Rule = {
  id: 'vague',
  severity: 'info',
  weight: 1,
  counted: 5,
  description: 'no "continue working on X", "fix stuff", "etc.", "various" in what the next session acts on',
  run(ctx) {
    const out: RuleFinding[] = [];
    const seen = new Set<number>();
    for (const name of VAGUE_SECTIONS) {
      for (const section of ctx.sections(name)) {
        for (const l of numberLines(section.text, textStartLine(section))) {
          if (l.code || seen.has(l.line)) continue;
          const m = VAGUE().find(stripComments(stripInlineCode(l.text)));
          if (!m) continue;
          seen.add(l.line);
          out.push({
            line: l.line,
            message: `"${m.text}" hides what is meant: name the remaining items, files or checks instead`,
          });
        }
      }
    }
    return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  },
};

/** Numbers that are not quantities: dates, times, versions, hashes, ids, list and heading numbering, ordinals. */
const NOT_QUANTITIES = lazy((): readonly RegExp[] => [
  /`[^`]*`/g,
  /\]\([^)]*\)/g,
  /https?:\/\/\S+/g,
  /\b\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?)?/g,
  /\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/g,
  /\b\d{1,2}:\d{2}(?::\d{2})?\b/g,
  /\bv?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?\b/g,
  /\b(?=[a-f0-9]*\d)(?=[a-f0-9]*[a-f])[a-f0-9]{7,40}\b/g,
  /(?<![\p{L}\p{N}_-])[\p{L}_][\p{L}\p{N}_-]*\d[\p{L}\p{N}_]*/gu,
  /^\s*(?:[-*+]\s+)?\d+[.)]\s/gm,
  /^\s*#{1,6}\s*\d+(?:\.\d+)*/gm,
  /#\d+/g,
  /\b(?:phase|step|stage|part|section|chapter|option|tier|level|priority|milestone|sprint|round|iteration|epic|issue|pr|ticket|item|task|day|week|fase|schritt|etapa|этап|шаг|단계|阶段|第)\s*\d+/giu,
  /[:#]\d+/g,
]);

const metrics: Rule = {
  id: 'metrics',
  severity: 'info',
  weight: 3,
  counted: 1,
  description: 'at least one quantity: tests passing, counts, coverage, durations',
  run(ctx) {
    const metricSections = ctx.sections('metrics');
    if (metricSections.some((s) => !isBlank(s.text) && !isEmptyAnswer(s.text))) return [];
    let prose = numberLines(ctx.doc.body, 1)
      .filter((l) => !l.code)
      .map((l) => l.text)
      .join('\n');
    prose = stripComments(prose);
    for (const re of NOT_QUANTITIES()) prose = prose.replace(re, ' ');
    // A number with a unit or a counted noun ("42 tests", "81%", "3 files", "2.5s", "12个"), or a ratio ("40/42").
    if (/(?<![\p{L}\p{N}.])\d+(?:[.,]\d+)?\s*(?:%|\p{L}|\/\s*\d)/u.test(prose)) return [];
    return [
      {
        line: null,
        message:
          'no quantity anywhere: add one measured fact, e.g. "42/42 tests pass", "coverage 81%", "3 endpoints left"',
      },
    ];
  },
};

const staleReference: Rule = {
  id: 'stale-reference',
  severity: 'warning',
  weight: 3,
  counted: 5,
  description: 'paths named in backticks or links exist in the repository (skipped when the repository is unknown)',
  async run(ctx) {
    const root = ctx.repoRoot;
    if (!root || !existsSync(root)) return [];
    // Loaded only here: `check` outside a repository (hooks, the store's user store) never needs it.
    const { staleReferences } = await import('./_stale-reference.js');
    return staleReferences(ctx, root, { numberLines, stripInlineCode, textStartLine });
  },
};

const SHELL_LANGS: ReadonlySet<string> = new Set([
  'bash',
  'sh',
  'shell',
  'zsh',
  'console',
  'powershell',
  'ps1',
  'cmd',
  'fish',
]);
const CODE_MAX_LINES = 15;
const CODE_MAX_BYTES = 1024;

const codeExcerpt: Rule = {
  id: 'code-excerpt',
  severity: 'warning',
  weight: 3,
  counted: 3,
  description: `fenced code blocks stay under ${CODE_MAX_LINES} lines and 1 KB (code belongs in the codebase)`,
  run(ctx) {
    if (ctx.doc.kind === 'yaml') return [];
    const firstLine = ctx.text.length - ctx.doc.body.length;
    const bodyLine = ctx.text.slice(0, firstLine).split('\n').length;
    return fencedBlocks(ctx.doc.body, bodyLine)
      .filter((b) => b.lines > CODE_MAX_LINES || b.bytes > CODE_MAX_BYTES)
      .map((b) => {
        const what = `code block of ${b.lines} lines${b.lang ? ` (${b.lang})` : ''}`;
        let fix =
          'code belongs in the codebase; name the file and lines (`src/x.ts:40-60`) and keep only the lines that matter';
        if (b.tree) fix = 'the repository shows its own layout; name the few paths that matter instead of the tree';
        else if (SHELL_LANGS.has(b.lang))
          fix = 'put the commands in a script or the README and name it (`scripts/dev.sh`)';
        return { line: b.line, message: `${what}: ${fix}` };
      });
  },
};

const placeholder: Rule = {
  id: 'placeholder',
  severity: 'error',
  weight: 10,
  counted: 3,
  description: 'no unfilled template text (TODO: fill, <describe ...>, [Your text here], TBD, {{...}}, draft markers)',
  run(ctx) {
    const firstLine = ctx.text.length - ctx.doc.body.length;
    const bodyLine = ctx.text.slice(0, firstLine).split('\n').length;
    const out: RuleFinding[] = [];
    for (const l of numberLines(ctx.doc.body, bodyLine)) {
      if (l.code) continue;
      // Draft markers live in comments; the rest is judged outside comments and inline code.
      const prose = stripComments(stripInlineCode(l.text));
      for (const [label, re, on, mayMatch] of PLACEHOLDER_PATTERNS) {
        const text = on === 'line' ? l.text : prose;
        if (mayMatch(text) && re.test(text)) {
          out.push({
            line: l.line,
            message: `unfilled template text (${label}): write the content or delete the line`,
          });
          break;
        }
      }
    }
    return out;
  },
};

const secret: Rule = {
  id: 'secret',
  severity: 'error',
  weight: 20,
  counted: Number.POSITIVE_INFINITY,
  description: "no credentials (secretlint's recommended preset plus handoff's own detectors)",
  async run(ctx) {
    // secretlint costs ~50 ms to load: only texts that may hold a credential pay it (see `findSecrets`).
    const { findSecrets } = await import('./secrets.js');
    return (await findSecrets(ctx.text, { prefilter: mayContainSecret })).map((f) => ({
      line: f.line,
      message: `looks like a ${f.kind} (column ${f.column}): remove it and rotate it if it is real, or store with --redact`,
    }));
  },
};

const length: Rule = {
  id: 'length',
  severity: 'warning',
  weight: 5,
  counted: 1,
  description: 'the body fits the token budget (o200k tokens; default 3,000)',
  async run(ctx) {
    // Tokens never outnumber UTF-8 bytes (`tokenUpperBound` in tokens.ts): a short handoff is
    // decided before that module loads, a body counted before is read from the token cache.
    if (Buffer.byteLength(ctx.doc.body, 'utf8') <= ctx.lengthBudget) return [];
    const { countTokens, countTokensCached } = await import('./tokens.js');
    const n = ctx.cacheDir ? await countTokensCached(ctx.doc.body, ctx.cacheDir) : await countTokens(ctx.doc.body);
    if (n <= ctx.lengthBudget) return [];
    return [
      {
        line: null,
        message: `${n} tokens, over the budget of ${ctx.lengthBudget}: cut history and detail the code or git log already holds, keep what the next session needs first`,
      },
    ];
  },
};

/** Every rule, in the order findings are reported for one line. */
export const RULES: readonly Rule[] = [
  requiredSections,
  secret,
  placeholder,
  decisionRationale,
  specificInProgress,
  actionableNextStep,
  vague,
  metrics,
  staleReference,
  codeExcerpt,
  length,
];

// ---------------------------------------------------------------------------
// Context

const ATX = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const LABEL = /^ {0,3}(?:\*\*|__)([^*_\n]{1,80}?)\s*(?:[:：]\s*(?:\*\*|__)|(?:\*\*|__)\s*[:：])\s*(.*)$/;
// `- Done:` / `- **Next:**` alone on a list line labels the sibling items after it (Continuous-Claude ledgers).
const LIST_LABEL = /^\s*(?:[-*+]|\d+[.)])\s+(?:\*\*|__)?([^*_:：\n]{1,40}?)(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*$/;

/**
 * Sections hidden inside other sections: deeper headings and bold labels
 * (`### Decisions` under `## Summary`, `**Next steps:**` in a paragraph)
 * that name a canonical section. The parser keeps them in their parent's
 * text (design: deeper headings stay inside); the rules still want them.
 */
function nestedSections(section: ParsedSection): ParsedSection[] {
  const lines = numberLines(section.text, textStartLine(section));
  const marks: Array<{ index: number; level: number; heading: string; prefix: string; inline: string }> = [];
  lines.forEach((l, index) => {
    if (l.code) return;
    // Each pattern needs a character most lines lack ('#', a colon, `**`/`__`): tested first, so
    // that a cold check compiles none of the three for a document without nested sections.
    const t = l.text;
    const colon = t.includes(':') || t.includes('：');
    if (!t.includes('#') && !colon) return;
    const atx = t.includes('#') ? ATX.exec(t) : null;
    if (atx) {
      marks.push({ index, level: atx[1]!.length, heading: atx[2] ?? '', prefix: l.text, inline: '' });
      return;
    }
    const listLabel = colon ? LIST_LABEL.exec(t) : null;
    if (listLabel) {
      marks.push({ index, level: 7, heading: listLabel[1] ?? '', prefix: l.text, inline: '' });
      return;
    }
    const label = colon && (t.includes('**') || t.includes('__')) ? LABEL.exec(t) : null;
    if (label) {
      const inline = label[2] ?? '';
      marks.push({
        index,
        level: 7,
        heading: label[1] ?? '',
        prefix: l.text.slice(0, l.text.length - inline.length),
        inline,
      });
    }
  });
  const out: ParsedSection[] = [];
  marks.forEach((m, k) => {
    // Only a heading that is a section name as a whole: a nested "### Partial Application Support"
    // is a topic, not an in-progress section.
    // "**Why:**" / "**Rationale:**" explain the item above them; they are not sections of their own.
    if (!isSectionName(m.heading) || isRationaleLabel(`${plain(m.heading)}:`)) return;
    const canonical = canonicalSection(m.heading);
    if (canonical === null || canonical === section.canonical) return;
    let end = lines.length;
    for (const next of marks.slice(k + 1)) {
      if (next.level <= m.level || m.level === 7) {
        end = next.index;
        break;
      }
    }
    if (m.inline.trim() !== '') {
      // `**Status**: Ready` is a one-liner: it ends at the first blank line.
      const blank = lines.findIndex((l, i) => i > m.index && l.text.trim() === '');
      if (blank !== -1) end = Math.min(end, blank);
    }
    const body = lines.slice(m.index + 1, end).map((l) => l.text);
    const headingLine = lines[m.index]!;
    // `raw` = heading part + `text`, so that the text's first line is the label's line when it has inline text.
    const text = m.inline.trim() !== '' ? [m.inline, ...body].join('\n') : body.join('\n');
    const prefix = m.inline.trim() !== '' ? m.prefix : `${m.prefix}\n`;
    out.push({
      heading: m.heading,
      canonical,
      text,
      level: m.level === 7 ? 0 : m.level,
      line: headingLine.line,
      raw: prefix + text,
    });
  });
  return out;
}

/** Builds the context the rules read. */
export function createRuleContext(input: {
  text: string;
  doc: ParsedHandoff;
  path: string | null;
  profile: string;
  lengthBudget: number;
  repoRoot: string | null;
  cacheDir?: string | null;
}): RuleContext {
  const required = PROFILES[input.profile] ?? [];
  const yaml = input.doc.kind === 'yaml';
  const nested = yaml ? [] : input.doc.sections.flatMap((s) => nestedSections(s).map((n) => ({ parent: s, n })));
  const byName = new Map<CanonicalSection, ParsedSection[]>();
  const all = [...input.doc.sections, ...nested.map((x) => x.n)].sort((a, b) => a.line - b.line);
  for (const s of all) {
    if (!s.canonical) continue;
    const list = byName.get(s.canonical) ?? [];
    list.push(s);
    byName.set(s.canonical, list);
  }
  // Lines owned by a nested section of another kind do not belong to its parent's items.
  const ranges = nested.map(({ n }) => {
    const start = n.line;
    const end = n.line + n.raw.split('\n').length - 1;
    return { start, end, canonical: n.canonical };
  });
  const itemCache = new Map<CanonicalSection, Item[]>();
  return {
    ...input,
    cacheDir: input.cacheDir ?? null,
    required,
    sections: (name) => byName.get(name) ?? [],
    items(name) {
      const hit = itemCache.get(name);
      if (hit) return hit;
      const items = (byName.get(name) ?? [])
        .flatMap((s) => {
          const own = ranges.filter((r) => r.canonical !== name && r.start > s.line);
          return extractItems(s, yaml).filter((it) => !own.some((r) => it.line >= r.start && it.line <= r.end));
        })
        .sort((a, b) => a.line - b.line);
      itemCache.set(name, items);
      return items;
    },
  };
}
