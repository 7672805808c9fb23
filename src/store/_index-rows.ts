/**
 * Turning one handoff file into the rows the index stores. Pure (no I/O, no
 * database), so the same code runs in the main thread and in the parse
 * workers (parse-worker.ts) that a large rebuild uses.
 */
import { sha256Hex } from '../_crypto.js';
import { FrontMatterError } from '../errors.js';
import { parseFrontMatterFast } from '../format/_fast-schema.js';
import { CANONICAL_SECTIONS, ID_PATTERN } from '../format/constants.js';
import type { ParsedHandoff } from '../format/types.js';
import { type ListCells, listCells } from './list-table.js';
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
  /** Cached token count (o200k), null until computed. */
  tokens: number | null;
}

/**
 * A handoff's sections as kept in `handoffs.sections`: a JSON array with one
 * `[heading, canonical, col, colStart, rawLen, textLen, text, tokens]` per
 * section, in document order. One column instead of a table of ~8 rows per
 * handoff: a rebuild writes ~8 fewer B-tree entries per file (~15 µs).
 */
type PackedSection = [string, string | null, number, number, number, number, string | null, number | null];

/** Serialises sections for `handoffs.sections`. */
export function packSections(sections: readonly SectionRow[]): string {
  return JSON.stringify(
    sections.map(
      (s): PackedSection => [s.heading, s.canonical, s.col, s.colStart, s.rawLen, s.textLen, s.text, s.tokens],
    ),
  );
}

/** Reads `handoffs.sections` back. */
export function unpackSections(json: string): SectionRow[] {
  return (JSON.parse(json) as PackedSection[]).map(
    ([heading, canonical, col, colStart, rawLen, textLen, text, tokens]) => ({
      heading,
      canonical,
      col,
      colStart,
      rawLen,
      textLen,
      text,
      tokens,
    }),
  );
}

/**
 * A large text of a {@link DocRow}: a string, or its UTF-8 bytes when the
 * row came from a parse worker (parse-worker.ts moves them into one
 * transferred buffer per chunk, so that they never become strings in the
 * thread that writes the index). The index binds either with `CAST(? AS TEXT)`.
 */
export type RowText = string | Uint8Array;

/**
 * One handoff ready to be written to the tables (column names as in the
 * `handoffs` table). The `list_*` cells ({@link ListCells}) are what the
 * `list` table shows of name, project, tags and summary.
 */
export interface DocRow extends ListCells {
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
  front_matter: RowText;
  /** The whole file, only when it cannot be rebuilt from front matter + sections; else null. */
  content: RowText | null;
  has_front_matter: number;
  has_cjk: number;
  /** {@link packSections} of the sections. */
  sections: RowText;
  /** Values of FTS_COLUMNS, in order. */
  fts: Array<RowText | null>;
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
export type Prepared = { row: DocRow; datedByMtime: boolean } | { failure: Failure };

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
 * Front matter is validated with the schema only here, on (re)index, and
 * only when `parseFrontMatterFast` (src/format/_fast-schema.ts) cannot vouch
 * for it (zod costs ~20 µs a file and ~50 ms to load).
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
      data = { ...parsed.data, id, created };
      data =
        (parseFrontMatterFast(data) as Record<string, unknown> | null) ??
        ((await parsers.validateFrontMatter(data, path, text)) as Record<string, unknown>);
    }
    return { row: buildRow(entry, text, parsed, data, id, created), datedByMtime: fmCreated === null };
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

/** Separator between the raw sections that share an FTS column. */
const COLUMN_JOIN = '\n';

/**
 * Rows of one parsed file. `data` is the (validated) front matter;
 * `id`/`created` already resolved.
 *
 * The text is stored once: each FTS column holds the raw sections of its
 * canonical name joined by `\n`, and a section is an offset into its column.
 * The parser guarantees frontMatterRaw + every section's raw === text and
 * that each raw ends with its text; checked, because the index rebuilds
 * files from these offsets (when it does not hold, the file is stored whole
 * and section texts too).
 */
export function buildRow(
  entry: StoreEntry,
  text: string,
  parsed: ParsedHandoff,
  data: Record<string, unknown>,
  id: string,
  created: string,
): DocRow {
  const git = (typeof data.git === 'object' && data.git !== null ? data.git : {}) as Record<string, unknown>;
  const expires = validDate(data.expires);
  const name = str(data.name);
  // A hand-written file has no summary; its title is the best one-liner `list` can show.
  const summary = str(data.summary) ?? parsed.title;
  const tags = Array.isArray(data.tags) ? data.tags.filter((t): t is string => typeof t === 'string') : [];
  const frontMatter = parsed.frontMatterRaw;
  // slice + === compares in ~half the time of startsWith(x, pos) here (~3 vs ~6 µs a file).
  let pos = frontMatter.length;
  let exact = text.slice(0, pos) === frontMatter;
  for (const s of parsed.sections) {
    if (!exact) break;
    const n = s.raw.length;
    exact = text.slice(pos, pos + n) === s.raw && s.raw.slice(n - s.text.length) === s.text;
    pos += n;
  }
  exact &&= pos === text.length;

  // Headings are searchable too ("Key Decisions", a YAML key): each column holds whole raw sections.
  const columns: Array<string | null> = FTS_COLUMNS.map(() => null);
  const sections: SectionRow[] = [];
  for (const s of parsed.sections) {
    const col = s.canonical === null ? OTHER_COLUMN : FIRST_SECTION_COLUMN + CANONICAL_INDEX.get(s.canonical)!;
    const before = columns[col] ?? null;
    const colStart = before === null ? 0 : before.length + COLUMN_JOIN.length;
    columns[col] = before === null ? s.raw : before + COLUMN_JOIN + s.raw;
    sections.push({
      heading: s.heading,
      canonical: s.canonical,
      col,
      colStart,
      rawLen: s.raw.length,
      textLen: s.text.length,
      text: exact ? null : s.text,
      tokens: null,
    });
  }
  columns[0] = name;
  columns[1] = summary;
  columns[2] = tags.length ? tags.join(' ') : null;
  const project = str(data.project);
  return {
    key: entry.key,
    id,
    name,
    project,
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
    front_matter: frontMatter,
    content: exact ? null : text,
    has_front_matter: frontMatter.length > 0 ? 1 : 0,
    has_cjk: CJK.test(text) ? 1 : 0,
    sections: packSections(sections),
    fts: columns,
    ...listCells(name, project, tags, summary),
  };
}

/**
 * The texts of a handoff's sections rebuilt from the stored FTS columns and
 * section offsets.
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
  return sha256Hex(key).slice(0, 8);
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
