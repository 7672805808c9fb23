/**
 * The handoff document format: parse, render, sections, front matter.
 * Safe for hot paths: nothing here imports zod at load time (validation
 * loads the schema lazily).
 */
export {
  type FrontMatterData,
  type FrontMatterResult,
  type FrontMatterSplit,
  FRONT_MATTER_KEY_ORDER,
  normalizeFrontMatter,
  normalizeIsoDate,
  readFrontMatter,
  serializeFrontMatter,
  splitFrontMatter,
} from './frontmatter.js';
export { type ParseOptions, parseHandoff } from './parse.js';
export { composeHandoff, type HandoffJsonExtra, renderHandoff, toHandoffJson } from './render.js';
export {
  type CompiledTable,
  canonicalSection,
  compileSynonyms,
  isSectionName,
  matchNormalizedHeading,
  normalizeHeading,
} from './sections.js';
export { ENGLISH_SYNONYMS, SYNONYMS_BY_LANGUAGE, type SynonymList } from './synonyms.js';
export type { ParsedHandoff, ParsedSection } from './types.js';
export { validateFrontMatter } from './validate.js';
