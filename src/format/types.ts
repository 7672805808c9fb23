/**
 * The parsed handoff model shared by every layer. Plain types only (no
 * runtime code), so hot paths can import them for free.
 */
import type { CanonicalSection, FrontMatter } from './schema.js';

/** One section of a parsed document, in document order. */
export interface ParsedSection {
  /** Heading text as written, without `#` marks or setext underline; `""` for the preamble. */
  heading: string;
  /** Canonical name from the synonym table, or null for an unknown section / the preamble. */
  canonical: CanonicalSection | null;
  /** Body of the section without its heading line(s), exactly as in the file. */
  text: string;
  /** Heading level 1-6; 0 for the preamble, a YAML key, or a bold-label section. */
  level: number;
  /** 1-based line in the whole file (front matter included) where the section starts. */
  line: number;
  /** Exact source slice of the section: heading line(s) plus text. Concatenating every `raw` gives the body. */
  raw: string;
}

/** The result of `parseHandoff`: pure data, never I/O. */
export interface ParsedHandoff {
  /**
   * Front matter after tolerant normalisation (`date` -> `created`, flat
   * `git_commit`/`branch` -> `git`, dates -> ISO UTC). Unknown keys kept.
   * `{}` when the document has none; may lack `id`/`created` for hand-written files.
   */
  data: Partial<FrontMatter> & Record<string, unknown>;
  /** Exact front matter block including both `---` lines and the newline after, or `""`. */
  frontMatterRaw: string;
  /** Everything after the front matter, exactly as in the file. */
  body: string;
  /** A lone H1 at the top of the body, if any (its text, no `#`). */
  title: string | null;
  /** Sections in document order, the preamble first when there is text before the first heading. */
  sections: ParsedSection[];
  /** `yaml` for YAML handoffs (each top-level key a section), else `markdown`. */
  kind: 'markdown' | 'yaml';
  /** Problems that did not stop parsing (e.g. a front matter value of the wrong type, dropped). */
  warnings: string[];
}
