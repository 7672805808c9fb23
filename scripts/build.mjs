// Builds dist/ with esbuild: the library and the MCP server as ESM
// (dist/index.js, dist/mcp.js, dist/parse-worker.js), and the command line
// as CommonJS (dist/cli.cjs + dist/cli-chunks/*.cjs).
//
// Why the CLI is CommonJS: every session-start hook and every `handoff list`
// is a cold start, and on Node 20 the ESM loader costs ~4 ms before the first
// line runs (it reads files through fs/promises, which loads readline and
// streams) plus its resolve/translate work for each chunk; `require` of a
// file with a known path costs a fraction of that. How: esbuild bundles the
// CLI as ESM with code splitting (commands, zod, the MCP SDK, the tokenizer
// and secretlint load only when used), then each output file is transformed
// to CommonJS (static imports become `require`, dynamic imports of chunks
// `Promise.resolve().then(() => require(...))`). better-sqlite3's JavaScript
// is bundled in too (its native addon is loaded by path, see
// src/store/index-db.ts): requiring its 13 files by package resolution cost
// ~4 ms of every start.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, transform } from 'esbuild';

const define = { __VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) };

rmSync('dist', { recursive: true, force: true });

// The library, the MCP server entry and the parse worker: ESM, every package external.
await build({
  // parse-worker: the index parses big rebuilds in a worker thread when dist/parse-worker.js exists.
  entryPoints: {
    index: 'src/index.ts',
    mcp: 'src/mcp/server.ts',
    'parse-worker': 'src/store/parse-worker.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  define,
  logLevel: 'warning',
});

// The CLI: ESM with splitting, in memory, then each file to CommonJS.
const cli = await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Every package stays external except better-sqlite3's JavaScript (see above).
  // `bindings` is its fallback addon finder, never reached when the addon is passed by path.
  plugins: [externalPackagesExcept(['better-sqlite3'])],
  chunkNames: 'cli-chunks/[name]-[hash]',
  define,
  write: false,
  metafile: true,
  logLevel: 'warning',
});
// Which source files each CLI chunk holds, for finding what a command loads.
writeFileSync(join('dist', 'cli-meta.json'), JSON.stringify(cli.metafile));
const IMPORT_META_URL = '__handoff_import_meta_url';
for (const file of cli.outputFiles) {
  const usesImportMeta = file.text.includes('import.meta');
  const out = await transform(file.text, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // Dynamic import() of our own chunks becomes require(); of packages too, which
    // loads ESM-only packages (secretlint) through require(esm), on by default since Node 20.19.
    supported: { 'dynamic-import': false },
    define: usesImportMeta ? { 'import.meta.url': IMPORT_META_URL, 'import.meta.dirname': '__dirname' } : {},
    banner: usesImportMeta ? `const ${IMPORT_META_URL} = require("node:url").pathToFileURL(__filename).href;` : '',
    logLevel: 'warning',
  });
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, out.code);
}
chmodSync(join('dist', 'cli.cjs'), 0o755);

/** esbuild plugin: bare package imports are external, except the listed packages (and their files). */
function externalPackagesExcept(bundled) {
  return {
    name: 'external-packages-except',
    setup(b) {
      b.onResolve({ filter: /^[^./]|^\.[^./]|^\.\.[^/]/ }, (args) => {
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
        if (bundled.includes(name)) return undefined;
        // Inside a bundled package: its own relative requires resolve normally; other packages stay external.
        return { path: args.path, external: true };
      });
    },
  };
}
