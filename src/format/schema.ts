/**
 * The one schema (zod) that is the source of truth for handoff front matter,
 * the JSON output of the CLI and the inputs and outputs of the MCP tools
 * (design.md, "The handoff document (format v1)"; style.md point 3). Every
 * structured result the library hands to `--json` and to the MCP tools
 * (check results, draft facts, resume briefings, decisions, import reports)
 * is declared here once; the modules that build them re-export the inferred
 * types under their old names, and `src/mcp/schemas.ts` publishes these
 * schemas as the tools' output schemas.
 *
 * zod costs ~50 ms to import, so hot paths (list, retrieve and search served
 * from the index, resume, hook dispatch) import only the *types* from here
 * (`import type`), and load this module with `await import()` when a file is
 * written or (re)indexed.
 */
import { z } from 'zod';
import { CANONICAL_SECTIONS, WORK_TYPES } from './constants.js';

export const CanonicalSectionSchema = z.enum(CANONICAL_SECTIONS);

export const WorkTypeSchema = z.enum(WORK_TYPES);

/** 8 lowercase hex characters, e.g. `a3f9c12e`. */
export const HandoffIdSchema = z.string().regex(/^[0-9a-f]{8}$/, 'an id is 8 lowercase hex characters, e.g. a3f9c12e');

/** ISO 8601 date-time, normalised to UTC with a `Z` suffix. */
export const IsoDateTimeSchema = z.iso.datetime({ offset: true });

/** A name or project: no `/`, no `..`, no control characters, 1-200 chars. */
export const SafeNameSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !s.includes('/') && !s.includes('\\') && !s.includes('..'), {
    message: "must not contain '/', '\\' or '..'",
  })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: 'must not contain control characters' });

export const GitInfoSchema = z
  .object({
    branch: z.string().optional().describe('branch checked out when the handoff was written'),
    commit: z.string().optional().describe('full HEAD commit hash'),
    dirty: z.boolean().optional().describe('uncommitted changes were present'),
  })
  .loose();

/**
 * Front matter of a handoff file. Everything but `id` and `created` is
 * optional; unknown keys are kept (`.loose()`).
 */
export const FrontMatterSchema = z
  .object({
    handoff: z.literal(1).optional().describe('format version'),
    id: HandoffIdSchema.describe('8 lowercase hex chars, random'),
    name: SafeNameSchema.optional().describe('reusable name; retrieve --name gives the newest with it'),
    project: SafeNameSchema.optional().describe('project the handoff belongs to'),
    summary: z.string().max(500).optional().describe('one-line summary'),
    tags: z.array(z.string()).optional().describe('free-form tags'),
    created: IsoDateTimeSchema.describe('ISO 8601, UTC'),
    expires: IsoDateTimeSchema.optional().describe('ISO 8601, UTC; absent = never'),
    work_type: WorkTypeSchema.optional().describe('kind of work the session did'),
    agent: z.string().optional().describe('who wrote it, free text (claude-code, codex, a person)'),
    git: GitInfoSchema.optional().describe('repository state when it was written'),
    parent: HandoffIdSchema.optional().describe('previous handoff in the same chain'),
    auto: z.boolean().optional().describe('true for automatic checkpoints written by hooks'),
  })
  .loose();

/** One section of a handoff, in document order. */
export const SectionSchema = z.object({
  heading: z.string().describe('heading text as written ("" for the preamble)'),
  canonical: CanonicalSectionSchema.nullable().describe('canonical section name, or null for an unknown section'),
  text: z.string().describe('section body without its heading line'),
});

/**
 * `retrieve ID --json` and every structured output that carries a whole
 * handoff: the front matter fields plus `sections`. Scripts rely on this
 * shape (issue 2); keep it stable and only add optional fields.
 */
export const HandoffJsonSchema = FrontMatterSchema.extend({
  sections: z.array(SectionSchema),
  path: z.string().optional().describe('file path relative to the store root'),
  store: z.string().optional().describe('absolute path of the store directory'),
});

/** One row of `list` / one hit of `search`: the metadata without the body. */
export const HandoffSummarySchema = z.object({
  id: HandoffIdSchema.describe('8 lowercase hex chars'),
  name: z.string().nullable().describe('reusable name, or null'),
  project: z.string().nullable().describe('project the handoff belongs to, or null'),
  summary: z.string().nullable().describe('one-line summary, or null'),
  tags: z.array(z.string()).describe('free-form tags (empty when none)'),
  created: z.string().describe('ISO 8601, UTC (the file time when the front matter has none)'),
  expires: z.string().nullable().describe('ISO 8601, UTC; null = never'),
  work_type: z.string().nullable().describe('kind of work the session did, or null'),
  agent: z.string().nullable().describe('who wrote it, or null'),
  branch: z.string().nullable().describe('git branch it was written on, or null'),
  commit: z.string().nullable().describe('git commit it was written at, or null'),
  parent: z.string().nullable().describe('id of the previous handoff in the same chain, or null'),
  auto: z.boolean().describe('automatic checkpoint written by a hook'),
  expired: z.boolean().describe('expires is in the past'),
  path: z.string().describe('file path relative to the store root'),
});

export const SearchHitSchema = HandoffSummarySchema.extend({
  score: z.number().describe('BM25 score, lower is better (SQLite convention)'),
  snippet: z.string().describe('matching text with [match] markers'),
  section: z.string().nullable().describe('canonical section of the best match, if known'),
});

// ------------------------------------------------------------------ results
// What the library returns and `--json` / the MCP tools print. Plain
// `z.object`s: the MCP server parses each result through its schema, which
// drops keys not declared here, so a field the library adds must be added
// here too (the compiler enforces it: the library's types are inferred from
// these schemas).

/** How bad a quality finding is; `error` makes `check` fail (exit 1). */
export const SeveritySchema = z.enum(['error', 'warning', 'info']);

/** One quality finding (`check`, `store`). */
export const FindingSchema = z.object({
  rule: z.string().describe('rule id, e.g. decision-rationale'),
  severity: SeveritySchema.describe('error makes check fail; warning and info only cost score'),
  message: z.string().describe('what is wrong and how to fix it'),
  line: z.number().int().nullable().describe('1-based line in the file, or null for the whole document'),
});

/** `checkHandoff`'s result (design.md, "Quality rules (`check`)"). */
export const CheckResultSchema = z.object({
  score: z.number().describe('0-100: 100 minus the weight of every counted finding, floored at 0'),
  profile: z.string().describe('required-sections profile applied: five-field, six-section, package or full'),
  errors: z.number().int().describe('number of error findings'),
  warnings: z.number().int().describe('number of warning findings'),
  infos: z.number().int().describe('number of info findings'),
  findings: z.array(FindingSchema).describe('sorted by line (document-wide findings first), then rule order'),
});

/** What `storeHandoff` did (`store --json`). */
export const StoreResultSchema = z.object({
  id: HandoffIdSchema.describe('id of the new handoff'),
  key: z.string().describe('file path relative to the store root'),
  path: z.string().describe('absolute path of the file the handoff was written to'),
  findings: z.array(FindingSchema).describe('quality findings; the handoff is stored regardless'),
  redacted: z.number().int().describe('credentials redacted before storing'),
});

/**
 * One retrieved handoff as structured data (`handoff_retrieve`): the JSON
 * form of `RetrievedHandoff` of src/service/handoffs.ts, whose `json` is
 * published as `handoff`.
 */
export const RetrievedHandoffJsonSchema = z.object({
  summary: HandoffSummarySchema.describe('metadata of the handoff, as handoff_list gives it'),
  handoff: HandoffJsonSchema.describe('front matter fields plus sections'),
  warnings: z.array(z.string()).describe('problems noticed while reading, e.g. redacted credentials'),
});

// ---- draft facts (src/capture/)

/** One commit, newest first in `GitFacts.commits`. */
export const GitCommitSchema = z.object({
  hash: z.string().describe('full commit hash'),
  subject: z.string().describe('first line of the message'),
  date: z.string().describe('author date, ISO 8601 with offset (%aI)'),
});

/** One file changed since the base commit (committed and working-tree changes together). */
export const GitFileChangeSchema = z.object({
  path: z.string().describe('path relative to the repository root, /-separated; the new path of a rename'),
  from: z.string().optional().describe('old path when git detected a rename, else absent'),
  added: z.number().int().nullable().describe('lines added; null for a binary file'),
  removed: z.number().int().nullable().describe('lines removed; null for a binary file'),
});

/** One uncommitted path from `git status`. */
export const GitUncommittedFileSchema = z.object({
  path: z.string().describe('path relative to the repository root'),
  status: z
    .string()
    .describe("git's two-letter short status (git status --short): 'M ' staged, ' M' modified, '??' untracked, 'UU'…"),
});

/** `collectGitFacts`'s result: the repository state `draft` records. */
export const GitFactsSchema = z.object({
  root: z.string().describe('absolute repository root'),
  branch: z.string().describe('current branch; HEAD when detached'),
  detached: z.boolean().describe('HEAD is detached'),
  head: z.string().nullable().describe('full HEAD hash; null in a repository without commits'),
  dirty: z.boolean().describe('any staged, unstaged or untracked change (ignored files excluded)'),
  upstream: z.string().nullable().describe('upstream branch, e.g. origin/main, or null'),
  ahead: z.number().int().describe('commits ahead of the upstream; 0 without one'),
  behind: z.number().int().describe('commits behind the upstream; 0 without one'),
  sinceCommit: z.string().nullable().describe('commit the facts are measured from, as given; null when none was given'),
  sinceFound: z
    .boolean()
    .describe('sinceCommit is a commit of this repository; false: commits are the last 10 and files their changes'),
  commits: z.array(GitCommitSchema).describe('newest first, at most 50'),
  commitsTotal: z.number().int().describe('number of commits in the range, of which commits is the head'),
  files: z
    .array(GitFileChangeSchema)
    .describe('changed files with line counts since the base, committed and working-tree; untracked excluded'),
  uncommitted: z.array(GitUncommittedFileSchema).describe('uncommitted paths from git status, untracked included'),
});

/** Test runners whose console output `parseTestOutput` recognises. */
export const TestRunnerSchema = z.enum(['vitest', 'jest', 'cargo', 'pytest', 'go', 'node', 'mocha']);

/** Counts parsed from one test run's output. */
export const TestSummarySchema = z.object({
  runner: TestRunnerSchema.describe('runner whose summary format was recognised'),
  passed: z.number().int().describe('passed tests (or packages, see unit)'),
  failed: z.number().int().describe('failed tests; pytest errors and node cancelled tests included'),
  skipped: z.number().int().describe('skipped, ignored, pending and todo tests'),
  failures: z.array(z.string()).describe('names of failing tests as the runner prints them, at most 20, distinct'),
  unit: z.enum(['tests', 'packages']).describe('what the counts count: packages for go test output without -v'),
});

/** Transcript formats recognised by content. */
export const TranscriptFormatSchema = z.enum(['claude-code', 'codex', 'unknown']);

/** One command the agent ran, from its transcript. */
export const TranscriptCommandSchema = z.object({
  command: z.string().describe('the command line (bash -lc X unwrapped to X), at most 1,000 characters'),
  failed: z.boolean().describe('its result was an error or a non-zero exit; false also when no result was seen'),
  callId: z.string().nullable().describe('tool call id tying the call to its result, when the format has one'),
});

/** `digestTranscript`'s result; lists are in transcript order. */
export const TranscriptDigestSchema = z.object({
  format: TranscriptFormatSchema.describe('transcript format recognised by content'),
  sessionId: z.string().nullable().describe('session id, when the transcript records one'),
  cwd: z.string().nullable().describe('working directory of the session (the first one seen), or null'),
  filesEdited: z
    .array(z.string())
    .describe('files the agent wrote or edited, distinct; relative to cwd when inside it'),
  commands: z.array(TranscriptCommandSchema).describe('commands run, and whether they failed'),
  userRequests: z
    .array(z.string())
    .describe("the user's own messages, whitespace collapsed, each at most 200 characters"),
  startOffset: z.number().int().describe('byte offset reading started at'),
  endOffset: z
    .number()
    .int()
    .describe('byte offset just after the last complete line read: the fromOffset of the next read'),
  lines: z.number().int().describe('non-empty lines read'),
  badLines: z.number().int().describe('lines that were not valid JSON (skipped)'),
  lateResults: z
    .array(
      z.object({
        callId: z.string().describe('tool call id of the earlier command'),
        failed: z.boolean().describe('whether the result failed (only failed results are listed)'),
      }),
    )
    .describe('failed results whose tool call was before startOffset: the caller marks that earlier command failed'),
});

/** The test run as `draft` records it (the full output is not kept). */
export const DraftTestFactsSchema = z.object({
  command: z.string().describe('the test command, run through sh -c'),
  exitCode: z.number().int().describe("the shell's exit status; 124 after the timeout, 128 + signal when killed"),
  timedOut: z.boolean().describe('the command was killed after the timeout'),
  durationMs: z.number().int().describe('wall-clock duration in milliseconds'),
  summary: TestSummarySchema.nullable().describe('parsed counts, or null when the output has no known summary'),
  outputTail: z.string().describe('last lines of the output (at most 20 lines / 2,000 characters)'),
});

/** An open item of the previous handoff, carried into the draft. */
export const CarriedItemSchema = z.object({
  section: CanonicalSectionSchema.extract(['in_progress', 'next_steps', 'deferred', 'blocked']).describe(
    'canonical section the item came from',
  ),
  text: z.string().describe('the item, one line, at most 300 characters'),
});

/** Everything `draft` collects; `draft --json` and `handoff_draft` return it as is. */
export const DraftFactsSchema = z.object({
  git: GitFactsSchema.nullable().describe(
    'branch, HEAD, commits and changed files since the previous handoff; null outside git',
  ),
  tests: DraftTestFactsSchema.nullable().describe(
    'test run and its parsed pass/fail counts; null when no test command was run',
  ),
  transcript: TranscriptDigestSchema.nullable().describe(
    'files edited, commands run (and whether they failed), user requests; null without a transcript',
  ),
  previous: z
    .object({
      id: HandoffIdSchema.describe('id of the previous handoff'),
      key: z.string().describe('path of the handoff in its store'),
    })
    .nullable()
    .describe('the previous written (non-automatic) handoff of this project, or null'),
  carried: z
    .array(CarriedItemSchema)
    .describe('open items of the previous handoff, carried forward for the writer to confirm or drop'),
});

/** `draftHandoff`'s result. */
export const DraftResultSchema = z.object({
  text: z
    .string()
    .describe('the draft: markdown with front matter (no id or created: store assigns them), to complete and store'),
  facts: DraftFactsSchema.describe('the facts a machine could collect, from which the draft was written'),
});

// ---- resume and decisions (src/resume/)

/** One commit made since the handoff. */
export const DriftCommitSchema = z.object({
  hash: z.string().describe('full commit hash'),
  subject: z.string().describe('first line of the message'),
  date: z.string().describe('author date, ISO 8601 with offset'),
});

/** One path changed since the handoff's commit (working tree included). */
export const DriftFileSchema = z.object({
  status: z
    .string()
    .describe('git --name-status letter: A added, M modified, D deleted, R renamed, C copied, T type changed'),
  path: z.string().describe('path relative to the repository root, /-separated; the new path of a rename'),
  from: z.string().optional().describe('old path of a rename or copy'),
});

/** The current branch's upstream and how far HEAD is from it. */
export const DriftUpstreamSchema = z.object({
  name: z.string().describe('upstream branch, e.g. origin/main'),
  ahead: z.number().int().describe('commits on HEAD not on the upstream'),
  behind: z.number().int().describe('commits on the upstream not on HEAD'),
});

/** `computeDrift`'s result: what changed in the repository since a handoff was written. */
export const DriftSchema = z.object({
  base: z
    .enum(['commit', 'date', 'none'])
    .describe(
      "what 'since' is measured from: the handoff's commit, the last commit before its date, or nothing usable",
    ),
  since: z.string().nullable().describe('full hash of the base commit, or null when base is none'),
  handoffCommit: z.string().nullable().describe('the commit the handoff recorded, as written; null when none'),
  commitFound: z.boolean().describe('false when the repository does not have the commit the handoff recorded'),
  head: z.string().nullable().describe('current HEAD (full hash), or null in a repository without commits'),
  branch: z.string().nullable().describe('current branch, or null when HEAD is detached'),
  handoffBranch: z.string().nullable().describe('branch the handoff was written on, or null when it recorded none'),
  branchSwitched: z.boolean().describe('the handoff was written on another branch than the current one'),
  commitsSince: z.number().int().describe('commits on HEAD after the base'),
  commits: z.array(DriftCommitSchema).describe('the newest of them, newest first, capped'),
  files: z
    .array(DriftFileSchema)
    .describe('changed paths between the base and the working tree (untracked excluded), capped'),
  filesTotal: z.number().int().describe('number of changed paths before the cap'),
  upstream: DriftUpstreamSchema.nullable().describe('the upstream and the distance to it, or null without one'),
  notAncestor: z.boolean().describe("the handoff's commit exists but is not in HEAD's history"),
  rewritten: z.boolean().describe('history was rewritten under the handoff (rebase, amend, reset, force-push)'),
  lostCommits: z.number().int().describe("commits reachable from the handoff's commit but not from HEAD"),
});

/** One section as it went into the resume briefing. */
export const ResumeSectionSchema = z.object({
  name: z.string().describe('canonical name, or the heading of an unknown section (intro before the first heading)'),
  heading: z.string().describe('heading text as written'),
  canonical: z.string().nullable().describe('canonical section name, or null'),
  form: z
    .enum(['full', 'partial', 'first-step', 'one-line'])
    .describe('full section, its first items, only next step 1, or one line per decision'),
  text: z.string().describe('the text as included (sanitized, redacted), without the heading'),
  tokens: z.number().int().describe('tokens charged: exact for full, a conservative estimate otherwise'),
});

/** `buildResume`'s result (`resume --format json`, `handoff_resume`). */
export const ResumeResultSchema = z.object({
  text: z.string().describe('the briefing to read before starting work (at most 10,000 characters)'),
  handoff: HandoffSummarySchema.nullable().describe(
    'the handoff the briefing is built from, or null when there is none',
  ),
  source: z
    .enum(['repo', 'user', 'memory'])
    .nullable()
    .describe('kind of store the handoff came from, or null without a handoff'),
  checkpoint: z.boolean().describe('the handoff is an automatic checkpoint (auto: true)'),
  nextStep: z.string().nullable().describe('next step 1, to begin with; null when the handoff has none'),
  decisions: z.array(z.string()).describe('one line per decision included'),
  decisionsLeftOut: z.number().int().describe('decisions whose one-line form did not fit the budget'),
  sections: z.array(ResumeSectionSchema).describe('sections included, in document order'),
  dropped: z.array(z.string()).describe('parts left out or cut to fit the budget, highest priority first'),
  drift: DriftSchema.nullable().describe('what changed in the repository since the handoff; null outside git'),
  stale: z.array(z.string()).describe('paths named in the handoff that no longer exist'),
  redacted: z.number().int().describe('credentials redacted from the handoff text'),
  tokens: z.number().int().describe('token count of text: exact when tokensExact, else a conservative estimate'),
  tokensExact: z.boolean().describe('tokens is an exact o200k count'),
  budget: z.number().int().describe('token budget applied'),
  overBudget: z.boolean().describe('even the parts always kept exceed the budget'),
});

/** An earlier decision on the same subject, shown beside a later one. */
export const DecisionRelationSchema = z.object({
  handoffId: HandoffIdSchema.describe('handoff that recorded the earlier decision'),
  date: z.string().describe('created date of that handoff (ISO 8601)'),
  decision: z.string().describe("the earlier decision's text"),
  relation: z
    .enum(['revisits', 'reverses'])
    .describe('reverses: the later decision undoes this one; revisits: same subject, not undone'),
});

/** One row of `decisions` (`decisions --json`, `handoff_decisions`). */
export const DecisionEntrySchema = z.object({
  decision: z.string().describe('what was decided, one line'),
  rationale: z.string().nullable().describe('why, or null when the handoff does not say'),
  date: z.string().describe('created date of the handoff that first recorded it (ISO 8601)'),
  handoffId: HandoffIdSchema.describe('handoff that first recorded it'),
  handoffName: z.string().nullable().describe('name of that handoff, or null'),
  path: z.string().describe('that handoff in its store (relative path)'),
  subject: z.string().describe('significant terms of the decision, sorted: what "same subject" compares'),
  related: z
    .array(DecisionRelationSchema)
    .describe('earlier decisions on the same subject that this one revisits or reverses, newest first (at most 5)'),
  occurrences: z.number().int().describe('how many handoffs recorded it with the same words'),
});

// ---- import (src/service/import.ts)

/** One document's fate in `import`. */
export const ImportItemSchema = z.object({
  source: z.string().describe('path of the document, or handoff.db#<id>'),
  id: HandoffIdSchema.optional().describe('id it has (or would have) in the store'),
  key: z.string().optional().describe('file it was (or would be) written to, relative to the store root'),
  reason: z.string().optional().describe('why it was skipped or refused'),
});

/** What `import` did (`import --json`). */
export const ImportReportSchema = z.object({
  imported: z.array(ImportItemSchema).describe('documents imported (or, with --dry-run, that would be)'),
  skipped: z.array(ImportItemSchema).describe('documents already in the store'),
  refused: z.array(ImportItemSchema).describe('documents refused: credentials without --redact, unreadable, invalid'),
});

export type CanonicalSection = z.infer<typeof CanonicalSectionSchema>;
export type WorkType = z.infer<typeof WorkTypeSchema>;
export type GitInfo = z.infer<typeof GitInfoSchema>;
export type FrontMatter = z.infer<typeof FrontMatterSchema>;
export type Section = z.infer<typeof SectionSchema>;
export type HandoffJson = z.infer<typeof HandoffJsonSchema>;
export type HandoffSummary = z.infer<typeof HandoffSummarySchema>;
export type SearchHit = z.infer<typeof SearchHitSchema>;

/** How bad a finding is. `error` makes `check` fail (exit 1). */
export type Severity = z.infer<typeof SeveritySchema>;
/** One problem found in a handoff. `line` is 1-based in the file, null for the whole document. */
export type Finding = z.infer<typeof FindingSchema>;
/** Result of `checkHandoff`: score 0-100, counts per severity, findings. */
export type CheckResult = z.infer<typeof CheckResultSchema>;
/** What `storeHandoff` did. `path` is absolute, `key` relative to the store root. */
export type StoreResult = z.infer<typeof StoreResultSchema>;
/** One retrieved handoff as structured data (`handoff_retrieve`). */
export type RetrievedHandoffJson = z.infer<typeof RetrievedHandoffJsonSchema>;
/** One commit, newest first in `GitFacts.commits`. */
export type GitCommit = z.infer<typeof GitCommitSchema>;
/** One file changed since the base commit; `added`/`removed` null for a binary file. */
export type GitFileChange = z.infer<typeof GitFileChangeSchema>;
/** One uncommitted path from `git status`, with its two-letter short status. */
export type GitUncommittedFile = z.infer<typeof GitUncommittedFileSchema>;
/** What `collectGitFacts` returns. */
export type GitFacts = z.infer<typeof GitFactsSchema>;
/** Runners `parseTestOutput` recognises. */
export type TestRunner = z.infer<typeof TestRunnerSchema>;
/** Counts parsed from one test run. */
export type TestSummary = z.infer<typeof TestSummarySchema>;
/** Transcript formats recognised by content. */
export type TranscriptFormat = z.infer<typeof TranscriptFormatSchema>;
/** One command the agent ran. */
export type TranscriptCommand = z.infer<typeof TranscriptCommandSchema>;
/** What `digestTranscript` returns. Lists are in transcript order. */
export type TranscriptDigest = z.infer<typeof TranscriptDigestSchema>;
/** The test run as recorded in the draft's facts (the full output is not kept). */
export type DraftTestFacts = z.infer<typeof DraftTestFactsSchema>;
/** An open item of the previous handoff, carried into the draft. */
export type CarriedItem = z.infer<typeof CarriedItemSchema>;
/** Everything collected for a draft; `--json` and the MCP tool return it as is. */
export type DraftFacts = z.infer<typeof DraftFactsSchema>;
/** What `draftHandoff` returns: the markdown draft and its facts. */
export type DraftResult = z.infer<typeof DraftResultSchema>;
/** One commit made since the handoff. */
export type DriftCommit = z.infer<typeof DriftCommitSchema>;
/** One path changed since the handoff's commit (working tree included). */
export type DriftFile = z.infer<typeof DriftFileSchema>;
/** An upstream branch and the distance from HEAD to it. */
export type DriftUpstream = z.infer<typeof DriftUpstreamSchema>;
/** What `computeDrift` reports. Counts are plain numbers; lists are capped (see the `*Total` fields). */
export type Drift = z.infer<typeof DriftSchema>;
/** One section as it went into the resume briefing. */
export type ResumeSection = z.infer<typeof ResumeSectionSchema>;
/** What `buildResume` returns; `resume --format json` prints it as is. */
export type ResumeResult = z.infer<typeof ResumeResultSchema>;
/** An earlier decision on the same subject, shown beside a later one. */
export type DecisionRelation = z.infer<typeof DecisionRelationSchema>;
/** One row of `handoff decisions`. */
export type DecisionEntry = z.infer<typeof DecisionEntrySchema>;
/** One document's fate in `import`. `source` is a path, or `handoff.db#<id>`. */
export type ImportItem = z.infer<typeof ImportItemSchema>;
/** What `import` did: imported, skipped (already there), refused (secrets, unreadable). */
export type ImportReport = z.infer<typeof ImportReportSchema>;
