// The floor under `handoff list`: the least a CommonJS program (the CLI is
// CommonJS, see scripts/build.mjs) can do to answer from the index: require
// better-sqlite3, open the database in HANDOFF_CACHE read-only, select the
// newest rows' six `list` cells (id, the stored list_* cells, expires: all in
// the covering index handoffs_created), joined unaligned into one blob by
// SQLite, and write it. The benchmark times it next to the CLI so the gap the
// CLI itself adds is visible, and so a target that lies below the floor shows
// as such.
//
// Usage: node bench/floor.cjs [LIMIT]   (default: all rows)

const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const Database = require('better-sqlite3');

const limit = process.argv[2] ? Number(process.argv[2]) : null;
const dir = process.env.HANDOFF_CACHE;
const file = dir && readdirSync(dir).find((f) => f.endsWith('.db'));
if (!file) {
  process.stderr.write('floor: no index database in HANDOFF_CACHE\n');
  process.exit(1);
}
// The addon by path, as the CLI loads it (src/store/sqlite.ts).
const addon = join(require.resolve('better-sqlite3/package.json'), '..', 'build', 'Release', 'better_sqlite3.node');
const db = new Database(join(dir, file), { readonly: true, nativeBinding: addon });
// The rows from the index (no table row is read), the text made in SQLite: a
// JavaScript string per cell cost more than the whole CLI's table.
const out = db
  .prepare(
    `SELECT CAST(string_agg(concat_ws('  ', id, n, p, t, expires, s) || char(10), '') AS BLOB)
     FROM (SELECT id, list_name AS n, list_project AS p, list_tags AS t, expires, list_summary AS s
       FROM handoffs ORDER BY created_ms DESC${limit ? ` LIMIT ${limit}` : ''})`,
  )
  .pluck(true)
  .get();
require('node:fs').writeSync(1, out);
db.close();
