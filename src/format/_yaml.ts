/**
 * js-yaml, loaded on first use. Importing it costs ~5 ms (its schema
 * tables, plus resolving the package's `exports`), and most front matter
 * never needs it: `loadSimpleYaml` (frontmatter.ts) reads the flat blocks
 * this tool writes, and `serializeFrontMatter` writes the usual values
 * itself. It stays the parser of record for everything else.
 */
import { createRequire } from 'node:module';

type JsYaml = typeof import('js-yaml');

let yaml: JsYaml | undefined;

/** The js-yaml module (loaded synchronously on the first call). */
export function jsYaml(): JsYaml {
  yaml ??= createRequire(import.meta.filename)('js-yaml') as JsYaml;
  return yaml;
}

/** Whether js-yaml has been loaded in this process (for tests of cold paths). */
export function isYamlLoaded(): boolean {
  return yaml !== undefined;
}
