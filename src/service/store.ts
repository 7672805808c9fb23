/**
 * `store`: validate, scan for secrets, lint and write one new handoff file,
 * then index it. Apart from retrieve/list/search (handoffs.ts) because it
 * needs the parser, the schema check, the serializer and the quality rules,
 * which those never load: in the CLI each command's bundle holds what its
 * module imports (scripts/build.mjs), so `store` loads one file, not five.
 */
import { resolvePaths } from '../config.js';
import { SecretFoundError, UsageError } from '../errors.js';
import { FORMAT_VERSION } from '../format/constants.js';
import { serializeFrontMatter } from '../format/frontmatter.js';
import { parseHandoff } from '../format/parse.js';
import { splitFrontMatter } from '../format/split.js';
import type { FrontMatter, StoreResult, WorkType } from '../format/schema.js';
import { validateFrontMatter } from '../format/validate.js';
import { checkHandoff, type Finding } from '../quality/check.js';
import { handoffFileName, newHandoffId } from '../store/naming.js';
import { assertSafeLabel, decodeContent, parseTtl } from './_input.js';
import { readGitState } from './_git-state.js';
import { mayContainSecret } from './_secret-guard.js';
import type { HandoffContext } from './context.js';
import { storePath } from './handoffs.js';

/** What `store` takes. `content` may carry its own front matter; flags win over it. */
export interface StoreInput {
  /** The handoff document (markdown or YAML), as bytes or text; at most 1 MiB of UTF-8. */
  content: string | Buffer;
  name?: string;
  summary?: string;
  /** `Nh`, `Nd` or `Nw`; default `config.default_ttl` (none = never expires). */
  ttl?: string;
  /** Absolute expiry (ISO 8601), wins over `ttl`; used for automatic checkpoints. */
  expires?: string;
  /** Default: `ctx.project`. */
  project?: string;
  tags?: string[];
  workType?: WorkType;
  /** Id of the previous handoff in the chain. */
  parent?: string;
  /** Who wrote it; default `$HANDOFF_AGENT`, or `claude-code` inside Claude Code. */
  agent?: string;
  /** Replace credentials with `[REDACTED:<kind>]` instead of refusing. */
  redact?: boolean;
  /** Marks an automatic checkpoint written by a hook. */
  auto?: boolean;
  /** Where the content came from, for messages (`stdin`, a path). */
  source?: string;
  /** Skip the quality lint (imports and automatic checkpoints). */
  skipCheck?: boolean;
}

// Declared once, as a zod schema in src/format/schema.ts (`StoreResultSchema`,
// what `store --json` prints); type-only import.
export type { StoreResult };

/**
 * Validates, scans for secrets, lints and writes one new handoff file, then
 * indexes it. Never rewrites an existing file.
 * @throws InvalidInputError (empty, binary, invalid UTF-8, > 1 MiB, bad name/project),
 *   UsageError (bad --ttl, bad --parent), FrontMatterError (content with broken front matter),
 *   SecretFoundError (a credential, unless `redact`), StoreError (read-only store, disk full).
 */
export async function storeHandoff(ctx: HandoffContext, input: StoreInput): Promise<StoreResult> {
  const source = input.source ?? 'stdin';
  let text = decodeContent(input.content, source);
  if (input.name !== undefined) assertSafeLabel(input.name, '--name');
  const project = input.project ?? ctx.project ?? undefined;
  if (project !== undefined) assertSafeLabel(project, '--project');
  if (input.parent !== undefined && !/^[0-9a-f]{8}$/.test(input.parent)) {
    throw new UsageError(`invalid --parent '${input.parent}': an id is 8 lowercase hex characters`);
  }
  const ttl = input.ttl ?? ctx.config.default_ttl ?? undefined;
  const ttlMs = input.expires === undefined && ttl !== undefined ? parseTtl(ttl) : null;

  let redacted = 0;
  if (mayContainSecret(text)) {
    const { findSecrets, redactSecrets } = await import('../quality/secrets.js');
    const found = await findSecrets(text);
    if (found.length > 0 && !input.redact) {
      throw new SecretFoundError(found.map((f) => ({ line: f.line, kind: f.kind })));
    }
    if (found.length > 0) {
      const r = await redactSecrets(text);
      text = r.text;
      redacted = r.findings.length;
    }
  }

  // Content without a front matter block (what `handoff store` usually gets) is all body:
  // parsed once, as the file written below. Content with one is parsed for its fields.
  const given = splitFrontMatter(text) === null ? null : parseHandoff(text, { path: source });
  const body = given ? text.slice(given.frontMatterRaw.length) : text;
  const git = ctx.repoRoot && ctx.store.kind === 'repo' ? await readGitState(ctx.repoRoot) : null;
  await ctx.ready();
  let id = newHandoffId();
  while (ctx.index.findById(id).length > 0) id = newHandoffId();

  const now = new Date();
  const created = `${now.toISOString().slice(0, 19)}Z`;
  const expires =
    input.expires ?? (ttlMs !== null ? `${new Date(now.getTime() + ttlMs).toISOString().slice(0, 19)}Z` : undefined);
  const carried = { ...given?.data };
  for (const k of ['id', 'created', 'date', 'handoff'] as const) delete carried[k];
  const agent = input.agent ?? ctx.env.HANDOFF_AGENT ?? (ctx.env.CLAUDECODE ? 'claude-code' : undefined);
  const frontMatter = dropUndefined({
    handoff: FORMAT_VERSION,
    id,
    ...carried,
    name: input.name ?? (carried.name as string | undefined),
    project: project ?? (carried.project as string | undefined),
    summary: input.summary ?? (carried.summary as string | undefined),
    tags: input.tags ?? (carried.tags as string[] | undefined),
    created,
    expires: expires ?? (carried.expires as string | undefined),
    work_type: input.workType ?? (carried.work_type as string | undefined),
    agent: agent ?? (carried.agent as string | undefined),
    git: git ?? (carried.git as object | undefined),
    parent: input.parent ?? (carried.parent as string | undefined),
    auto: input.auto ? true : (carried.auto as boolean | undefined),
  });
  const validated = await validateFrontMatter(frontMatter, source);
  const fileText = `---\n${serializeFrontMatter(validated)}---\n${body}`;

  let findings: Finding[] = [];
  const parsed = parseHandoff(fileText, { path: source });
  if (!input.skipCheck) {
    const result = await checkHandoff(
      { text: fileText, path: source, parsed },
      {
        profile: ctx.config.profile,
        rules: { ...ctx.config.rules, secret: 'off' },
        lengthBudget: ctx.config.length_budget,
        repoRoot: ctx.repoRoot,
        cacheDir: resolvePaths(ctx.env).cache,
      },
    );
    findings = result.findings;
  }

  const slugSource =
    input.name ?? input.summary ?? (carried.name as string | undefined) ?? (given ?? parsed).title ?? 'handoff';
  const entry = await ctx.store.create(handoffFileName(created, slugSource), fileText, id);
  ctx.index.noteWritten(entry, fileText, parsed);
  return { id, key: entry.key, path: storePath(ctx, entry.key), findings, redacted };
}

function dropUndefined<T extends Record<string, unknown>>(value: T): Partial<FrontMatter> & Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as Partial<FrontMatter> & Record<string, unknown>;
}
