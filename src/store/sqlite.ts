/**
 * Opening a SQLite database with better-sqlite3, the one way this package
 * does it (the index, and `import --from handoff-db`).
 *
 * The native addon is loaded by path and handed to better-sqlite3 as
 * `nativeBinding`. The package's own lookup (the `bindings` package) walks a
 * stack trace and probes a dozen paths (~2 ms of every cold start), and it
 * cannot work from the CLI bundle, which carries better-sqlite3's JavaScript
 * (scripts/build.mjs). When the addon is not at build/Release (another
 * install layout) the package's own lookup is tried.
 *
 * The CLI bundle carries only the Database methods this package uses:
 * prepare, exec, pragma, transaction, close (scripts/build.mjs stubs
 * backup, serialize, function, aggregate, table and inspect).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

let addon: object | null | undefined;

function loadAddon(): object | null {
  if (addon !== undefined) return addon;
  const require = createRequire(import.meta.filename);
  // This file is two levels below the package root in dist/ (dist/cli/, dist/chunks/) and in src/:
  // try the package's own node_modules first, then resolve (a hoisted install).
  const own = join(import.meta.dirname, '..', '..', 'node_modules', 'better-sqlite3');
  for (const dir of [own, null]) {
    try {
      const root = dir ?? dirname(require.resolve('better-sqlite3/package.json'));
      addon = require(join(root, 'build', 'Release', 'better_sqlite3.node')) as object;
      return addon;
    } catch {
      // Next place; null after the last one.
    }
  }
  addon = null;
  return addon;
}

/**
 * `new Database(file, options)` with the addon passed by path.
 * @param file a path, or `:memory:`
 * @throws what better-sqlite3 throws (`SqliteError` with a `code`, or TypeError)
 */
export function openSqlite(file: string, options: Database.Options = {}): Database.Database {
  const a = loadAddon();
  // nativeBinding accepts the loaded addon object (better-sqlite3 >= 8); its types say string only.
  return new Database(file, a ? { ...options, nativeBinding: a as unknown as string } : options);
}
