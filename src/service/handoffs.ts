/**
 * Service functions behind `retrieve`, `list`, `search`, `gc` and `rm`
 * (`store` is in store.ts): they take an opened context, return data, and
 * never print. The CLI and the MCP server are thin adapters over these.
 */
import { ExpiredError, HandoffError, NotFoundError, UsageError } from '../errors.js';
import { splitFrontMatter } from '../format/split.js';
import type { HandoffJson, HandoffSummary, SearchHit } from '../format/schema.js';
import type { ParsedHandoff } from '../format/types.js';
import type { HandoffFilter } from '../store/types.js';
import { mayContainSecret } from './_secret-guard.js';
import type { HandoffContext } from './context.js';

/** Which handoff `retrieve` returns. Exactly one of `id`, `name`, `latest`. */
export interface RetrieveQuery {
  /** Full id or a unique prefix (1-8 hex characters). */
  id?: string;
  /** Newest live handoff with this name. */
  name?: string;
  /** Newest live handoff (of `project` when given, else of the context's project, else any). */
  latest?: boolean;
  /** Serve an expired handoff instead of failing. */
  all?: boolean;
  project?: string;
}

/** One handoff read from its file, without parsing it: what `retrieve` prints by default. */
export interface ReadHandoff {
  summary: HandoffSummary;
  /** The whole file (front matter included), secrets redacted. */
  text: string;
  /** The content as it was given to `store`: the file without its front matter block, secrets redacted. */
  body: string;
  /** E.g. "redacted 1 credential found in the file". */
  warnings: string[];
}

/** {@link ReadHandoff} plus the parsed document and its JSON form. */
export interface RetrievedHandoff extends ReadHandoff {
  /** Front matter fields plus `sections` (issue 2's stable shape). */
  json: HandoffJson;
  parsed: ParsedHandoff;
}

/**
 * Finds one handoff by id prefix, name or recency and reads it from its file,
 * secrets redacted, without parsing the markdown or the YAML: the body is
 * what follows the front matter fences, for files the index saw with front
 * matter (a leading `---` block that is not YAML is part of the body).
 * @throws as {@link retrieveHandoff}.
 */
export async function readHandoff(ctx: HandoffContext, query: RetrieveQuery): Promise<ReadHandoff> {
  await ctx.ready();
  const summary = findOne(ctx, query);
  let text = await ctx.store.read(summary.path);
  const warnings: string[] = [];
  if (mayContainSecret(text)) {
    const { redactSecrets } = await import('../quality/secrets.js');
    const r = await redactSecrets(text);
    if (r.findings.length > 0) {
      text = r.text;
      warnings.push(
        `${summary.path}: redacted ${r.findings.length} credential(s) (${[...new Set(r.findings.map((f) => f.kind))].join(', ')}); remove them from the file`,
      );
    }
  }
  const split = ctx.index.hasFrontMatter(summary.path) === false ? null : splitFrontMatter(text);
  return { summary, text, body: split ? split.body : text, warnings };
}

/**
 * Finds one handoff by id prefix, name or recency, reads it from its file and parses it.
 * @throws NotFoundError (no match), HandoffError 'ambiguous' (prefix matches several),
 *   HandoffError 'duplicate-id' (two files share the id), ExpiredError (expired, without `all`),
 *   UsageError (no query, or an id that is not hex), FrontMatterError (the file's front
 *   matter broke since it was indexed).
 */
export async function retrieveHandoff(ctx: HandoffContext, query: RetrieveQuery): Promise<RetrievedHandoff> {
  const read = await readHandoff(ctx, query);
  const { summary, text } = read;
  const { parseHandoff } = await import('../format/parse.js');
  const { toHandoffJson } = await import('../format/render.js');
  const parsed = parseHandoff(text, { path: summary.path });
  const json = toHandoffJson(parsed, { path: summary.path, store: ctx.store.location });
  // Files without front matter get their id and date from the index (design.md, "Documents").
  const filled = { ...json, id: summary.id, created: json.created ?? summary.created } as HandoffJson;
  return { ...read, body: text.slice(parsed.frontMatterRaw.length), json: filled, parsed };
}

function findOne(ctx: HandoffContext, query: RetrieveQuery): HandoffSummary {
  const now = Date.now();
  if (query.id !== undefined) {
    const prefix = query.id.trim().toLowerCase();
    if (!/^[0-9a-f]{1,8}$/.test(prefix)) {
      throw new UsageError(`invalid id '${query.id}': an id is 1 to 8 hex characters (a unique prefix is enough)`);
    }
    const rows = ctx.index.findById(prefix);
    if (rows.length === 0)
      throw new NotFoundError(`handoff '${prefix}' not found; run 'handoff list --all' to see ids`);
    const ids = new Set(rows.map((r) => r.id));
    if (ids.size > 1) {
      const shown = [...ids].slice(0, 5).join(', ');
      throw new HandoffError(
        'ambiguous',
        `id prefix '${prefix}' is ambiguous: matches ${shown}${ids.size > 5 ? ', …' : ''}; give more characters`,
      );
    }
    if (rows.length > 1) {
      throw new HandoffError(
        'duplicate-id',
        `id ${rows[0]!.id} is used by ${rows.length} files (${rows.map((r) => r.path).join(', ')}); give one of them a new id`,
      );
    }
    return assertLive(rows[0]!, query.all ?? false, now);
  }
  if (query.name !== undefined) {
    const rows = ctx.index.list({ name: query.name, all: true, project: query.project });
    if (rows.length === 0) throw new NotFoundError(`no handoff named '${query.name}'; run 'handoff list' to see names`);
    const live = query.all ? rows[0] : rows.find((r) => !r.expired);
    return live ?? assertLive(rows[0]!, false, now);
  }
  if (query.latest) {
    const project = query.project ?? ctx.project ?? undefined;
    let rows = ctx.index.list({ project, all: query.all ?? false, includeAuto: false, limit: 1 });
    if (rows.length === 0 && query.project === undefined)
      rows = ctx.index.list({ all: query.all ?? false, includeAuto: false, limit: 1 });
    if (rows.length === 0)
      throw new NotFoundError(
        `no live handoff${project ? ` for project '${project}'` : ''}; store one with 'handoff store'`,
      );
    return rows[0]!;
  }
  throw new UsageError('provide a handoff ID as argument, --name or --latest');
}

function assertLive(row: HandoffSummary, all: boolean, now: number): HandoffSummary {
  if (!all && row.expires && Date.parse(row.expires) <= now) {
    throw new ExpiredError(`handoff ${row.id} expired on ${row.expires}; pass --all to show it anyway`, row.expires);
  }
  return row;
}

/**
 * Handoffs newest first; expired ones only with `filter.all`.
 * @throws UsageError for a bad `since` (the CLI parses it first).
 */
export async function listHandoffs(ctx: HandoffContext, filter: HandoffFilter = {}): Promise<HandoffSummary[]> {
  await ctx.ready();
  return ctx.index.list(filter);
}

/**
 * The `list` table (ID NAME PROJECT TAGS EXPIRES SUMMARY, src/store/list-table.ts)
 * of the handoffs {@link listHandoffs} returns for `filter`, as UTF-8 bytes;
 * empty when there are none.
 * @throws UsageError for a bad `since` (the CLI parses it first).
 */
export async function listHandoffTable(ctx: HandoffContext, filter: HandoffFilter = {}): Promise<Buffer> {
  await ctx.ready();
  return ctx.index.listTable(filter);
}

/**
 * BM25-ranked full-text search with snippets. The query is plain words
 * (punctuation such as `off-ind` is safe), all of which must match.
 * @throws UsageError for an empty query.
 */
export async function searchHandoffs(
  ctx: HandoffContext,
  query: string,
  filter: HandoffFilter & { section?: string } = {},
): Promise<SearchHit[]> {
  if (query.trim() === '') throw new UsageError('search needs a query: handoff search WORDS');
  if (filter.section !== undefined) {
    const { CANONICAL_SECTIONS } = await import('../format/constants.js');
    if (!(CANONICAL_SECTIONS as readonly string[]).includes(filter.section)) {
      throw new UsageError(`unknown --section '${filter.section}': use one of ${CANONICAL_SECTIONS.join(', ')}`);
    }
  }
  await ctx.ready();
  return ctx.index.search(query, filter);
}

/**
 * Deletes expired handoffs (files and index rows). With `dryRun`, only lists them.
 * @returns the handoffs removed (or that would be).
 * @throws StoreError when a file cannot be deleted (the others are still removed first).
 */
export async function gcHandoffs(ctx: HandoffContext, options: { dryRun?: boolean } = {}): Promise<HandoffSummary[]> {
  await ctx.ready();
  const expired = ctx.index.list({ all: true }).filter((r) => r.expired);
  if (options.dryRun) return expired;
  const removed: HandoffSummary[] = [];
  let failure: unknown = null;
  for (const row of expired) {
    try {
      await ctx.store.remove(row.path);
      ctx.index.noteRemoved(row.path);
      removed.push(row);
    } catch (e) {
      if (e instanceof NotFoundError) {
        ctx.index.noteRemoved(row.path);
        continue;
      }
      failure ??= e;
    }
  }
  if (failure) throw failure;
  return removed;
}

/**
 * Deletes one handoff by id or unique prefix (expired ones included).
 * @throws as `retrieveHandoff` for lookups; StoreError when the file cannot be deleted.
 */
export async function removeHandoff(ctx: HandoffContext, id: string): Promise<HandoffSummary> {
  await ctx.ready();
  const row = findOne(ctx, { id, all: true });
  await ctx.store.remove(row.path);
  ctx.index.noteRemoved(row.path);
  return row;
}

/** Absolute path of a key in a file store (or the key itself in memory). */
export function storePath(ctx: HandoffContext, key: string): string {
  return ctx.store.location.startsWith('memory:') ? key : `${ctx.store.location}/${key}`;
}
