/**
 * The one schema (zod) that is the source of truth for handoff front matter,
 * the JSON output of the CLI and the inputs of the MCP tools
 * (design.md, "The handoff document (format v1)").
 *
 * zod costs ~50 ms to import, so hot paths (list, retrieve and search served
 * from the index) import only the *types* from here (`import type`), and load
 * this module with `await import()` when a file is written or (re)indexed.
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
  id: HandoffIdSchema,
  name: z.string().nullable(),
  project: z.string().nullable(),
  summary: z.string().nullable(),
  tags: z.array(z.string()),
  created: z.string(),
  expires: z.string().nullable(),
  work_type: z.string().nullable(),
  agent: z.string().nullable(),
  branch: z.string().nullable(),
  commit: z.string().nullable(),
  parent: z.string().nullable(),
  auto: z.boolean(),
  expired: z.boolean(),
  path: z.string(),
});

export const SearchHitSchema = HandoffSummarySchema.extend({
  score: z.number().describe('BM25 score, lower is better (SQLite convention)'),
  snippet: z.string().describe('matching text with [match] markers'),
  section: z.string().nullable().describe('canonical section of the best match, if known'),
});

export type CanonicalSection = z.infer<typeof CanonicalSectionSchema>;
export type WorkType = z.infer<typeof WorkTypeSchema>;
export type GitInfo = z.infer<typeof GitInfoSchema>;
export type FrontMatter = z.infer<typeof FrontMatterSchema>;
export type Section = z.infer<typeof SectionSchema>;
export type HandoffJson = z.infer<typeof HandoffJsonSchema>;
export type HandoffSummary = z.infer<typeof HandoffSummarySchema>;
export type SearchHit = z.infer<typeof SearchHitSchema>;
