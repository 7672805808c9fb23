/**
 * Rendering parsed handoffs back to text, composing new files, and the JSON
 * shape scripts rely on (`retrieve --json`, MCP structured output).
 */
import { serializeFrontMatter } from './frontmatter.js';
import type { FrontMatter, HandoffJson, Section } from './schema.js';
import type { ParsedHandoff, ParsedSection } from './types.js';

const ATX_LINE = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\r?\n?$/;

/** The heading a section's heading lines spell, to tell whether the caller changed `heading`. */
function headingOfRaw(raw: string, section: ParsedSection, kind: ParsedHandoff['kind']): string | null {
  const head = raw.replace(/^\uFEFF/, '');
  if (section.level >= 1) {
    const m = ATX_LINE.exec(head);
    if (m) return (m[1] ?? '').trim();
    // Setext: paragraph lines then the underline.
    const lines = head.replace(/\r?\n$/, '').split(/\r?\n/);
    lines.pop();
    return lines.map((l) => l.trim()).join(' ');
  }
  if (kind === 'yaml') {
    const m = /^(?:"([^"\n]+)"|'([^'\n]+)'|([^\n:]*?))[ \t]*:/.exec(head);
    return m ? (m[1] ?? m[2] ?? m[3] ?? '').trim() : null;
  }
  return head
    .trim()
    .replace(/^(?:\*\*|__)/, '')
    .replace(/(?:\*\*|__)$/, '')
    .replace(/[ \t]*[:：][ \t]*(?:\*\*|__)?$/, '')
    .replace(/(?:\*\*|__)$/, '')
    .trim();
}

/** Whether a section still matches its `raw` (the caller changed neither `heading` nor `text`). */
function isUnchanged(section: ParsedSection, kind: ParsedHandoff['kind']): boolean {
  const { raw, text, heading } = section;
  if (!raw.endsWith(text)) return false;
  const head = raw.slice(0, raw.length - text.length);
  if (heading === '' && section.level === 0) return head === '';
  return headingOfRaw(head, section, kind) === heading;
}

/**
 * Source of a section rebuilt from its `heading`, `text` and `level`:
 * `## Heading` (ATX, at its level) for markdown headings, `**Heading:**` for
 * label sections, `key: value` for YAML keys, the text alone for the preamble.
 */
function regenerate(section: ParsedSection, kind: ParsedHandoff['kind'], eol: string, isLast: boolean): string {
  let text = section.text;
  if (!isLast && text !== '' && !text.endsWith('\n')) text += eol;
  if (section.heading === '' && section.level === 0) return text;
  if (kind === 'yaml') {
    const key = /^[\w.-]+$/.test(section.heading) ? section.heading : JSON.stringify(section.heading);
    if (text === '') return `${key}:${eol}`;
    return /^[ \t]/.test(text) || text.startsWith('\n') || text.startsWith('\r\n')
      ? `${key}:${eol}${text}`
      : `${key}: ${text}`;
  }
  const head =
    section.level >= 1 ? `${'#'.repeat(Math.min(section.level, 6))} ${section.heading}` : `**${section.heading}:**`;
  return `${head}${eol}${text}`;
}

/**
 * Renders a parsed handoff back to the file text.
 *
 * Exact round trip: `renderHandoff(parseHandoff(t)) === t` for every input.
 * A section whose `text` or `heading` the caller changed (in place or in a
 * copy) is rebuilt from heading + text at its level (see `regenerate`), in the
 * document's line ending; every other byte is kept as it was. `data` is not
 * re-serialised: `frontMatterRaw` is written as is (use {@link composeHandoff}
 * to write new front matter).
 *
 * @example renderHandoff(parseHandoff(text)) === text // true
 */
export function renderHandoff(doc: ParsedHandoff): string {
  const eol = doc.body.includes('\r\n') ? '\r\n' : '\n';
  let out = doc.frontMatterRaw;
  const n = doc.sections.length;
  for (let i = 0; i < n; i++) {
    const section = doc.sections[i] as ParsedSection;
    out += isUnchanged(section, doc.kind) ? section.raw : regenerate(section, doc.kind, eol, i === n - 1);
  }
  return out;
}

/**
 * Builds a new handoff file: `---\n` + front matter (stable key order, see
 * `serializeFrontMatter`) + `---\n` + body, the body ending in exactly one
 * newline. With empty front matter the result is just the body.
 *
 * @param frontMatter fields to write; `undefined` values are skipped
 * @param body markdown body (leading blank lines are kept as given)
 * @example composeHandoff({ id: 'a3f9c12e', created: '2026-11-21T14:30:00Z' }, '## Next Steps\n1. Ship it')
 * // "---\nid: a3f9c12e\ncreated: 2026-11-21T14:30:00Z\n---\n## Next Steps\n1. Ship it\n"
 */
export function composeHandoff(frontMatter: Record<string, unknown>, body: string): string {
  const yaml = serializeFrontMatter(frontMatter);
  const text = `${body.replace(/(?:\r?\n)+$/, '')}\n`;
  return yaml === '' ? text : `---\n${yaml}---\n${text}`;
}

/** Extra fields of {@link toHandoffJson}. */
export interface HandoffJsonExtra extends Partial<FrontMatter> {
  /** File path relative to the store root. */
  path?: string;
  /** Absolute path of the store directory. */
  store?: string;
}

/**
 * The structured form of a handoff (`HandoffJsonSchema` in schema.ts): the
 * front matter fields, then `sections: [{heading, canonical, text}]` in
 * document order (the preamble only when it holds non-whitespace text), then
 * `path` / `store` when given.
 *
 * `id` and `created` come from the front matter; for a file without front
 * matter the caller passes them in `extra` (the store derives them), and
 * fields in `extra` override the front matter.
 */
export function toHandoffJson(doc: ParsedHandoff, extra: HandoffJsonExtra = {}): HandoffJson {
  const { path, store, ...fields } = extra;
  const sections: Section[] = [];
  for (const s of doc.sections) {
    if (s.heading === '' && s.level === 0 && s.text.trim() === '') continue;
    sections.push({ heading: s.heading, canonical: s.canonical, text: s.text });
  }
  const json: Record<string, unknown> = { ...doc.data };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) json[k] = v;
  json.sections = sections;
  if (path !== undefined) json.path = path;
  if (store !== undefined) json.store = store;
  return json as HandoffJson;
}
