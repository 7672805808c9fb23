/**
 * Bundles test/store/_child-writer.ts (and the parse worker, next to it, as
 * the real build does) into a plain .mjs that `node` runs without a
 * TypeScript loader. better-sqlite3 stays external, imported by absolute
 * path so the bundle can live in a temp directory.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';

const here = import.meta.dirname;
const requireFromRepo = createRequire(join(here, '..', '..', 'package.json'));

const nativeExternal: Plugin = {
  name: 'native-external',
  setup(b) {
    b.onResolve({ filter: /^better-sqlite3$/ }, () => ({
      path: requireFromRepo.resolve('better-sqlite3'),
      external: true,
    }));
  },
};

/** Builds the child into a new temp directory; returns the path of `child.mjs` (the caller removes its directory). */
export async function bundleChild(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'handoff-child-'));
  // Readable by the unprivileged user the read-only test runs the child as.
  chmodSync(outDir, 0o755);
  // parse-worker.js is ESM, as in dist/ (the package is "type": "module").
  writeFileSync(join(outDir, 'package.json'), '{"type": "module"}\n');
  const common = {
    bundle: true,
    format: 'esm' as const,
    platform: 'node' as const,
    target: 'node20',
    logLevel: 'warning' as const,
    plugins: [nativeExternal],
  };
  await Promise.all([
    build({ ...common, entryPoints: [join(here, '_child-writer.ts')], outfile: join(outDir, 'child.mjs') }),
    build({
      ...common,
      entryPoints: [join(here, '..', '..', 'src', 'store', 'parse-worker.ts')],
      outfile: join(outDir, 'parse-worker.js'),
    }),
  ]);
  return join(outDir, 'child.mjs');
}
