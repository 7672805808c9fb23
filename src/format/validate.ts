/**
 * Strict front matter validation against the one schema (schema.ts), used
 * when a handoff is written or (re)indexed. Reading stays tolerant
 * (frontmatter.ts); this is the gate that keeps written files well-formed.
 *
 * zod costs ~50 ms to import, so the schema is loaded here with
 * `await import()` and never by modules on the hot path, and only when the
 * structural check of `_fast-schema.ts` cannot vouch for the data (front
 * matter as this tool writes it never loads zod).
 */
import { FrontMatterError } from '../errors.js';
import { parseFrontMatterFast } from './_fast-schema.js';
import type { FrontMatter } from './schema.js';

/**
 * Validates front matter strictly with `FrontMatterSchema`.
 *
 * @param data front matter, usually `parseHandoff(text).data` (already normalised)
 * @param path file name for the error message (or `<stdin>`)
 * @param source the whole file text, when known, to point the error at the
 *   line of the offending key (an alias such as `date` for `created` counts)
 * @returns the parsed front matter (unknown keys kept), as `FrontMatterSchema.parse` returns it
 * @throws FrontMatterError naming the first invalid key, e.g.
 *   `notes/x.md:3: invalid front matter: "id" must be 8 lowercase hex characters, e.g. a3f9c12e (and 1 more problem)`;
 *   the line is 1 when the key is missing or `source` is not given.
 */
export async function validateFrontMatter(
  data: Record<string, unknown>,
  path: string,
  source?: string,
): Promise<FrontMatter> {
  const fast = parseFrontMatterFast(data);
  if (fast) return fast;
  const { FrontMatterSchema } = await import('./schema.js');
  const result = FrontMatterSchema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const issue = issues[0];
  const keyPath = (issue?.path ?? []).map(String);
  const top = keyPath[0] ?? '';
  const key = keyPath.join('.') || 'front matter';
  const missing = top !== '' && data[top] === undefined;
  const what = missing
    ? `"${key}" is required; add it (handoff store writes it for you)`
    : `"${key}" ${lowerFirst(issue?.message ?? 'is invalid')}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  const line = source && top ? keyLine(source, top) : 1;
  throw new FrontMatterError(path, line, `${what}${more}`, { cause: result.error });
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** Aliases the tolerant reader folds into a key (frontmatter.ts). */
const KEY_ALIASES: Record<string, readonly string[]> = {
  created: ['created', 'date'],
  git: ['git', 'git_commit', 'commit', 'git_branch', 'branch', 'git_dirty'],
};

/** 1-based file line of a top-level front matter key (or one of its aliases), else 1. */
function keyLine(source: string, key: string): number {
  const lines = source.split('\n');
  const first = (lines[0] ?? '').replace(/^\uFEFF/, '').trimEnd();
  if (first !== '---') return 1;
  const names = KEY_ALIASES[key] ?? [key];
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] ?? '').trimEnd();
    if (line === '---' || line === '...') break;
    for (const name of names) {
      if (line.startsWith(name) && /^\s*:/.test(line.slice(name.length))) return i + 1;
      if (line.startsWith(`"${name}"`) || line.startsWith(`'${name}'`)) return i + 1;
    }
  }
  return 1;
}
