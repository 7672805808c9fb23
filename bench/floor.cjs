// The floor under `handoff list`: the least a CommonJS program (the CLI is
// CommonJS, see scripts/build.mjs) can do to answer from the index: require
// better-sqlite3, open the database in HANDOFF_CACHE read-only, select the
// newest rows' six `list` columns, print them unaligned. The benchmark times
// it next to the CLI so the gap the CLI itself adds is visible, and so a
// target that lies below the floor shows as such.
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
const rows = db
  .prepare(
    `SELECT id, name, project, tags, expires, summary FROM handoffs ORDER BY created_ms DESC${limit ? ` LIMIT ${limit}` : ''}`,
  )
  .raw(true)
  .all();
let out = '';
for (const r of rows) out += `${r.join('  ')}\n`;
require('node:fs').writeSync(1, out);
db.close();
