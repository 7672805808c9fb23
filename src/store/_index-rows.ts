/**
 * Turning one handoff file into the rows the index stores. Pure (no I/O, no
 * database), so the same code runs in the main thread and in the parse
 * workers (parse-worker.ts) that a large rebuild uses.
 */
import { createHash } from 'node:crypto';
import { FrontMatterError } from '../errors.js';
import { CANONICAL_SECTIONS, ID_PATTERN } from '../format/constants.js';
import type { ParsedHandoff } from '../format/types.js';
import type { StoreEntry } from './types.js';

/**
 * Columns of the one FTS5 table: the metadata, `other` (preamble and
 * sections without a canonical name) and one column per canonical section.
 * Each document is tokenized once, and `--section decisions` is an FTS5
 * column filter. (A second FTS table over the sections doubled the rebuild
 * time; SQLite triggers maintaining FTS cost another 4x.)
 */
export const FTS_COLUMNS = ['name', 'summary', 'tags', 'other', ...CANONICAL_SECTIONS] as const;

/** Index in FTS_COLUMNS of the first canonical section column. */
export const FIRST_SECTION_COLUMN = 4;

// unicode61 keeps a run of CJK characters (no spaces between words) as one
// token, so those terms are matched as substrings instead. Explicit ranges
// (Hangul Jamo, kana, CJK ideographs and extension A, Hangul syllables,
// compatibility ideographs): much faster than \p{Script=...} on every document.
export const CJK = /[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

/**
 * One section as stored. The text of a handoff is stored once, in the FTS
 * table's columns (each column holds whole raw sections joined by `\n`), so a
 * section is a slice of its column: raw = `column.slice(colStart, colStart + rawLen)`,
 * text = the last `textLen` characters of raw. `text` is set instead when
 * the parser's pieces do not add up to the body (never expected).
 */
export interface SectionRow {
  heading: string;
  canonical: string | null;
  /** Index in FTS_COLUMNS. */
  col: number;
  colStart: number;
  rawLen: number;
  textLen: number;
  text: string | null;
}

/** One handoff ready to be written to the tables (column names as in the `handoffs` table). */
export interface DocRow {
  key: string;
  id: string;
  name: string | null;
  project: string | null;
  summary: string | null;
  tags: string;
  created: string;
  created_ms: number;
  expires: string | null;
  expires_ms: number | null;
  work_type: string | null;
  agent: string | null;
  branch: string | null;
  git_commit: string | null;
  parent: string | null;
  auto: number;
  mtime: number;
  size: number;
  front_matter: string;
  /** The whole file, only when it cannot be rebuilt from front matter + sections; else null. */
  content: string | null;
  has_front_matter: number;
  has_cjk: number;
  sections: SectionRow[];
  /** Values of FTS_COLUMNS, in order. */
  fts: Array<string | null>;
}

/**
 * What parsing one file yields, compact: metadata plus offsets into the
 * file's text instead of copies of it, so that a parse worker's answer is
 * small to send back; {@link materializeRow} rebuilds the strings from the
 * text the caller already holds.
 */
export interface DocMeta extends Omit<DocRow, 'front_matter' | 'content' | 'sections' | 'fts'> {
  /** Length of the front matter block; the body is `text.slice(fmLength)`. */
  fmLength: number;
  /**
   * False when front matter + the sections' raw slices is not the file (never
   * with the current parser): then the file itself is stored, and section texts too.
   */
  exact: boolean;
  /** Raw slices are `text.slice(fmLength + rawStart, ... + rawLen)`. */
  sections: Array<{
    heading: string;
    canonical: string | null;
    rawStart: number;
    rawLen: number;
    textLen: number;
    /** Set only when `exact` is false. */
    raw: string | null;
    text: string | null;
  }>;
  name_fts: string | null;
  summary_fts: string | null;
  tags_fts: string | null;
}

/** A file that cannot be served (broken front matter, unreadable). */
export interface Failure {
  key: string;
  mtime: number;
  size: number;
  message: string;
}

/** What `prepareDoc` needs: the entry, its text, and the path to name in messages. */
export interface PrepareInput {
  entry: StoreEntry;
  text: string;
  path: string;
}

/**
 * The outcome for one file. `datedByMtime`: the file has no `created`, so
 * the caller may replace the mtime-based date with the git first-commit date.
 */
export type Prepared = { meta: DocMeta; datedByMtime: boolean } | { failure: Failure };

/** The format functions `prepareDoc` uses (passed in so zod loads lazily and workers import their own). */
export interface RowParsers {
  parseHandoff: (text: string, options?: { path?: string }) => ParsedHandoff;
  validateFrontMatter: (data: Record<string, unknown>, path: string, source?: string) => Promise<unknown>;
}

/**
 * Parses and validates one file into its rows.
 * A file without front matter (or without `id`/`created` in it) is served
 * as it is (design.md, "Decisions" > "Documents"): id = first 8 hex of
 * sha256(key), created = mtime here (git date filled in by the caller).
 * Front matter is validated with the schema only here, on (re)index.
 */
export async function prepareDoc(input: PrepareInput, parsers: RowParsers): Promise<Prepared> {
  const { entry, text, path } = input;
  try {
    const parsed = parsers.parseHandoff(text, { path });
    const id = validId(parsed.data.id) ?? derivedId(entry.key);
    const fmCreated = validDate(parsed.data.created);
    const created = fmCreated ?? isoFromMs(entry.mtimeMs);
    let data: Record<string, unknown> = parsed.data;
    if (parsed.frontMatterRaw !== '') {
      // A missing or malformed id or date was replaced above, so what fails
      // here is a value of the wrong kind (a bad name, work_type, ...).
      data = (await parsers.validateFrontMatter({ ...parsed.data, id, created }, path, text)) as Record<
        string,
        unknown
      >;
    }
    return { meta: buildMeta(entry, text, parsed, data, id, created), datedByMtime: fmCreated === null };
  } catch (e) {
    let message = (e as Error | null)?.message ?? String(e);
    // The report carries the path separately: `line 3: invalid front matter: ...`.
    if (e instanceof FrontMatterError && message.startsWith(`${e.path}:${e.line}: `)) {
      message = `line ${e.line}: ${message.slice(`${e.path}:${e.line}: `.length)}`;
    }
    return {
      failure: {
        key: entry.key,
        mtime: entry.mtimeMs,
        size: entry.size,
        message: message.replace(/\s*\n\s*/g, ' ').trim(),
      },
    };
  }
}

/** Rows of one parsed file. `data` is the (validated) front matter; `id`/`created` already resolved. */
export function buildRow(
  entry: StoreEntry,
  text: string,
  parsed: ParsedHandoff,
  data: Record<string, unknown>,
  id: string,
  created: string,
): DocRow {
  return materializeRow(buildMeta(entry, text, parsed, data, id, created), text);
}

/** The compact form of {@link buildRow}. */
export function buildMeta(
  entry: StoreEntry,
  text: string,
  parsed: ParsedHandoff,
  data: Record<string, unknown>,
  id: string,
  created: string,
): DocMeta {
  const git = (typeof data.git === 'object' && data.git !== null ? data.git : {}) as Record<string, unknown>;
  const expires = validDate(data.expires);
  const name = str(data.name);
  // A hand-written file has no summary; its title is the best one-liner `list` can show.
  const summary = str(data.summary) ?? parsed.title;
  const tags = Array.isArray(data.tags) ? data.tags.filter((t): t is string => typeof t === 'string') : [];
  const fmLength = parsed.frontMatterRaw.length;
  // The parser guarantees frontMatterRaw + every section's raw === text, and
  // that each raw ends with its text; checked, because the index rebuilds
  // files from these offsets.
  let exact = text.startsWith(parsed.frontMatterRaw);
  let pos = fmLength;
  for (const s of parsed.sections) {
    if (!exact) break;
    exact = text.startsWith(s.raw, pos) && s.raw.endsWith(s.text);
    pos += s.raw.length;
  }
  exact &&= pos === text.length;
  let rawStart = 0;
  const sections: DocMeta['sections'] = parsed.sections.map((s) => {
    const section = {
      heading: s.heading,
      canonical: s.canonical,
      rawStart,
      rawLen: s.raw.length,
      textLen: s.text.length,
      raw: exact ? null : s.raw,
      text: exact ? null : s.text,
    };
    rawStart += s.raw.length;
    return section;
  });
  return {
    key: entry.key,
    id,
    name,
    project: str(data.project),
    summary,
    tags: JSON.stringify(tags),
    created,
    created_ms: Date.parse(created),
    expires,
    expires_ms: expires === null ? null : Date.parse(expires),
    work_type: str(data.work_type),
    agent: str(data.agent),
    branch: str(git.branch) ?? str(data.branch),
    git_commit: str(git.commit) ?? str(data.git_commit),
    parent: str(data.parent),
    auto: data.auto === true ? 1 : 0,
    mtime: entry.mtimeMs,
    size: entry.size,
    has_front_matter: fmLength > 0 ? 1 : 0,
    has_cjk: CJK.test(text) ? 1 : 0,
    fmLength,
    exact,
    sections,
    name_fts: name,
    summary_fts: summary,
    tags_fts: tags.length ? tags.join(' ') : null,
  };
}

/** Separator between the raw sections that share an FTS column. */
const COLUMN_JOIN = '\n';

/**
 * The full row from its compact form and the file's text.
 * @param text the same text `meta` was built from.
 */
export function materializeRow(meta: DocMeta, text: string): DocRow {
  // Headings are searchable too ("Key Decisions", a YAML key): each column holds whole raw sections.
  const columns: Array<string[] | null> = FTS_COLUMNS.map(() => null);
  const lengths = FTS_COLUMNS.map(() => 0);
  const sections: SectionRow[] = [];
  for (const s of meta.sections) {
    const raw = s.raw ?? text.slice(meta.fmLength + s.rawStart, meta.fmLength + s.rawStart + s.rawLen);
    const col = s.canonical === null ? OTHER_COLUMN : FIRST_SECTION_COLUMN + CANONICAL_INDEX.get(s.canonical)!;
    let parts = columns[col];
    if (!parts) {
      parts = [];
      columns[col] = parts;
    }
    const colStart = parts.length === 0 ? 0 : lengths[col]! + COLUMN_JOIN.length;
    parts.push(raw);
    lengths[col] = colStart + raw.length;
    sections.push({
      heading: s.heading,
      canonical: s.canonical,
      col,
      colStart,
      rawLen: raw.length,
      textLen: s.textLen,
      text: s.text,
    });
  }
  const fts: Array<string | null> = columns.map((parts) => (parts ? parts.join(COLUMN_JOIN) : null));
  fts[0] = meta.name_fts;
  fts[1] = meta.summary_fts;
  fts[2] = meta.tags_fts;
  // Properties written out rather than spread: object rest/spread over this
  // many keys makes V8 build dictionary-mode objects, which tripled the old
  // space garbage of a large rebuild.
  return {
    key: meta.key,
    id: meta.id,
    name: meta.name,
    project: meta.project,
    summary: meta.summary,
    tags: meta.tags,
    created: meta.created,
    created_ms: meta.created_ms,
    expires: meta.expires,
    expires_ms: meta.expires_ms,
    work_type: meta.work_type,
    agent: meta.agent,
    branch: meta.branch,
    git_commit: meta.git_commit,
    parent: meta.parent,
    auto: meta.auto,
    mtime: meta.mtime,
    size: meta.size,
    front_matter: text.slice(0, meta.fmLength),
    content: meta.exact ? null : text,
    has_front_matter: meta.has_front_matter,
    has_cjk: meta.has_cjk,
    sections,
    fts,
  };
}

/**
 * The texts of a handoff's sections, and its whole content, rebuilt from the
 * stored front matter, FTS columns and section offsets.
 */
export function sectionTexts(
  sections: ReadonlyArray<Pick<SectionRow, 'col' | 'colStart' | 'rawLen' | 'textLen' | 'text'>>,
  columns: ReadonlyArray<string | null>,
): Array<{ raw: string; text: string }> {
  return sections.map((s) => {
    const column = columns[s.col] ?? '';
    const raw = column.slice(s.colStart, s.colStart + s.rawLen);
    return { raw, text: s.text ?? raw.slice(raw.length - s.textLen) };
  });
}

const OTHER_COLUMN = FTS_COLUMNS.indexOf('other');
const CANONICAL_INDEX = new Map<string, number>(CANONICAL_SECTIONS.map((c, i) => [c, i]));

/** Sets a row's `created` (e.g. to the git first-commit date). */
export function redate(row: Pick<DocRow, 'created' | 'created_ms'>, created: string): void {
  row.created = created;
  row.created_ms = Date.parse(created);
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** `v` when it is a well-formed handoff id, else null. */
export function validId(v: unknown): string | null {
  return typeof v === 'string' && ID_PATTERN.test(v) ? v : null;
}

/** The id of a file without one (design.md, "Decisions" > "Documents"): first 8 hex of sha256(store key). */
export function derivedId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** `v` when it is a parseable date string (or Date), else null. */
export function validDate(v: unknown): string | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : isoFromMs(v.getTime());
  if (typeof v !== 'string' || v === '') return null;
  return Number.isNaN(Date.parse(v)) ? null : v;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the form the front matter parser normalises dates to. */
export function isoFromMs(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
