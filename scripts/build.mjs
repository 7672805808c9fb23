// Bundles the CLI, the library and the MCP server with esbuild. Splitting
// keeps the cold path (cli.js + what `list`/`retrieve` need) small: commands,
// zod, the MCP SDK, the tokenizer and secretlint load only when used.
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
await build({
  // parse-worker: the index parses big rebuilds in a worker thread when dist/parse-worker.js exists.
  entryPoints: {
    cli: 'src/cli/main.ts',
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
  define: { __VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
