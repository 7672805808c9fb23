/**
 * YAML front matter of handoff files: split it from the body, read it
 * tolerantly, and write it back in a stable order.
 *
 * Reading follows design.md ("Decisions that settle open questions" >
 * Documents): unknown keys are kept; `created` accepts any ISO 8601 date or
 * date-time with offset and `date` is an alias; flat `git_commit` / `commit` /
 * `branch` map into `git`. Only invalid YAML is an error. Values of the wrong
 * type for a known key are dropped with a warning, never an error, so a
 * hand-edited file always stays readable.
 */
import { jsYaml } from './_yaml.js';
import { FrontMatterError } from '../errors.js';
import type { FrontMatter } from './schema.js';
import { FRONT_MATTER_SHAPE } from './_fast-schema.js';
import { type FrontMatterSplit, splitFrontMatter } from './split.js';

export { type FrontMatterSplit, splitFrontMatter };

/** Front matter after tolerant normalisation; unknown keys kept. */
export type FrontMatterData = Partial<FrontMatter> & Record<string, unknown>;

/** Result of {@link readFrontMatter}. */
export interface FrontMatterResult {
  /** Normalised front matter, `{}` when the file has none. */
  data: FrontMatterData;
  /** Exact front matter block (see {@link FrontMatterSplit.raw}), or `""`. */
  raw: string;
  /** Everything after the front matter, exactly as in the file. */
  body: string;
  /** Number of file lines the front matter block takes (0 without one). */
  lineCount: number;
  /** Values dropped or reinterpreted during normalisation. */
  warnings: string[];
}

const YAML_KEY_LINE = /^[A-Za-z_][\w.-]*[ \t]*:(?:[ \t]|$)/m;
const NOT_A_MAPPING = 'the block between the leading --- lines is not a YAML mapping; read as part of the body';

/**
 * Splits and parses the front matter of a handoff file.
 *
 * @param text whole file content
 * @param path file name used in errors (default `<input>`)
 * @returns data (normalised), the exact raw block and the body; `{}`/`""` without front matter.
 *   A block that is valid YAML but not a mapping (e.g. `---`, a paragraph, `---` used as
 *   thematic breaks) is not front matter: the whole text is body and a warning says so.
 * @throws FrontMatterError when the block is not valid YAML, with the 1-based line in the file.
 */
export function readFrontMatter(text: string, path = '<input>'): FrontMatterResult {
  const split = splitFrontMatter(text);
  if (!split) return { data: {}, raw: '', body: text, lineCount: 0, warnings: [] };
  let value: unknown;
  try {
    value =
      split.yaml.trim() === '' ? null : (loadSimpleYaml(split.yaml) ?? jsYaml().load(split.yaml, { filename: path }));
  } catch (e) {
    // `---` is also a thematic break: a body that merely starts with one and has a
    // second one later is not broken front matter unless it looks like YAML keys.
    if (!YAML_KEY_LINE.test(split.yaml)) {
      return { data: {}, raw: '', body: text, lineCount: 0, warnings: [NOT_A_MAPPING] };
    }
    // js-yaml threw, so it is loaded: asking for it here costs nothing.
    if (e instanceof jsYaml().YAMLException) {
      const line = split.yamlLine + (e.mark?.line ?? 0);
      throw new FrontMatterError(path, line, `${e.reason}; fix the YAML between the --- lines`, { cause: e });
    }
    const reason = e instanceof Error ? e.message : String(e);
    throw new FrontMatterError(path, split.yamlLine, reason, { cause: e });
  }
  const lineCount = countLines(split.raw);
  if (value === null || value === undefined) {
    return { data: {}, raw: split.raw, body: split.body, lineCount, warnings: [] };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      data: {},
      raw: '',
      body: text,
      lineCount: 0,
      warnings: [NOT_A_MAPPING],
    };
  }
  const warnings: string[] = [];
  const data = normalizeFrontMatter(value as Record<string, unknown>, warnings, split.yaml);
  return { data, raw: split.raw, body: split.body, lineCount, warnings };
}

// ---------------------------------------------------------------------------
// Fast path for the flat front matter this tool writes

/** Scalars that js-yaml's default (core) schema reads as null or booleans. */
const CORE_NULLS = new Set(['~', 'null', 'Null', 'NULL']);
const CORE_BOOLS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
// js-yaml 5 core schema: `intCoreTag` and `floatCoreTag` (dist/js-yaml.mjs), copied.
const CORE_INT = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+)$/;
const CORE_FLOAT =
  /^(?:[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
/** A top-level key the fast path accepts (the keys of design.md's format and alike). */
const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Characters js-yaml may refuse or read specially (C0/C1 controls incl. tab, a CR not before LF, BOM,
// noncharacters, line separators, surrogates): any of them sends the block to js-yaml. (Paired
// surrogates, i.e. emoji, are fine for YAML but rare in front matter: not worth a slower test.)
const UNSAFE_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]|\r(?!\n)/;
/** Not a fast-path value: falls back to js-yaml. */
const NO = Symbol('no fast path');

/**
 * Reads the flat front matter this tool writes (design.md example) without
 * js-yaml, ~10x faster; the index re-reads thousands of files a second.
 * Accepted: one `key: value` per line (no indentation, comments, anchors,
 * tags or block scalars), values plain or quoted on one line, flow lists of
 * plain scalars (`tags: [api, crud]`) and one flow mapping of plain scalars
 * (`git: {branch: main, commit: 4f2c1a9e, dirty: true}`). Plain scalars
 * resolve as js-yaml 5's default core schema does (null, booleans, integers,
 * floats, else strings; its resolvers are copied here).
 * Anything else returns undefined and the caller uses js-yaml, so for every
 * accepted block the result equals js-yaml's `load` (checked against it over
 * the corpus and generated front matter in test/format/frontmatter.test.ts).
 *
 * @param yaml the text between the fences (`FrontMatterSplit.yaml`)
 * @returns the mapping, or undefined when the block needs the full YAML parser
 */
export function loadSimpleYaml(yaml: string): Record<string, unknown> | undefined {
  if (UNSAFE_CHAR.test(yaml)) return undefined;
  const out: Record<string, unknown> = {};
  let start = 0;
  const n = yaml.length;
  while (start < n) {
    let end = yaml.indexOf('\n', start);
    if (end === -1) end = n;
    const next = end + 1;
    if (end > start && yaml.charCodeAt(end - 1) === 13 /* \r */) end--;
    if (end === start) {
      start = next;
      continue;
    }
    const colon = yaml.indexOf(':', start);
    if (colon === -1 || colon >= end) return undefined;
    const key = yaml.slice(start, colon);
    if (!simpleKey(key) || Object.hasOwn(out, key)) return undefined;
    let value: unknown;
    if (colon + 1 === end) {
      value = null;
    } else {
      if (yaml.charCodeAt(colon + 1) !== 32 /* space */) return undefined;
      value = blockValue(yaml.slice(colon + 2, end));
      if (value === NO) return undefined;
    }
    out[key] = value;
    start = next;
  }
  return out;
}

/** A key read as the same string by js-yaml (not null/true/...) and safe as a property name. */
function simpleKey(key: string): boolean {
  return SIMPLE_KEY.test(key) && !CORE_NULLS.has(key) && !CORE_BOOLS.has(key) && key !== '__proto__';
}

/** A mapping value on the key's line: plain, quoted, `[...]` or `{...}`. */
function blockValue(v: string): unknown {
  if (v === '') return NO; // `key:  x` (two spaces) and trailing blanks: left to js-yaml
  const c = v.charCodeAt(0);
  if (c === 91 /* [ */) return flowList(v);
  if (c === 123 /* { */) return flowMap(v);
  if (c === 39 /* ' */) return singleQuoted(v);
  if (c === 34 /* " */) {
    // No escapes: the text between the quotes is the value.
    return v.length >= 2 && v.charCodeAt(v.length - 1) === 34 && !/["\\]/.test(v.slice(1, -1)) ? v.slice(1, -1) : NO;
  }
  // A plain scalar ends at ` #`; `: ` or a final `:` would start a nested mapping.
  if (/ #|: |:$|[ ]$/.test(v) || !plainStart(c, v)) return NO;
  return plainScalar(v);
}

/** `'...'` with `''` for a quote, alone on its line. */
function singleQuoted(v: string): unknown {
  let out = '';
  let i = 1;
  for (;;) {
    const q = v.indexOf("'", i);
    if (q === -1) return NO;
    out += v.slice(i, q);
    if (v.charCodeAt(q + 1) === 39) {
      out += "'";
      i = q + 2;
      continue;
    }
    return q === v.length - 1 ? out : NO;
  }
}

/**
 * Whether a plain scalar may start with this character: not a YAML
 * indicator (`-?:,[]{}#&*!|>'"%@` and backtick), not a space.
 */
function plainStart(c: number, v: string): boolean {
  if (c === 32) return false;
  if ('-?:,[]{}#&*!|>\'"%@`'.includes(v[0]!)) return false;
  return true;
}

/** A plain scalar's value under js-yaml's core schema (null, bool, int, float, else string), or NO. */
function plainScalar(v: string): unknown {
  if (CORE_NULLS.has(v)) return null;
  if (CORE_BOOLS.has(v)) return v.charCodeAt(0) === 116 /* t */ || v.charCodeAt(0) === 84 /* T */;
  const c = v.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return v;
  // Ids such as `12816e88` are floats to YAML (normaliseFrontMatter recovers them from the source),
  // `94e86569` overflows and stays a string: resolved exactly as js-yaml 5's intCoreTag and floatCoreTag do.
  if (CORE_INT.test(v)) {
    const n = coreInteger(v);
    if (Number.isFinite(n)) return n;
  }
  if (CORE_FLOAT.test(v)) {
    let t = v.toLowerCase();
    const sign = t[0] === '-' ? -1 : 1;
    if (t[0] === '-' || t[0] === '+') t = t.slice(1);
    if (t === '.inf') return sign * Number.POSITIVE_INFINITY;
    if (t === '.nan') return Number.NaN;
    const n = sign * Number.parseFloat(t);
    if (Number.isFinite(n)) return n;
  }
  return v;
}

/** js-yaml 5 `parseYamlInteger` (core schema). */
function coreInteger(source: string): number {
  let value = source;
  let sign = 1;
  if (value[0] === '-' || value[0] === '+') {
    if (value[0] === '-') sign = -1;
    value = value.slice(1);
  }
  if (value.startsWith('0o')) return sign * Number.parseInt(value.slice(2), 8);
  if (value.startsWith('0x')) return sign * Number.parseInt(value.slice(2), 16);
  return sign * Number.parseInt(value, 10);
}

/** `[a, b]`: plain items only (no quotes, nesting, `:` or `#`). */
function flowList(v: string): unknown {
  if (v.charCodeAt(v.length - 1) !== 93 /* ] */) return NO;
  const inner = v.slice(1, -1);
  if (/[[\]{}'"#:]/.test(inner)) return NO;
  if (inner.trim() === '') return inner === '' ? [] : NO;
  const items: unknown[] = [];
  for (const part of inner.split(',')) {
    const item = flowItem(part);
    if (item === NO) return NO;
    items.push(item);
  }
  return items;
}

/** `{k: v, ...}`: simple keys and plain values only. */
function flowMap(v: string): unknown {
  if (v.charCodeAt(v.length - 1) !== 125 /* } */) return NO;
  const inner = v.slice(1, -1);
  if (/[[\]{}'"#]/.test(inner) || inner.trim() === '') return NO;
  const out: Record<string, unknown> = {};
  for (const part of inner.split(',')) {
    const sep = part.indexOf(': ');
    if (sep === -1) return NO;
    const key = part.slice(0, sep).replace(/^ +/, '');
    if (!simpleKey(key) || Object.hasOwn(out, key)) return NO;
    const value = flowItem(part.slice(sep + 2));
    if (value === NO) return NO;
    out[key] = value;
  }
  return out;
}

/** One plain item of a flow collection, spaces around it dropped. */
function flowItem(part: string): unknown {
  const item = part.replace(/^ +| +$/g, '');
  if (item === '' || item.includes(':') || !plainStart(item.charCodeAt(0), item)) return NO;
  return plainScalar(item);
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

const STRING_KEYS = ['name', 'project', 'summary', 'work_type', 'agent'] as const;
const ID_KEYS = ['id', 'parent'] as const;

/**
 * Tolerant normalisation of parsed front matter (design.md, Documents).
 *
 * - `date` is an alias for `created` (used when `created` is absent; the `date` key is then removed).
 * - `created` / `expires`: ISO 8601 date, or date-time with `Z` or an offset (`+01:00`, `+0100`, `+01`),
 *   or a `Date` object -> `YYYY-MM-DDTHH:MM:SSZ` (UTC). A date-time without offset is read as UTC.
 * - flat `git_commit` / `commit` / `branch` / `dirty` fill `git.commit` / `git.branch` / `git.dirty`
 *   (an explicit `git` mapping wins) and are removed.
 * - `tags` given as `"a, b"` becomes `["a", "b"]`.
 * - `id` / `parent` written unquoted as a number (`12345678`, or `0e123456` read as a float) are
 *   recovered from the YAML source when given.
 * - Other wrong types for known keys (schema.ts) are dropped with a message in `warnings`;
 *   `null` values of known keys are dropped silently. Unknown keys are kept as they are.
 *
 * @param input parsed YAML mapping (not modified)
 * @param warnings receives one line per dropped or reinterpreted value
 * @param yamlSource the YAML text, to recover unquoted numeric ids
 */
export function normalizeFrontMatter(
  input: Record<string, unknown>,
  warnings: string[] = [],
  yamlSource?: string,
): FrontMatterData {
  const data: Record<string, unknown> = { ...input };

  if (data.created === undefined && data.date !== undefined) {
    data.created = data.date;
    delete data.date;
  }
  for (const key of ['created', 'expires'] as const) {
    const v = data[key];
    if (v === undefined) continue;
    delete data[key];
    if (v === null) continue;
    const iso = normalizeIsoDate(v);
    if (iso) data[key] = iso;
    else warnings.push(`front matter "${key}" is not an ISO 8601 date or date-time (${preview(v)}); ignored`);
  }

  normalizeGit(data, warnings);

  if (data.tags !== undefined) {
    const tags = normalizeTags(data.tags);
    delete data.tags;
    if (tags) data.tags = tags;
    else if (input.tags !== null)
      warnings.push(`front matter "tags" must be a list or a comma-separated string; ignored`);
  }

  for (const key of ID_KEYS) {
    const v = data[key];
    if (v === undefined) continue;
    if (typeof v === 'string') continue;
    delete data[key];
    if (v === null) continue;
    const recovered = typeof v === 'number' && yamlSource ? rawScalar(yamlSource, key) : null;
    if (recovered) data[key] = recovered;
    else warnings.push(`front matter "${key}" must be a string (${preview(v)}); ignored`);
  }

  for (const key of STRING_KEYS) {
    const v = data[key];
    if (v === undefined || typeof v === 'string') continue;
    delete data[key];
    if (v === null) continue;
    if (typeof v === 'number' || typeof v === 'boolean') data[key] = String(v);
    else warnings.push(`front matter "${key}" must be a string (${preview(v)}); ignored`);
  }

  if (data.handoff !== undefined && typeof data.handoff !== 'number') {
    const v = data.handoff;
    delete data.handoff;
    const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : null;
    if (n !== null) data.handoff = n;
    else if (v !== null)
      warnings.push(`front matter "handoff" must be the format version number (${preview(v)}); ignored`);
  }

  if (data.auto !== undefined && typeof data.auto !== 'boolean') {
    const v = data.auto;
    delete data.auto;
    if (v === 'true' || v === 'false') data.auto = v === 'true';
    else if (v !== null) warnings.push(`front matter "auto" must be true or false (${preview(v)}); ignored`);
  }

  return data as FrontMatterData;
}

function normalizeGit(data: Record<string, unknown>, warnings: string[]): void {
  let git: Record<string, unknown> | undefined;
  if (data.git !== undefined) {
    const g = data.git;
    delete data.git;
    if (g !== null && typeof g === 'object' && !Array.isArray(g)) git = { ...(g as Record<string, unknown>) };
    else if (g !== null)
      warnings.push(`front matter "git" must be a mapping like {branch: main, commit: <sha>}; ignored`);
  }
  const flat: Array<[string, 'commit' | 'branch' | 'dirty']> = [
    ['git_commit', 'commit'],
    ['commit', 'commit'],
    ['git_branch', 'branch'],
    ['branch', 'branch'],
    ['git_dirty', 'dirty'],
  ];
  for (const [from, to] of flat) {
    const v = data[from];
    if (v === undefined) continue;
    delete data[from];
    if (v === null) continue;
    git ??= {};
    if (git[to] === undefined) git[to] = v;
  }
  if (!git) return;
  for (const key of ['commit', 'branch'] as const) {
    const v = git[key];
    if (v === undefined || typeof v === 'string') continue;
    delete git[key];
    if (typeof v === 'number') git[key] = String(v);
    else if (v !== null) warnings.push(`front matter "git.${key}" must be a string (${preview(v)}); ignored`);
  }
  if (git.dirty !== undefined && typeof git.dirty !== 'boolean') {
    const v = git.dirty;
    delete git.dirty;
    if (v === 'true' || v === 'false') git.dirty = v === 'true';
    else if (v !== null) warnings.push(`front matter "git.dirty" must be true or false (${preview(v)}); ignored`);
  }
  data.git = git;
}

function normalizeTags(v: unknown): string[] | null {
  if (typeof v === 'string') {
    return v
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
  }
  if (typeof v === 'number') return [String(v)];
  if (!Array.isArray(v)) return null;
  const out: string[] = [];
  for (const t of v) {
    if (typeof t === 'string') {
      if (t.trim() !== '') out.push(t.trim());
    } else if (typeof t === 'number' || typeof t === 'boolean') out.push(String(t));
  }
  return out;
}

/** Unquoted top-level scalar of `key` as written, e.g. `id: 0e123456` -> `0e123456`. */
function rawScalar(yaml: string, key: string): string | null {
  const m = new RegExp(`^${key}[ \\t]*:[ \\t]*([0-9A-Za-z.+-]+)[ \\t]*(?:#.*)?$`, 'm').exec(yaml);
  return m?.[1] ?? null;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?[ \t]*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Normalises an ISO 8601 date or date-time to `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds).
 *
 * Accepts `2026-11-21`, `2026-11-21T14:30Z`, `2026-11-21T14:30:00.123+01:00`,
 * `2026-11-21 14:30:00 +0100`, a date-time without offset (read as UTC), and `Date` objects.
 *
 * @returns the normalised string, or `null` when `value` is not such a date.
 */
export function normalizeIsoDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : toIsoSeconds(value);
  if (typeof value !== 'string') return null;
  const s = value.trim();
  let m = ISO_DATE.exec(s);
  if (m) {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return validParts(d, m) ? toIsoSeconds(d) : null;
  }
  m = ISO_DATE_TIME.exec(s);
  if (!m) return null;
  const [, y, mo, da, h, mi, se, zone] = m;
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(se ?? 0);
  if (hour > 23 || minute > 59 || second > 60) return null;
  // Already `YYYY-MM-DDTHH:MM:SSZ` (what this tool writes) naming a real instant: returned as it is,
  // without the Date calls below (their first use costs ~0.25 ms of a cold start). Years before
  // 1000 and leap seconds take the general path.
  if (s.length === 20 && s.charCodeAt(10) === 84 /* T */ && se !== undefined && zone === 'Z' && second < 60) {
    const year = Number(y);
    const day = Number(da);
    if (year >= 1000 && day >= 1 && day <= daysInMonth(year, Number(mo))) return s;
  }
  let offsetMinutes = 0;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
  }
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(da), hour, minute, second);
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(da)));
  if (!validParts(check, m)) return null;
  return toIsoSeconds(new Date(local - offsetMinutes * 60_000));
}

/** Days in `month` (1-12) of `year` (proleptic Gregorian, as Date); 0 for a month out of range. */
function daysInMonth(year: number, month: number): number {
  if (month < 1 || month > 12) return 0;
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function validParts(d: Date, m: RegExpExecArray): boolean {
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function toIsoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

function preview(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'a list' : typeof v;
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/**
 * Key order of written front matter (design.md example); unknown keys follow
 * in their own order. The schema's own key order (test/format/fast-schema.test.ts).
 */
export const FRONT_MATTER_KEY_ORDER = FRONT_MATTER_SHAPE;

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * Serialises front matter as YAML lines (without the `---` fences), keys in
 * {@link FRONT_MATTER_KEY_ORDER} then unknown keys in insertion order.
 * `tags` and `git` use flow style (`tags: [api, crud]`,
 * `git: {branch: main, commit: 4f2c1a9e, dirty: true}`) and UTC timestamps are
 * written unquoted, as in design.md; strings that YAML would read as another
 * type (`id: '12345678'`) are quoted. `undefined` values are skipped.
 *
 * @example serializeFrontMatter({ id: 'a3f9c12e', created: '2026-11-21T14:30:00Z', tags: ['api'] })
 * // "id: a3f9c12e\ntags: [api]\ncreated: 2026-11-21T14:30:00Z\n"
 */
export function serializeFrontMatter(data: Record<string, unknown>): string {
  const keys: string[] = [];
  for (const k of FRONT_MATTER_KEY_ORDER) if (data[k] !== undefined) keys.push(k);
  const known = new Set<string>(FRONT_MATTER_KEY_ORDER);
  for (const k of Object.keys(data)) if (!known.has(k) && data[k] !== undefined) keys.push(k);
  let out = '';
  for (const key of keys) {
    const value = data[key];
    if ((key === 'created' || key === 'expires') && typeof value === 'string' && ISO_UTC.test(value)) {
      out += `${key}: ${value}\n`;
      continue;
    }
    const flow = key === 'tags' || key === 'git';
    out +=
      dumpSimpleEntry(key, value, flow) ??
      jsYaml().dump({ [key]: value }, { flowLevel: flow ? 1 : -1, lineWidth: -1, skipInvalid: true, noRefs: true });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Fast path for the values this tool writes

/** A string js-yaml writes unquoted as a mapping value: starts with a letter, no YAML indicator inside. */
const PLAIN_BLOCK_STRING = /^[A-Za-z][A-Za-z0-9 _.,/()+@=-]*$/;
/** The same inside a flow collection (`[a, b]`, `{k: v}`), where a comma ends the item. */
const PLAIN_FLOW_STRING = /^[A-Za-z][A-Za-z0-9 _./()+@=-]*$/;

/**
 * Words starting with a letter that js-yaml's dumper quotes because YAML 1.1
 * or 1.2 reads them as null or a boolean (its DUMP_SCHEMA: `nullYaml11Tag`,
 * `boolYaml11Tag`); numbers, dates and `.inf` start with a digit, a sign or a dot.
 */
const DUMP_RESERVED_WORDS = new Set(
  'null Null NULL true True TRUE false False FALSE y Y yes Yes YES n N no No NO on On ON off Off OFF'.split(' '),
);

/** A string written unquoted (not a word YAML reads as null or a boolean, no trailing space). */
function plainString(s: string, flow: boolean): boolean {
  return (
    (flow ? PLAIN_FLOW_STRING : PLAIN_BLOCK_STRING).test(s) &&
    s.charCodeAt(s.length - 1) !== 32 &&
    !DUMP_RESERVED_WORDS.has(s)
  );
}

/**
 * Lower-case hex with a letter other than `e` (commit hashes, ids): no YAML
 * number (`1e5` is a float, `0b101` a YAML 1.1 binary int), so written plain.
 */
const HEX_WORD = /^(?!0b)[0-9a-f]*[a-df][0-9a-f]*$/;

/**
 * Up to 15 digits: a YAML integer, so js-yaml writes such a string
 * single-quoted (`id: '12345678'`, one random id in forty). (Longer ones
 * may overflow, which js-yaml then writes plain.)
 */
const NUMBER_WORD = /^[0-9]{1,15}$/;
/** Digits, `e`, digits (a random id in about forty): a YAML float unless it overflows. */
const EXPONENT_WORD = /^[0-9]{1,15}e[0-9]{1,15}$/;

/** A scalar as js-yaml writes it, or null when it might quote or format it otherwise. */
function simpleScalar(v: unknown, flow: boolean): string | null {
  if (typeof v === 'string') {
    if (plainString(v, flow) || HEX_WORD.test(v)) return v;
    if (NUMBER_WORD.test(v)) return `'${v}'`;
    // `1e5` is a float; `1e999` overflows, is no number to js-yaml and stays plain.
    if (EXPONENT_WORD.test(v)) return Number.isFinite(Number(v)) ? `'${v}'` : v;
    return null;
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
  return null;
}

/**
 * `dump({ [key]: value }, { flowLevel: flow ? 1 : -1, lineWidth: -1, ... })`
 * for the values this tool writes (plain strings, integers, booleans; in flow
 * style a list or a flat mapping of them), without loading js-yaml (~5 ms);
 * null for anything else, which the caller gives to js-yaml.
 * test/format/frontmatter.test.ts compares both over the corpus and generated values.
 */
export function dumpSimpleEntry(key: string, value: unknown, flow: boolean): string | null {
  if (!plainString(key, false) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return null;
  const scalar = simpleScalar(value, false);
  if (scalar !== null) return `${key}: ${scalar}\n`;
  if (!flow || typeof value !== 'object' || value === null) return null;
  const parts: string[] = [];
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return null;
    for (let i = 0; i < value.length; i++) {
      const item = simpleScalar(value[i], true);
      if (item === null) return null;
      parts.push(item);
    }
    return `${key}: [${parts.join(', ')}]\n`;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return null;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue; // skipped by js-yaml too (skipInvalid)
    const item = simpleScalar(v, true);
    if (item === null || !plainString(k, true) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) return null;
    parts.push(`${k}: ${item}`);
  }
  return `${key}: {${parts.join(', ')}}\n`;
}
