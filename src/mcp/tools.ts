/**
 * The eight MCP tools. Each is declared once (title, description written for
 * the agent that picks the tool, zod input shape, output schema, annotations)
 * and handled in a few lines: open a context, call the library function,
 * close the context, return text for people and `structuredContent` for
 * machines. Failures become tool errors (`isError: true`, one line starting
 * with the error code) so the agent sees them and the session goes on.
 */
import { resolvePaths } from '../config.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { buildResume } from '../resume/resume.js';
import { type DecisionEntry, listDecisions } from '../resume/decisions.js';
import { draftHandoff } from '../capture/draft.js';
import { isHandoffError, UsageError } from '../errors.js';
import type { HandoffSummary, SearchHit } from '../format/schema.js';
import { checkHandoff, type CheckResult, type Finding } from '../quality/check.js';
import type { HandoffContext } from '../service/context.js';
import { listHandoffs, retrieveHandoff, searchHandoffs } from '../service/handoffs.js';
import { storeHandoff } from '../service/store.js';
import { openContext } from '../service/open-context.js';
import {
  CheckInputShape,
  CheckOutputSchema,
  DecisionsInputShape,
  DecisionsOutputSchema,
  DraftInputShape,
  DraftOutputSchema,
  ListInputShape,
  ListOutputSchema,
  ResumeInputShape,
  ResumeOutputSchema,
  RetrieveInputShape,
  RetrieveOutputSchema,
  SearchInputShape,
  SearchOutputSchema,
  StoreInputShape,
  StoreOutputSchema,
} from './schemas.js';

/** Where the tools look for the store, and where diagnostics go. */
export interface HandoffToolsOptions {
  /** Working directory the store is found from (default `process.cwd()` at each call). */
  cwd?: string;
  /** Environment for XDG/HANDOFF_* variables (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Always use the user store (`--global`). */
  global?: boolean;
  /** One diagnostic line (never protocol); the stdio server writes it to stderr. */
  log: (line: string) => void;
  /** Name of the connected MCP client (e.g. `claude-code`), used as the default `agent` of stored handoffs. */
  clientName: () => string | undefined;
}

const READ_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
const WRITES_NEW_FILE: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};

/** Registers handoff_store … handoff_decisions on `server`. */
export function registerHandoffTools(server: McpServer, options: HandoffToolsOptions): void {
  const logged = new Set<string>();
  /** Runs `fn` in a freshly opened context and always closes it; context warnings go to the log once each. */
  const withContext = async <T>(fn: (ctx: HandoffContext) => Promise<T>): Promise<T> => {
    const ctx = await openContext({ cwd: options.cwd, env: options.env, global: options.global });
    try {
      return await fn(ctx);
    } finally {
      for (const w of ctx.warnings.filter((w) => !logged.has(w))) {
        logged.add(w);
        options.log(`handoff mcp: ${w}`);
      }
      ctx.close();
    }
  };
  /** Turns any throw into a tool error the agent can read, instead of a protocol error. */
  const guard =
    <A>(fn: (args: A) => Promise<CallToolResult>) =>
    async (args: A): Promise<CallToolResult> => {
      try {
        return await fn(args);
      } catch (e) {
        return toolError(e, options.log);
      }
    };

  server.registerTool(
    'handoff_store',
    {
      title: 'Store a handoff',
      description:
        'Save a handoff so the next session can continue where this one stops: what was accomplished, the decisions ' +
        'and why, what is in progress, deferred or blocked, and the next steps. Use at the end of a session or before ' +
        'the context runs out (handoff_draft gives a prefilled document; handoff_check scores it). Refuses content ' +
        'with credentials unless redact is true. Writes one new file and never changes an existing one. Returns the ' +
        'new id and quality findings.',
      inputSchema: StoreInputShape,
      outputSchema: StoreOutputSchema,
      annotations: WRITES_NEW_FILE,
    },
    guard(async ({ work_type, agent, ...input }) => {
      const defaultAgent = (options.env ?? process.env).HANDOFF_AGENT ? undefined : options.clientName();
      const r = await withContext((ctx) =>
        storeHandoff(ctx, { ...input, workType: work_type, agent: agent ?? defaultAgent, source: 'handoff_store' }),
      );
      const out = { id: r.id, path: r.path, findings: r.findings, redacted: r.redacted };
      return reply(formatStored(out), StoreOutputSchema, out);
    }),
  );

  server.registerTool(
    'handoff_retrieve',
    {
      title: 'Retrieve a handoff',
      description:
        'Read one handoff in full: by id (or a unique prefix), by name (the newest with that name), or the newest ' +
        'handoff of the project when neither is given. Use it to continue from a specific handoff; at the start of a ' +
        'session prefer handoff_resume, which also says what changed since. Returns the whole document and its fields and sections.',
      inputSchema: RetrieveInputShape,
      outputSchema: RetrieveOutputSchema,
      annotations: READ_ONLY,
    },
    guard(async ({ id, name, project, all }) => {
      const latest = id === undefined && name === undefined;
      const r = await withContext((ctx) => retrieveHandoff(ctx, { id, name, project, all, latest }));
      return reply(r.text, RetrieveOutputSchema, { summary: r.summary, handoff: r.json, warnings: r.warnings });
    }),
  );

  server.registerTool(
    'handoff_list',
    {
      title: 'List handoffs',
      description:
        'List stored handoffs, newest first, with their metadata only (id, name, project, summary, tags, dates, ' +
        'branch). Use it to browse the history or find an id; use handoff_search to find handoffs by what they say.',
      inputSchema: ListInputShape,
      outputSchema: ListOutputSchema,
      annotations: READ_ONLY,
    },
    guard(async ({ since, ...filter }) => {
      const handoffs = await withContext((ctx) => listHandoffs(ctx, { ...filter, since: toDateTime(since) }));
      return reply(handoffs.length ? handoffs.map(formatSummary).join('\n') : 'No handoffs found.', ListOutputSchema, {
        handoffs,
      });
    }),
  );

  server.registerTool(
    'handoff_search',
    {
      title: 'Search handoffs',
      description:
        'Full-text search across every handoff, ranked (BM25), with a snippet of the best match. Use it to find ' +
        'what an earlier session did or decided about something, e.g. query "postgres locking" with section ' +
        '"decisions". All words must match.',
      inputSchema: SearchInputShape,
      outputSchema: SearchOutputSchema,
      annotations: READ_ONLY,
    },
    guard(async ({ query, since, ...filter }) => {
      const hits = await withContext((ctx) => searchHandoffs(ctx, query, { ...filter, since: toDateTime(since) }));
      return reply(hits.length ? hits.map(formatHit).join('\n') : `No handoffs match '${query}'.`, SearchOutputSchema, {
        hits,
      });
    }),
  );

  server.registerTool(
    'handoff_check',
    {
      title: 'Check a handoff',
      description:
        'Score a handoff 0-100 against the quality rules (required sections present, every decision says why, ' +
        'in-progress items name something concrete, an actionable first next step, no vague phrases, a metric, no ' +
        'stale paths, no credentials, not too long) and list what to fix. Use it on your draft (text) before ' +
        'handoff_store, or on a stored handoff (id).',
      inputSchema: CheckInputShape,
      outputSchema: CheckOutputSchema,
      annotations: READ_ONLY,
    },
    guard(async ({ text, id, profile }) => {
      const r = await withContext((ctx) => checkTextOrId(ctx, { text, id, profile }));
      const out = { ...r, passed: r.errors === 0 };
      return reply(formatCheck(out), CheckOutputSchema, out);
    }),
  );

  server.registerTool(
    'handoff_draft',
    {
      title: 'Draft a handoff',
      description:
        'Collect the facts a machine can see (git branch, commits and changed files since the previous handoff, ' +
        'files edited and commands run from the session transcript, open items carried forward from the previous ' +
        'handoff) into a prefilled handoff document. Use at the end of a session: complete the parts that need ' +
        'judgement (decisions and why, next steps), then call handoff_check and handoff_store. Stores nothing.',
      inputSchema: DraftInputShape,
      outputSchema: DraftOutputSchema,
      annotations: READ_ONLY,
    },
    guard(async ({ work_type, ...rest }) => {
      const r = await withContext((ctx) => draftHandoff(ctx, { ...rest, workType: work_type }));
      return reply(r.text, DraftOutputSchema, r);
    }),
  );

  server.registerTool(
    'handoff_resume',
    {
      title: 'Resume from the last handoff',
      description:
        'The briefing to start a session with: the newest live handoff of this project (and branch), what changed ' +
        'in the repository since it was written, references that went stale, and how to begin, fitted to a token ' +
        'budget. Call it first thing in a new session and again right after the context was compacted.',
      inputSchema: ResumeInputShape,
      outputSchema: ResumeOutputSchema,
      annotations: READ_ONLY,
    },
    guard(async ({ budget, branch, after_compaction }) => {
      const r = await withContext((ctx) => buildResume(ctx, { budget, branch, afterCompaction: after_compaction }));
      return reply(r.text, ResumeOutputSchema, r);
    }),
  );

  server.registerTool(
    'handoff_decisions',
    {
      title: 'List past decisions',
      description:
        'Every decision recorded across the handoffs of the project, newest first, each with its rationale and the ' +
        'handoff it comes from. Use it before changing an approach or a dependency, to see why it was chosen and ' +
        'what was ruled out.',
      inputSchema: DecisionsInputShape,
      outputSchema: DecisionsOutputSchema,
      annotations: READ_ONLY,
    },
    guard(async ({ query, project, all }) => {
      const decisions = await withContext((ctx) => listDecisions(ctx, { query, project, all }));
      return reply(
        decisions.length ? decisions.map(formatDecision).join('\n') : 'No decisions found.',
        DecisionsOutputSchema,
        {
          decisions,
        },
      );
    }),
  );
}

/** Checks the given text, or the stored file of `id` as it is on disk (credentials included, so the `secret` rule sees them). */
async function checkTextOrId(
  ctx: HandoffContext,
  input: { text?: string; id?: string; profile?: string },
): Promise<CheckResult> {
  if ((input.text === undefined) === (input.id === undefined)) {
    throw new UsageError('handoff_check needs either text (a document) or id (a stored handoff), not both or neither');
  }
  const options = {
    profile: input.profile ?? ctx.config.profile,
    rules: ctx.config.rules,
    lengthBudget: ctx.config.length_budget,
    repoRoot: ctx.repoRoot,
    cacheDir: resolvePaths(ctx.env).cache,
  };
  if (input.text !== undefined) return checkHandoff({ text: input.text }, options);
  const { summary } = await retrieveHandoff(ctx, { id: input.id, all: true });
  return checkHandoff({ text: await ctx.store.read(summary.path), path: summary.path }, options);
}

/**
 * A result with `text` for people and `data` as `structuredContent`. `data`
 * goes through the tool's output schema, which drops keys the schema does not
 * declare: the published JSON schema says `additionalProperties: false`, and
 * the SDK client rejects a result with a field the library added later. The
 * type parameter makes the compiler check `data` against the schema.
 */
function reply<S extends z.ZodType<Record<string, unknown>>>(
  text: string,
  schema: S,
  data: z.input<S>,
): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: schema.parse(data) };
}

/**
 * `isError` result whose text is `<code>: <first line of the message>`.
 * Errors that are not `HandoffError`s are bugs or environment failures: their
 * stack goes to the log (stderr), never to stdout.
 */
export function toolError(e: unknown, log: (line: string) => void): CallToolResult {
  const code = isHandoffError(e) ? e.code : 'internal';
  const message = oneLine(e);
  if (!isHandoffError(e)) log(`handoff mcp: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return { isError: true, content: [{ type: 'text', text: `${code}: ${message}` }] };
}

/** A zod error's message is pretty-printed JSON: say its issues on one line instead. */
function oneLine(e: unknown): string {
  const issues = (e as { issues?: Array<{ path: PropertyKey[]; message: string }> } | null)?.issues;
  if (Array.isArray(issues)) {
    return `result does not fit the output schema: ${issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`;
  }
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

/** A plain date means its start, UTC: the index compares ISO date-times. */
function toDateTime(since: string | undefined): string | undefined {
  return since !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(since) ? `${since}T00:00:00Z` : since;
}

function formatFinding(f: Finding): string {
  return `${f.severity} ${f.rule}${f.line !== null ? ` (line ${f.line})` : ''}: ${f.message}`;
}

function formatStored(r: { id: string; path: string; findings: Finding[]; redacted: number }): string {
  const lines = [`Stored handoff ${r.id} at ${r.path}.`];
  if (r.redacted > 0) lines.push(`Redacted ${r.redacted} credential(s).`);
  for (const f of r.findings) lines.push(formatFinding(f));
  return lines.join('\n');
}

function formatSummary(h: HandoffSummary): string {
  const label = [h.name, h.project && `[${h.project}]`, h.tags.length ? `#${h.tags.join(' #')}` : null]
    .filter(Boolean)
    .join(' ');
  const flags = [h.expired ? 'expired' : null, h.auto ? 'auto' : null].filter(Boolean).join(', ');
  return `${h.id}  ${h.created}  ${label || '-'}${flags ? ` (${flags})` : ''}  ${h.summary ?? ''}`.trimEnd();
}

function formatHit(h: SearchHit): string {
  return `${formatSummary(h)}\n    ${h.section ? `${h.section}: ` : ''}${h.snippet.replace(/\s+/g, ' ').trim()}`;
}

function formatCheck(r: CheckResult & { passed: boolean }): string {
  const head = `Score ${r.score}/100 (${r.profile}): ${r.errors} error(s), ${r.warnings} warning(s), ${r.infos} info.`;
  return [head, ...r.findings.map(formatFinding)].join('\n');
}

function formatDecision(d: DecisionEntry): string {
  const why = d.rationale ? ` — ${d.rationale}` : ' (no rationale given)';
  const source = `${d.handoffId}${d.handoffName ? ` ${d.handoffName}` : ''}, ${d.date.slice(0, 10)}`;
  const related = d.related.map((r) => `\n    ${r.relation} ${r.handoffId} (${r.date.slice(0, 10)}): ${r.decision}`);
  return `- ${d.decision}${why}  [${source}]${related.join('')}`;
}
