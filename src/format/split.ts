/**
 * The front matter block's boundaries, without reading the YAML. Kept apart
 * from frontmatter.ts (which loads js-yaml) so that `retrieve`, which prints
 * a stored body as it was given, loads no YAML parser.
 */

/** The pieces of a file around its front matter block. */
export interface FrontMatterSplit {
  /** Exact block: optional BOM, opening `---`, YAML, closing `---`/`...` line and its line ending. */
  raw: string;
  /** The YAML between the fence lines. */
  yaml: string;
  /** 1-based line of the file where `yaml` starts (2: the line after the opening fence). */
  yamlLine: number;
  /** Everything after the closing fence line, exactly as in the file. */
  body: string;
}

const BOM = '\uFEFF';
const OPEN_FENCE = /---[ \t]*\r?\n/y;
const CLOSE_FENCE = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/gm;

/**
 * Splits a leading YAML front matter block from `text`.
 *
 * The block starts with `---` on the first line (after an optional BOM) and
 * ends at the next line that is `---` or `...`. Without a closing line there
 * is no front matter: an opening `---` is then a thematic break of the body.
 * CRLF line endings are kept byte for byte.
 *
 * @returns the pieces, or `null` when `text` has no front matter block.
 */
export function splitFrontMatter(text: string): FrontMatterSplit | null {
  const start = text.startsWith(BOM) ? 1 : 0;
  OPEN_FENCE.lastIndex = start;
  const open = OPEN_FENCE.exec(text);
  if (!open) return null;
  const yamlStart = start + open[0].length;
  // An empty block (`---\n---`) closes on the very next line.
  CLOSE_FENCE.lastIndex = yamlStart;
  const close = CLOSE_FENCE.exec(text);
  if (!close) return null;
  const end = close.index + close[0].length;
  return {
    raw: text.slice(0, end),
    yaml: text.slice(yamlStart, close.index),
    yamlLine: 2,
    body: text.slice(end),
  };
}
