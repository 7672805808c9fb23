/**
 * Input and output schemas of the MCP tools. Every field that exists in the
 * handoff format is taken from `src/format/schema.ts` (design.md: "One schema
 * (zod) is the source of truth for front matter, MCP tool inputs and JSON
 * output"); only the descriptions are re-worded where the original talks in
 * CLI flags. What the format schema does not have yet (quality findings,
 * resume and decision results) is declared here, next to its only user.
 *
 * Loaded only by the MCP server, never by the CLI's hot path (zod costs
 * ~50 ms to import).
 */
import { z } from 'zod';
import {
  CanonicalSectionSchema,
  FrontMatterSchema,
  HandoffJsonSchema,
  HandoffSummarySchema,
  IsoDateTimeSchema,
  SearchHitSchema,
  WorkTypeSchema,
} from '../format/schema.js';
import { PROFILES } from '../quality/rules.js';

const fm = FrontMatterSchema.shape;

/** A full id or a unique prefix of one (1-8 lowercase hex characters). */
const IdOrPrefixSchema = z
  .string()
  .regex(/^[0-9a-f]{1,8}$/, 'an id is 1-8 lowercase hex characters: a full id such as a3f9c12e or a unique prefix');

/** `check` profiles (design.md, "The handoff document": five-field, six-section, package, full). */
const ProfileSchema = z.enum(Object.keys(PROFILES) as [string, ...string[]]);

/** A date (`2026-11-21`) or an ISO 8601 date-time with offset. */
const SinceSchema = z.union([IsoDateTimeSchema, z.iso.date()]);

/** Filters shared by handoff_list and handoff_search (`HandoffFilter`). */
const filterShape = {
  project: fm.project.describe('only handoffs of this project (default: every project in the store)'),
  tag: z.string().min(1).optional().describe('only handoffs carrying this tag'),
  name: fm.name.describe('only handoffs with this name'),
  since: SinceSchema.optional().describe(
    'only handoffs created at or after this date or ISO 8601 date-time, e.g. 2026-11-01',
  ),
  all: z.boolean().optional().describe('also include expired handoffs (hidden by default)'),
};

// ---------------------------------------------------------------- inputs

export const StoreInputShape = {
  content: z
    .string()
    .min(1)
    .describe(
      'the handoff document in markdown, at most 1 MiB: sections such as ## Accomplished, ## Decisions ' +
        '(each with its reason), ## In Progress, ## Deferred, ## Blocked, ## Next Steps; YAML front matter is optional',
    ),
  name: fm.name.describe('reusable name, e.g. todo-api-state; handoff_retrieve by name returns the newest with it'),
  summary: fm.summary.describe('one line saying where the work stands (at most 500 characters)'),
  ttl: z
    .string()
    .optional()
    .describe(
      'time to live: a number with h, d or w, e.g. 12h, 14d, 2w; absent = never expires (or the configured default)',
    ),
  project: fm.project.describe(
    'project the handoff belongs to (default: the configured project or the repository name)',
  ),
  tags: fm.tags.describe('free-form tags, e.g. ["api", "auth"]'),
  work_type: fm.work_type,
  parent: fm.parent.describe('id of the previous handoff in the same chain of work'),
  agent: fm.agent.describe('who writes it, e.g. claude-code (default: the name of this MCP client)'),
  redact: z
    .boolean()
    .optional()
    .describe('redact detected credentials and store the rest, instead of refusing the whole handoff'),
};

export const RetrieveInputShape = {
  id: IdOrPrefixSchema.optional().describe('handoff id or a unique prefix of one, e.g. a3f9'),
  name: fm.name.describe('newest handoff with this name (used when no id is given)'),
  project: fm.project.describe('with name or neither id nor name: only handoffs of this project'),
  all: z.boolean().optional().describe('also consider expired handoffs'),
};

export const ListInputShape = {
  ...filterShape,
  limit: z.number().int().min(1).max(500).default(50).describe('at most this many handoffs, newest first'),
};

export const SearchInputShape = {
  query: z
    .string()
    .min(1)
    .describe('words to look for, ranked with BM25, e.g. "why postgres" (taken as plain words, not a query syntax)'),
  section: CanonicalSectionSchema.optional().describe('only match text in this canonical section, e.g. decisions'),
  ...filterShape,
  limit: z.number().int().min(1).max(100).default(10).describe('at most this many hits, best first'),
};

export const CheckInputShape = {
  text: z.string().min(1).optional().describe('the handoff document to check (give text or id, not both)'),
  id: IdOrPrefixSchema.optional().describe(
    'id (or unique prefix) of a stored handoff to check (give text or id, not both)',
  ),
  profile: ProfileSchema.optional().describe(
    'which sections are required: five-field, six-section, package or full (default: the configured profile)',
  ),
};

export const DraftInputShape = {
  work_type: WorkTypeSchema.optional().describe('kind of work the session did; picks the template'),
  name: fm.name.describe('name to put in the draft front matter'),
  summary: fm.summary.describe('one-line summary to put in the draft front matter'),
  transcript: z
    .string()
    .min(1)
    .optional()
    .describe(
      'absolute path of this session transcript (Claude Code or Codex JSONL) to take edited files and commands from',
    ),
};

export const ResumeInputShape = {
  budget: z
    .number()
    .int()
    .min(100)
    .max(100_000)
    .optional()
    .describe('token budget of the briefing (default: the configured resume_budget, 1500)'),
  branch: z.string().min(1).optional().describe('prefer the newest handoff written on this git branch'),
  after_compaction: z
    .boolean()
    .optional()
    .describe('true right after the context was compacted: also offers the newest automatic checkpoint'),
};

export const DecisionsInputShape = {
  query: z.string().min(1).optional().describe('only decisions matching these words'),
  project: fm.project.describe('only decisions of this project (default: the current project)'),
  all: z.boolean().optional().describe('also include decisions from expired handoffs'),
};

// ---------------------------------------------------------------- outputs

/** One quality finding (`Finding` of src/quality/check.ts). */
export const FindingSchema = z.object({
  rule: z.string().describe('rule id, e.g. decision-rationale'),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string().describe('what is wrong and how to fix it'),
  line: z.number().int().nullable().describe('1-based line in the document, if known'),
});

export const StoreOutputSchema = z.object({
  id: fm.id,
  path: z.string().describe('file the handoff was written to'),
  findings: z.array(FindingSchema).describe('quality findings; the handoff is stored regardless'),
  redacted: z.number().int().describe('credentials redacted before storing'),
});

export const RetrieveOutputSchema = z.object({
  summary: HandoffSummarySchema,
  handoff: HandoffJsonSchema,
  warnings: z.array(z.string()).describe('problems noticed while reading, e.g. redacted credentials'),
});

export const ListOutputSchema = z.object({
  handoffs: z.array(HandoffSummarySchema).describe('newest first'),
});

export const SearchOutputSchema = z.object({
  hits: z.array(SearchHitSchema).describe('best first'),
});

export const CheckOutputSchema = z.object({
  score: z.number().describe('0-100; 100 minus the weight of every finding'),
  profile: z.string(),
  passed: z.boolean().describe('true when there are no error findings'),
  errors: z.number().int(),
  warnings: z.number().int(),
  infos: z.number().int(),
  findings: z.array(FindingSchema),
});

/**
 * `DraftFacts` of src/capture/draft.ts. The git, test and transcript records
 * declare the fields an agent reads and pass the rest through (`loose`).
 */
const DraftFactsSchema = z.object({
  git: z
    .looseObject({
      branch: z.string(),
      head: z.string().nullable(),
      dirty: z.boolean(),
      commits: z.array(z.looseObject({ hash: z.string(), subject: z.string() })).describe('newest first'),
      files: z
        .array(z.looseObject({ path: z.string(), added: z.number().nullable(), removed: z.number().nullable() }))
        .describe('changed files with added/removed line counts'),
    })
    .nullable()
    .describe('branch, HEAD, commits and changed files since the previous handoff; null outside git'),
  tests: z
    .looseObject({ command: z.string(), exitCode: z.number() })
    .nullable()
    .describe('test run and its parsed pass/fail counts; null when no test command was run'),
  transcript: z
    .looseObject({
      format: z.string(),
      filesEdited: z.array(z.string()),
      commands: z.array(z.looseObject({ command: z.string(), failed: z.boolean() })),
      userRequests: z.array(z.string()),
    })
    .nullable()
    .describe('files edited, commands run (and whether they failed), user requests; null without a transcript'),
  previous: z
    .object({ id: fm.id, key: z.string().describe('path of the handoff in its store') })
    .nullable()
    .describe('the previous written handoff of this project'),
  carried: z
    .array(z.object({ section: CanonicalSectionSchema, text: z.string() }))
    .describe('open items of the previous handoff, carried forward for the writer to confirm or drop'),
});

export const DraftOutputSchema = z.object({
  text: z.string().describe('the draft: markdown with front matter, to complete and pass to handoff_store'),
  facts: DraftFactsSchema,
});

/** `Drift` of src/resume/drift.ts: what changed in the repository since the handoff was written. */
const DriftSchema = z.object({
  base: z
    .enum(['commit', 'date', 'none'])
    .describe("what 'since' is measured from: the handoff's commit, its date, or nothing"),
  since: z.string().nullable().describe('base commit hash'),
  handoffCommit: z.string().nullable(),
  commitFound: z.boolean().describe('false when the repository does not have the commit the handoff recorded'),
  head: z.string().nullable(),
  branch: z.string().nullable(),
  handoffBranch: z.string().nullable(),
  branchSwitched: z.boolean(),
  commitsSince: z.number().int(),
  commits: z
    .array(z.object({ hash: z.string(), subject: z.string(), date: z.string() }))
    .describe('newest first, capped'),
  files: z
    .array(z.object({ status: z.string(), path: z.string(), from: z.string().optional() }))
    .describe('changed paths (git name-status letters), capped'),
  filesTotal: z.number().int(),
  upstream: z.object({ name: z.string(), ahead: z.number().int(), behind: z.number().int() }).nullable(),
  notAncestor: z.boolean(),
  rewritten: z.boolean().describe('history was rewritten under the handoff (rebase, amend, reset, force-push)'),
  lostCommits: z.number().int(),
});

/** `ResumeResult` of src/resume/resume.ts (the same keys as `handoff resume --format json`). */
export const ResumeOutputSchema = z.object({
  text: z.string().describe('the briefing to read before starting work (at most 10,000 characters)'),
  handoff: HandoffSummarySchema.nullable().describe(
    'the handoff the briefing is built from, or null when there is none',
  ),
  source: z.enum(['repo', 'user', 'memory']).nullable().describe('store the handoff came from'),
  checkpoint: z.boolean().describe('the handoff is an automatic checkpoint'),
  nextStep: z.string().nullable().describe('next step 1, to begin with'),
  decisions: z.array(z.string()).describe('one line per decision included'),
  decisionsLeftOut: z.number().int(),
  sections: z
    .array(
      z.object({
        name: z.string(),
        heading: z.string(),
        canonical: z.string().nullable(),
        form: z.enum(['full', 'partial', 'first-step', 'one-line']),
        text: z.string(),
        tokens: z.number().int(),
      }),
    )
    .describe('sections included, in document order'),
  dropped: z.array(z.string()).describe('parts left out or cut to fit the budget'),
  drift: DriftSchema.nullable().describe('what changed in the repository since the handoff; null outside git'),
  stale: z.array(z.string()).describe('paths named in the handoff that no longer exist'),
  redacted: z.number().int().describe('credentials redacted from the handoff text'),
  tokens: z.number().int().describe('token count of text'),
  tokensExact: z.boolean(),
  budget: z.number().int().describe('token budget applied'),
  overBudget: z.boolean().describe('even the parts always kept exceed the budget'),
});

/** `DecisionEntry` of src/resume/decisions.ts (the same keys as `handoff decisions --json`). */
const DecisionEntrySchema = z.object({
  decision: z.string().describe('what was decided, one line'),
  rationale: z.string().nullable().describe('why, or null when the handoff does not say'),
  date: z.string().describe('created date of the handoff that first recorded it (ISO 8601)'),
  handoffId: fm.id,
  handoffName: z.string().nullable(),
  path: z.string().describe('that handoff in its store (relative path)'),
  subject: z.string().describe('significant terms of the decision, what "same subject" compares'),
  related: z
    .array(
      z.object({
        handoffId: fm.id,
        date: z.string(),
        decision: z.string(),
        relation: z.enum(['revisits', 'reverses']),
      }),
    )
    .describe('earlier decisions on the same subject that this one revisits or reverses, newest first'),
  occurrences: z.number().int().describe('how many handoffs recorded it with the same words'),
});

export const DecisionsOutputSchema = z.object({
  decisions: z.array(DecisionEntrySchema).describe('newest first'),
});
