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
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

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

// The CLI: one CommonJS bundle per lazy boundary, all in dist/cli/. Pass 1
// finds the boundaries: every module of the CLI's graph loaded with import().
const scan = await build({
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/.scan',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  define,
  write: false,
  metafile: true,
  logLevel: 'silent',
});
const lazy = new Set();
for (const input of Object.values(scan.metafile.inputs)) {
  for (const imp of input.imports) if (imp.kind === 'dynamic-import' && !imp.external) lazy.add(imp.path);
}
/** 'src/format/parse.ts' -> 'format.parse': one flat directory, so an import() reads the same from every bundle. */
const bundleName = (source) =>
  source
    .replace(/^src\//, '')
    .replace(/\.ts$/, '')
    .replaceAll('/', '.');

// Pass 2: the bundles. Each holds its module's static graph; an import() of
// another boundary becomes require('./<name>.cjs'), of a package require(pkg)
// (ESM-only packages such as secretlint load through require(esm), on by
// default since Node 20.19). Modules shared by several bundles are copied into
// each: errors match across copies by kind (src/errors.ts).
const IMPORT_META_URL = '__handoff_import_meta_url';
const cli = await build({
  entryPoints: {
    handoff: 'src/cli/main.ts',
    ...Object.fromEntries([...lazy].map((source) => [bundleName(source), source])),
  },
  outdir: 'dist/cli',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  supported: { 'dynamic-import': false },
  plugins: [lazyBoundaries(lazy), externalPackagesExcept(['better-sqlite3']), unusedSqliteMethods()],
  define: { ...define, 'import.meta.url': IMPORT_META_URL },
  banner: { js: `const ${IMPORT_META_URL} = require("node:url").pathToFileURL(__filename).href;` },
  metafile: true,
  logLevel: 'warning',
});
// Which source files each CLI bundle holds, for finding what a command loads.
writeFileSync(join('dist', 'cli-meta.json'), JSON.stringify(cli.metafile));
chmodSync(join('dist', 'cli', 'handoff.cjs'), 0o755);

/**
 * esbuild plugin: better-sqlite3's methods this package never calls
 * (backup, serialize, user functions, aggregates, virtual tables, inspect)
 * become stubs that throw, so every CLI start compiles ~17 KB less.
 * src/store/sqlite.ts says which methods the code may use.
 */
function unusedSqliteMethods() {
  const unused = /better-sqlite3[\\/]lib[\\/]methods[\\/](backup|serialize|function|aggregate|table|inspect)\.js$/;
  return {
    name: 'unused-sqlite-methods',
    setup(b) {
      b.onLoad({ filter: unused }, (args) => {
        const method = unused.exec(args.path)[1];
        return {
          contents: `module.exports = function () { throw new Error('better-sqlite3 ${method}() is not bundled in the handoff CLI (scripts/build.mjs)'); };`,
          loader: 'js',
        };
      });
    },
  };
}

/** esbuild plugin: import() of a lazy boundary is external, as the flat bundle name. */
function lazyBoundaries(boundaries) {
  return {
    name: 'lazy-boundaries',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const source = relative(process.cwd(), resolve(args.resolveDir, args.path)).replace(/\.js$/, '.ts');
        if (!boundaries.has(source)) return undefined;
        return { path: `./${bundleName(source)}.cjs`, external: true };
      });
    },
  };
}

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
