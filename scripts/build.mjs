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
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';

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
// default since Node 20.19). Small modules shared by several bundles are
// copied into each: errors match across copies by kind (src/errors.ts).
// A big module (SHARED_MIN_BYTES: splitting smaller ones cost more file loads than
// the copies cost compiling) that two bundles loadable in one run would
// both carry (check loads the parser and the rules, which both need the
// synonym table) becomes a bundle of its own, required statically: compiled
// once per run. Repeated until no such module is left.
const SHARED_MIN_BYTES = 24 * 1024;
const shared = new Set();
let cli;
for (let round = 1; ; round++) {
  cli = await buildCli(lazy, shared);
  const more = sharedCandidates(cli.metafile).filter((m) => !shared.has(m));
  if (more.length === 0) break;
  if (round === 5) throw new Error(`build: shared modules did not settle: ${more.join(', ')}`);
  for (const m of more) shared.add(m);
}
// Which source files each CLI bundle holds, for finding what a command loads.
writeFileSync(join('dist', 'cli-meta.json'), JSON.stringify(cli.metafile));
for (const name of readdirSync(join('dist', 'cli'))) {
  if (name.endsWith('.cjs')) asciiOnly(join('dist', 'cli', name));
}
chmodSync(join('dist', 'cli', 'handoff.cjs'), 0o755);

function buildCli(lazyModules, sharedModules) {
  rmSync(join('dist', 'cli'), { recursive: true, force: true });
  return build({
    entryPoints: {
      handoff: 'src/cli/main.ts',
      ...Object.fromEntries([...lazyModules, ...sharedModules].map((source) => [bundleName(source), source])),
    },
    outdir: 'dist/cli',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    supported: { 'dynamic-import': false },
    plugins: [
      separateBundles(lazyModules, sharedModules),
      externalPackagesExcept(['better-sqlite3']),
      unusedSqliteMethods(),
    ],
    // The sources use import.meta.filename/dirname (Node >= 20.11), not import.meta.url: a CommonJS
    // bundle has them for free, where building a file URL cost ~0.35 ms of every start (URL parsing).
    define: { ...define, 'import.meta.filename': '__filename', 'import.meta.dirname': '__dirname' },
    metafile: true,
    logLevel: 'warning',
  });
}

/**
 * Modules of at least SHARED_MIN_BYTES (in one bundle's output) that occur in
 * two bundles one run can load. A run loads the entry bundle, ONE command
 * bundle (cli.commands.*) and what that command reaches through
 * require('./x.cjs'); the command table's imports are alternatives, never
 * loaded together.
 */
function sharedCandidates(metafile) {
  const bundles = new Map();
  for (const [out, o] of Object.entries(metafile.outputs)) {
    if (!out.endsWith('.cjs')) continue;
    bundles.set(basename(out), {
      inputs: Object.entries(o.inputs)
        .filter(([, i]) => i.bytesInOutput >= SHARED_MIN_BYTES)
        .map(([k]) => k),
      loads: o.imports.filter((i) => i.external && i.path.startsWith('./')).map((i) => i.path.slice(2)),
    });
  }
  const entry = 'handoff.cjs';
  const commands = [...bundles.keys()].filter((name) => name.startsWith('cli.commands.'));
  const found = new Set();
  for (const start of commands) {
    const reach = new Set([entry, start]);
    for (const name of reach) {
      if (name === entry || bundles.get(name)?.loads.some((l) => l.startsWith('cli.commands.'))) continue;
      for (const next of bundles.get(name)?.loads ?? []) reach.add(next);
    }
    // What the entry bundle holds is loaded on every run anyway: a command that copies it pays for that itself.
    const seen = new Set(bundles.get(entry)?.inputs ?? []);
    for (const name of reach) {
      if (name === entry) continue;
      for (const input of bundles.get(name)?.inputs ?? []) {
        if (seen.has(input) && input.startsWith('src/') && !bundles.get(entry)?.inputs.includes(input))
          found.add(input);
        seen.add(input);
      }
    }
  }
  return [...found];
}

/**
 * Makes a bundle ASCII: esbuild's default ASCII charset escapes strings but
 * leaves regex literals and kept comments as written
 * (https://github.com/evanw/esbuild/pull/4205). Node reads an ASCII source
 * into a one-byte string, ~0.4 ms faster per cold `store` than the two-byte
 * string a single `’` forces, and half the memory. Each non-ASCII UTF-16 unit
 * becomes `\uXXXX`: in a regex literal the same unit without the `u` flag
 * and, as a surrogate pair, the same code point with it; in a comment,
 * string or template the same text. Only a tagged template's raw text would
 * change, so one with non-ASCII text stops the build.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const nonAscii = /[\u0080-\uffff]/g;
  if (!/[\u0080-\uffff]/.test(text)) return;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && /[\u0080-\uffff]/.test(node.template.getText(source))) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      throw new Error(`build: ${file}:${line + 1}: a tagged template with non-ASCII text cannot be escaped`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  // `\’` (an identity escape) would become `\\u2019`, an escaped backslash.
  const escapedChar = /\\[\u0080-\uffff]/.exec(text);
  if (escapedChar) throw new Error(`build: ${file}: cannot escape ${JSON.stringify(escapedChar[0])}`);
  writeFileSync(
    file,
    text.replace(nonAscii, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}

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

/**
 * esbuild plugin: import() of a lazy boundary, and any import of a shared
 * module (except from its own bundle's entry), is external, as the flat bundle name.
 */
function separateBundles(lazyModules, sharedModules) {
  return {
    name: 'separate-bundles',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const source = relative(process.cwd(), resolve(args.resolveDir, args.path)).replace(/\.js$/, '.ts');
        const separate = (args.kind === 'dynamic-import' && lazyModules.has(source)) || sharedModules.has(source);
        return separate ? { path: `./${bundleName(source)}.cjs`, external: true } : undefined;
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
