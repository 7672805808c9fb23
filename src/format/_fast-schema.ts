/**
 * A structural fast path for `FrontMatterSchema.safeParse` (schema.ts): it
 * answers for the front matter this tool writes (canonical ids and UTC
 * dates, names without `/` or `..`, a known work type) without loading zod
 * (~50 ms to import, the largest cost of a cold `handoff store`).
 *
 * It is sound, not complete: it returns a result only when the schema
 * certainly accepts the data, and then the same value zod's parse returns
 * (known keys in the schema's order, unknown keys after them in their own
 * order, `tags` and `git` copied); otherwise null, and the caller asks zod,
 * which also words the error. schema.ts stays the one source of truth:
 * test/format/fast-schema.test.ts runs both over the real corpus, generated
 * variations of every key and broken inputs, and checks that they agree,
 * including on `FRONT_MATTER_SHAPE` being the schema's own key order.
 */
import { ID_PATTERN, WORK_TYPES } from './constants.js';
import type { FrontMatter } from './schema.js';

/** The keys of `FrontMatterSchema`'s shape, in its order (what zod's output lists first). */
export const FRONT_MATTER_SHAPE = [
  'handoff',
  'id',
  'name',
  'project',
  'summary',
  'tags',
  'created',
  'expires',
  'work_type',
  'agent',
  'git',
  'parent',
  'auto',
] as const;

/** The keys of `GitInfoSchema`'s shape, in its order. */
export const GIT_SHAPE = ['branch', 'commit', 'dirty'] as const;

const KNOWN = new Set<string>(FRONT_MATTER_SHAPE);
const KNOWN_GIT = new Set<string>(GIT_SHAPE);
const WORK_TYPE_SET = new Set<string>(WORK_TYPES);
// SafeNameSchema's refinements: no `/`, `\`, `..`, no control characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const UNSAFE_NAME = /[/\\\u0000-\u001f\u007f]|\.\./;
/** The form this tool writes dates in (`IsoDateTimeSchema` accepts more; those go to zod). */
const ISO_UTC_SECONDS = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;

/**
 * `FrontMatterSchema.parse(data)` when the schema certainly accepts `data`
 * as checked structurally, else null ("ask zod").
 *
 * @param data front matter, e.g. `parseHandoff(text).data` with `id` and `created` set
 * @returns a new object equal to what zod returns (unknown values shared, as zod shares them), or null
 */
export function parseFrontMatterFast(data: Record<string, unknown>): FrontMatter | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const { handoff, id, name, project, summary, tags, created, expires, work_type, agent, git, parent, auto } = data;
  if (handoff !== undefined && handoff !== 1) return null;
  if (!isId(id) || (parent !== undefined && !isId(parent))) return null;
  if (!isSafeName(name) || !isSafeName(project)) return null;
  if (summary !== undefined && !(typeof summary === 'string' && summary.length <= 500)) return null;
  if (tags !== undefined && !isStringArray(tags)) return null;
  if (!isIsoUtc(created) || (expires !== undefined && !isIsoUtc(expires))) return null;
  if (work_type !== undefined && !(typeof work_type === 'string' && WORK_TYPE_SET.has(work_type))) return null;
  if (agent !== undefined && typeof agent !== 'string') return null;
  if (auto !== undefined && typeof auto !== 'boolean') return null;
  let gitOut: Record<string, unknown> | null = null;
  if (git !== undefined) {
    if (!isPlainObject(git)) return null;
    const { branch, commit, dirty } = git;
    if (branch !== undefined && typeof branch !== 'string') return null;
    if (commit !== undefined && typeof commit !== 'string') return null;
    if (dirty !== undefined && typeof dirty !== 'boolean') return null;
    gitOut = copyInShapeOrder(git, GIT_SHAPE, KNOWN_GIT);
    if (!gitOut) return null;
  }
  const out = copyInShapeOrder(data, FRONT_MATTER_SHAPE, KNOWN);
  if (!out) return null;
  if (tags !== undefined) out.tags = [...(tags as string[])];
  if (gitOut !== null) out.git = gitOut;
  return out as FrontMatter;
}

/**
 * Known keys present in `value` (even as `undefined`, as zod keeps them) in
 * shape order, then the others in their order; null for a `__proto__` key,
 * which zod's copy would turn into a prototype.
 */
function copyInShapeOrder(
  value: Record<string, unknown>,
  shape: readonly string[],
  known: ReadonlySet<string>,
): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const key of shape) if (Object.hasOwn(value, key)) out[key] = value[key];
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return null;
    if (!known.has(key)) out[key] = value[key];
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function isId(v: unknown): boolean {
  return typeof v === 'string' && ID_PATTERN.test(v);
}

/** `SafeNameSchema.optional()`: undefined, or 1-200 characters without `/`, `\`, `..` or control characters. */
function isSafeName(v: unknown): boolean {
  if (v === undefined) return true;
  return typeof v === 'string' && v.length >= 1 && v.length <= 200 && !UNSAFE_NAME.test(v);
}

/** A dense array of strings (a hole would be `undefined` to zod). */
function isStringArray(v: unknown): boolean {
  if (!Array.isArray(v) || Object.getPrototypeOf(v) !== Array.prototype) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}

/** `YYYY-MM-DDTHH:MM:SSZ` naming a real date. */
function isIsoUtc(v: unknown): boolean {
  if (typeof v !== 'string' || !ISO_UTC_SECONDS.test(v)) return false;
  const ms = Date.parse(v);
  return !Number.isNaN(ms) && `${new Date(ms).toISOString().slice(0, 19)}Z` === v;
}
