/**
 * Input and output schemas of the MCP tools. Every field that exists in the
 * handoff format, and every result the library returns (check results, draft
 * facts, resume briefings, decisions), is taken from `src/format/schema.ts`
 * (design.md: "One schema (zod) is the source of truth for front matter, MCP
 * tool inputs and JSON output"); only the descriptions are re-worded where
 * the original talks in CLI flags, and the tool-level wrappers (`{handoffs}`,
 * `{hits}`, `passed`) are declared here.
 *
 * Loaded only by the MCP server, never by the CLI's hot path (zod costs
 * ~50 ms to import).
 */
import { z } from 'zod';
import {
  CanonicalSectionSchema,
  CheckResultSchema,
  DecisionEntrySchema,
  DraftResultSchema,
  FrontMatterSchema,
  HandoffSummarySchema,
  IsoDateTimeSchema,
  ResumeResultSchema,
  RetrievedHandoffJsonSchema,
  SearchHitSchema,
  StoreResultSchema,
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
// The library's results, as declared once in src/format/schema.ts; only what
// the MCP adapter adds or leaves out is written here.

/** `StoreResult` without `key` (the agent gets the absolute `path`). */
export const StoreOutputSchema = StoreResultSchema.omit({ key: true });

export const RetrieveOutputSchema = RetrievedHandoffJsonSchema;

export const ListOutputSchema = z.object({
  handoffs: z.array(HandoffSummarySchema).describe('newest first'),
});

export const SearchOutputSchema = z.object({
  hits: z.array(SearchHitSchema).describe('best first'),
});

/** `CheckResult` plus the pass/fail verdict the CLI gives as its exit code. */
export const CheckOutputSchema = CheckResultSchema.extend({
  passed: z.boolean().describe('true when there are no error findings'),
});

export const DraftOutputSchema = DraftResultSchema;

export const ResumeOutputSchema = ResumeResultSchema;

export const DecisionsOutputSchema = z.object({
  decisions: z.array(DecisionEntrySchema).describe('newest first'),
});
