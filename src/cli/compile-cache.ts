/**
 * A V8 code cache for the CLI's own bundles, what Node >= 22.1 offers as
 * `module.enableCompileCache()`, for Node 20. Every hook starts a `handoff`
 * process, and compiling the bundles a command loads (100-250 KB of
 * JavaScript) and the functions it runs was the largest part of a cold start
 * after Node's own. With the cache V8 deserializes code instead.
 *
 * How: `.cjs` files in the CLI's directory are compiled with `vm.Script` and
 * the cached data of an earlier run; at exit, a bundle that had no usable
 * cache gets one (`script.createCachedData()`, which then includes the
 * functions this run compiled). V8 checks each cache against the source and
 * its own version and flags, and rejects a mismatch, so a stale or foreign
 * file costs one normal compile. Files: `<cacheDir>/v8/<bundle>-<size>-<mtime>.bin`,
 * written to a temp name and renamed, so concurrent runs never read half a file;
 * writing one removes that bundle's caches of earlier builds.
 *
 * Nothing here may fail a command: an unreadable or unwritable cache is ignored.
 * `HANDOFF_COMPILE_CACHE=0` turns it off. On Node >= 22.1 Node's own cache is used.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

interface ModuleInternals {
  exports: unknown;
  require(id: string): unknown;
}

type Loader = (module: ModuleInternals, filename: string) => void;

/**
 * Installs the cache for `.cjs` files under `dir`, keeping caches in `cacheDir/v8`.
 * @param dir the CLI bundles' directory (dist/cli)
 * @param cacheDir the handoff cache directory (src/config.ts `resolvePaths().cache`)
 */
export function enableCompileCache(dir: string, cacheDir: string): void {
  const nodeCache = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (nodeCache) {
    nodeCache(join(cacheDir, 'v8'));
    return;
  }
  const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
  const original = extensions['.cjs'] ?? extensions['.js'];
  if (!original) return;
  const require = createRequire(join(dir, 'x.cjs'));
  const vm = require('node:vm') as typeof import('node:vm');
  const wrap = (Module as unknown as { wrap(source: string): string }).wrap;
  const v8Dir = join(cacheDir, 'v8');
  const pending: Array<{ file: string; script: import('node:vm').Script }> = [];
  extensions['.cjs'] = (module, filename) => {
    if (dirname(filename) !== dir) {
      original(module, filename);
      return;
    }
    let source: string;
    let cacheFile: string;
    try {
      const st = statSync(filename);
      source = readFileSync(filename, 'utf8');
      cacheFile = join(v8Dir, `${basename(filename, '.cjs')}-${st.size}-${Math.trunc(st.mtimeMs)}.bin`);
    } catch {
      original(module, filename);
      return;
    }
    let cached: Buffer | undefined;
    try {
      cached = readFileSync(cacheFile);
    } catch {
      cached = undefined;
    }
    const script = new vm.Script(wrap(source), { filename, cachedData: cached });
    if (cached === undefined || script.cachedDataRejected) pending.push({ file: cacheFile, script });
    const fn = script.runInThisContext() as (...args: unknown[]) => void;
    const localRequire = Object.assign((id: string) => module.require(id), {
      resolve: (request: string) => createRequire(filename).resolve(request),
    });
    fn.call(module.exports, module.exports, localRequire, module, filename, dirname(filename));
  };
  process.once('exit', () => {
    if (pending.length === 0) return;
    try {
      mkdirSync(v8Dir, { recursive: true, mode: 0o700 });
      const existing = readdirSync(v8Dir);
      for (const { file, script } of pending) {
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
        renameSync(temp, file);
        // Caches of earlier builds of this bundle (another size or mtime) are never read again.
        const prefix = `${basename(file).replace(/-\d+-\d+\.bin$/, '')}-`;
        for (const name of existing) {
          if (name.startsWith(prefix) && /^\d+-\d+\.bin$/.test(name.slice(prefix.length)) && name !== basename(file)) {
            rmSync(join(v8Dir, name), { force: true });
          }
        }
      }
    } catch {
      // A cache that cannot be written only means the next run compiles again.
    }
  });
}
