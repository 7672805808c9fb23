/**
 * Constants shared by the schema and the hot paths. Kept free of zod so that
 * code served from the index can use them without paying zod's import cost.
 */

/** Canonical section names, in the order the `full` profile lists them (design.md). */
export const CANONICAL_SECTIONS = [
  'context',
  'accomplished',
  'decisions',
  'in_progress',
  'deferred',
  'blocked',
  'next_steps',
  'gotchas',
  'lessons',
  'files',
  'metrics',
  'environment',
] as const;

/** Kinds of work a handoff records; `draft` has a template per kind. */
export const WORK_TYPES = [
  'implementation',
  'testing',
  'documentation',
  'quality',
  'infrastructure',
  'planning',
] as const;

/** Format version written into `handoff:` front matter. */
export const FORMAT_VERSION = 1;

/** Largest content `store` accepts, in bytes (issue 2: "content over 1 MiB"). */
export const MAX_CONTENT_BYTES = 1024 * 1024;

/** Handoff ids: 8 lowercase hex characters. */
export const ID_PATTERN = /^[0-9a-f]{8}$/;
