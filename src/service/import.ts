/**
 * `import`: brings existing handoffs into the store, keeping what they
 * already say (ids, names, dates, expiry) and adding the front matter they
 * lack. Sources: single files (HANDOFF.md, .session-state.md,
 * .claude/session-handoff.md, YAML handoffs), whole directories
 * (docs/session_handoffs/), and the SQLite database of the `handoff` CLI
 * (Radixen-Dev/handoff: `~/.handoff/handoff.db`, table
 * `packages(id, name, summary, content, tags, project, created_at, expires_at)`).
 * Importing the same thing twice does not duplicate it: ids are kept and
 * every imported file records the SHA-256 of its source text.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { gitOutput } from '../_git.js';
import { HandoffError, NotFoundError, StoreError, UsageError } from '../errors.js';
import { FORMAT_VERSION, ID_PATTERN, WORK_TYPES } from '../format/constants.js';
import type { ImportItem, ImportReport } from '../format/schema.js';
import { findRepoRoot } from '../store/locate.js';
import { decodeContent } from './_input.js';
import { mayContainSecret } from './_secret-guard.js';
import type { HandoffContext } from './context.js';

/** What to import. */
export interface ImportOptions {
  /** Files and directories. Empty with `fromHandoffDb` = that tool's database. */
  paths: string[];
  /** Import the `handoff` CLI's SQLite database: true = `$HANDOFF_DB` or `~/.handoff/handoff.db`, or a path. */
  fromHandoffDb?: boolean | string;
  /** Replace credentials with markers instead of refusing the document. */
  redact?: boolean;
  /** Project for documents that do not name one; default the context's project. */
  project?: string;
  /** Report what would be imported, write nothing. */
  dryRun?: boolean;
}

// The report's shape is declared once, as a zod schema in src/format/schema.ts
// (`ImportReportSchema`, what `import --json` prints); type-only import.
export type { ImportItem, ImportReport };

interface Candidate {
  source: string;
  text: string;
  /** Original text's SHA-256, the dedup key for documents without an id. */
  sha: string;
  ext: '.md' | '.yaml';
  defaults: Record<string, unknown>;
  mtimeMs: number | null;
  absPath: string | null;
}

const DOC_EXT = new Set(['.md', '.markdown', '.yaml', '.yml']);
const SKIP_NAMES = new Set(['readme.md', 'changelog.md', 'license.md', 'contributing.md']);

/**
 * Imports every handoff found under `options.paths` (and/or the `handoff`
 * CLI database) into the context's store.
 * @throws UsageError when nothing to import was named or a path does not exist;
 *   NotFoundError when the handoff database is absent; StoreError when the store is not writable.
 */
export async function importHandoffs(ctx: HandoffContext, options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = { imported: [], skipped: [], refused: [] };
  const candidates: Candidate[] = [];
  if (options.paths.length === 0 && !options.fromHandoffDb) {
    throw new UsageError('import needs a path (file or directory) or --from handoff-db');
  }
  for (const p of options.paths) {
    const abs = resolve(ctx.cwd, p);
    if (!existsSync(abs)) throw new UsageError(`${p}: no such file or directory`);
    for (const file of await listDocuments(abs)) {
      try {
        const bytes = readFileSync(file);
        const text = decodeContent(bytes, file);
        candidates.push({
          source: relative(ctx.cwd, file) || file,
          text,
          sha: sha256(text),
          ext: /\.ya?ml$/i.test(file) ? '.yaml' : '.md',
          defaults: {},
          mtimeMs: statSync(file).mtimeMs,
          absPath: file,
        });
      } catch (e) {
        report.refused.push({ source: file, reason: (e as Error).message });
      }
    }
  }
  if (options.fromHandoffDb) {
    candidates.push(...(await readHandoffDb(ctx, options.fromHandoffDb)));
  }

  await ctx.ready();
  const { parseHandoff } = await import('../format/parse.js');
  const { serializeFrontMatter } = await import('../format/frontmatter.js');
  const { validateFrontMatter } = await import('../format/validate.js');
  const { newHandoffId, handoffFileName } = await import('../store/naming.js');
  const known = knownSources(ctx);
  const firstCommit = new Map<string, string | null>();

  for (const c of candidates) {
    try {
      if (known.shas.has(c.sha)) {
        report.skipped.push({ source: c.source, reason: 'already imported (same content)' });
        continue;
      }
      let text = c.text;
      if (mayContainSecret(text)) {
        const { findSecrets, redactSecrets } = await import('../quality/secrets.js');
        const found = await findSecrets(text);
        if (found.length > 0 && !options.redact) {
          const f = found[0]!;
          report.refused.push({
            source: c.source,
            reason: `line ${f.line} looks like a ${f.kind}${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}; import it with --redact`,
          });
          continue;
        }
        if (found.length > 0) text = (await redactSecrets(text)).text;
      }
      const parsed = parseHandoff(text, { path: c.source });
      const body = text.slice(parsed.frontMatterRaw.length);
      const data: Record<string, unknown> = { ...c.defaults, ...parsed.data };
      const givenId = typeof data.id === 'string' && ID_PATTERN.test(data.id) ? data.id : null;
      if (givenId && (known.ids.has(givenId) || ctx.index.findById(givenId).length > 0)) {
        report.skipped.push({ source: c.source, id: givenId, reason: `id ${givenId} is already in the store` });
        continue;
      }
      let id = givenId ?? newHandoffId();
      while (!givenId && ctx.index.findById(id).length > 0) id = newHandoffId();
      const created =
        (typeof data.created === 'string' ? data.created : null) ??
        (await gitFirstCommit(c.absPath, firstCommit)) ??
        isoSeconds(c.mtimeMs ?? Date.now());
      const fm = sanitize({
        ...data,
        handoff: FORMAT_VERSION,
        id,
        created,
        project: data.project ?? options.project ?? ctx.project ?? undefined,
        summary: data.summary ?? parsed.title ?? undefined,
        imported_from: c.source,
        source_sha256: c.sha,
      });
      const validated = await validateFrontMatter(fm, c.source);
      const fileText = `---\n${serializeFrontMatter(validated)}---\n${body}`;
      const slug =
        (validated.name as string | undefined) ??
        (validated.summary as string | undefined) ??
        basename(c.source, extname(c.source));
      let key = handoffFileName(created, slug);
      if (c.ext === '.yaml') key = key.replace(/\.md$/, '.yaml');
      if (options.dryRun) {
        report.imported.push({ source: c.source, id, key });
      } else {
        const entry = await ctx.store.create(key, fileText, id);
        ctx.index.noteWritten(entry, fileText, parseHandoff(fileText, { path: entry.key }));
        report.imported.push({ source: c.source, id, key: entry.key });
      }
      known.ids.add(id);
      known.shas.add(c.sha);
    } catch (e) {
      if (e instanceof StoreError) throw e;
      report.refused.push({ source: c.source, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return report;
}

/** Handoff documents under a path: the file itself, or every .md/.yaml below a directory. */
async function listDocuments(abs: string): Promise<string[]> {
  if (!statSync(abs).isDirectory()) return [abs];
  const { glob } = await import('tinyglobby');
  const files = await glob(['**/*.{md,markdown,yaml,yml}'], {
    cwd: abs,
    absolute: true,
    dot: true,
    ignore: ['**/node_modules/**', '**/.git/**'],
  });
  return files
    .filter((f) => DOC_EXT.has(extname(f).toLowerCase()) && !SKIP_NAMES.has(basename(f).toLowerCase()))
    .filter((f) => !basename(f).startsWith('.tmp-'))
    .sort();
}

function knownSources(ctx: HandoffContext): { ids: Set<string>; shas: Set<string> } {
  const ids = new Set<string>();
  const shas = new Set<string>();
  for (const row of ctx.index.list({ all: true })) {
    ids.add(row.id);
    const content = ctx.index.content(row.path);
    const m = content ? /^source_sha256: ['"]?([0-9a-f]{64})/m.exec(content) : null;
    if (m) shas.add(m[1]!);
  }
  return { ids, shas };
}

async function gitFirstCommit(absPath: string | null, cache: Map<string, string | null>): Promise<string | null> {
  if (!absPath) return null;
  const root = findRepoRoot(dirname(absPath));
  if (!root) return null;
  if (!cache.has(absPath)) {
    const out = await gitOutput(['log', '--diff-filter=A', '--follow', '--format=%aI', '--', absPath], root);
    const last = out?.split('\n').filter(Boolean).pop();
    cache.set(absPath, last ? isoSeconds(Date.parse(last)) : null);
  }
  return cache.get(absPath) ?? null;
}

/** Drops known front matter values that cannot be written, keeping them under `original_<key>`. */
function sanitize(fm: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fm)) if (v !== undefined && v !== null) out[k] = v;
  for (const k of ['name', 'project'] as const) {
    const v = out[k];
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are not allowed in names
    if (v !== undefined && (typeof v !== 'string' || v === '' || v.length > 200 || /[/\\\u0000-\u001f]|\.\./.test(v))) {
      out[`original_${k}`] = v;
      delete out[k];
    }
  }
  if (out.summary !== undefined && typeof out.summary !== 'string') out.summary = String(out.summary);
  if (typeof out.summary === 'string' && out.summary.length > 500) out.summary = `${out.summary.slice(0, 497)}...`;
  if (out.work_type !== undefined && !(WORK_TYPES as readonly unknown[]).includes(out.work_type)) {
    out.original_work_type = out.work_type;
    delete out.work_type;
  }
  if (out.tags !== undefined && (!Array.isArray(out.tags) || out.tags.some((t) => typeof t !== 'string'))) {
    out.tags = Array.isArray(out.tags) ? out.tags.map(String) : undefined;
    if (out.tags === undefined) delete out.tags;
  }
  if (out.parent !== undefined && !(typeof out.parent === 'string' && ID_PATTERN.test(out.parent))) {
    out.original_parent = out.parent;
    delete out.parent;
  }
  if (out.expires !== undefined && (typeof out.expires !== 'string' || Number.isNaN(Date.parse(out.expires))))
    delete out.expires;
  for (const k of ['auto'] as const) if (out[k] !== undefined && typeof out[k] !== 'boolean') delete out[k];
  return out;
}

/**
 * Reads the `handoff` CLI's database (read-only).
 * Tags are a JSON array or the string `null`; times are whatever Go's SQLite driver wrote.
 */
async function readHandoffDb(ctx: HandoffContext, from: boolean | string): Promise<Candidate[]> {
  const path =
    typeof from === 'string'
      ? resolve(ctx.cwd, from)
      : ctx.env.HANDOFF_DB || join(ctx.env.HOME || homedir(), '.handoff', 'handoff.db');
  if (!existsSync(path)) {
    throw new NotFoundError(
      `no handoff database at ${path}; set HANDOFF_DB or pass its path: handoff import --from handoff-db PATH`,
    );
  }
  const { openSqlite } = await import('../store/sqlite.js');
  let rows: Array<Record<string, unknown>>;
  try {
    const db = openSqlite(path, { readonly: true, fileMustExist: true });
    try {
      rows = db
        .prepare(
          'SELECT id, name, summary, content, tags, project, created_at, expires_at FROM packages ORDER BY created_at',
        )
        .all() as Array<Record<string, unknown>>;
    } finally {
      db.close();
    }
  } catch (e) {
    throw new HandoffError('invalid-input', `${path}: not a handoff database (${(e as Error).message})`, { cause: e });
  }
  return rows.map((r) => {
    const content = typeof r.content === 'string' ? r.content : String(r.content ?? '');
    const tags = parseTags(r.tags);
    const created = parseLooseDate(r.created_at);
    const expires = parseLooseDate(r.expires_at);
    const defaults: Record<string, unknown> = {
      id: typeof r.id === 'string' ? r.id : undefined,
      name: typeof r.name === 'string' && r.name !== '' ? r.name : undefined,
      summary: typeof r.summary === 'string' && r.summary !== '' ? r.summary : undefined,
      project: typeof r.project === 'string' && r.project !== '' ? r.project : undefined,
      tags: tags.length > 0 ? tags : undefined,
      created: created ?? undefined,
      expires: expires ?? undefined,
    };
    return {
      source: `${basename(path)}#${String(r.id)}`,
      text: content,
      sha: sha256(`${String(r.id)}\n${content}`),
      ext: '.md' as const,
      defaults,
      mtimeMs: null,
      absPath: null,
    };
  });
}

function parseTags(value: unknown): string[] {
  if (typeof value !== 'string' || value === '' || value === 'null') return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string' && t !== '') : [];
  } catch {
    return value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  }
}

/**
 * Dates as Go's SQLite drivers store `time.Time`: `2026-11-21 14:30:00+00:00`,
 * `2026-11-21T14:30:00Z`, `2026-11-21 14:30:00.123 +0000 UTC`, or no offset (UTC).
 * @returns ISO 8601 UTC to the second, or null.
 */
export function parseLooseDate(value: unknown): string | null {
  if (value instanceof Date) return isoSeconds(value.getTime());
  if (typeof value === 'number') return isoSeconds(value > 1e12 ? value : value * 1000);
  if (typeof value !== 'string' || value.trim() === '') return null;
  let s = value
    .trim()
    .replace(/ m=[+-][\d.]+$/, '')
    .replace(/ [A-Z]{2,5}$/, '');
  s = s.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T').replace(/ ?([+-]\d{2}):?(\d{2})$/, '$1:$2');
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s += 'Z';
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : isoSeconds(t);
}

function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
