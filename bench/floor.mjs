// The floor under `handoff list`: the least an ESM program can do to answer
// from the index: import better-sqlite3, open the database in
// HANDOFF_CACHE read-only, select the 20 newest rows, print them. The
// benchmark times it next to the CLI so the gap the CLI itself adds is
// visible (and a 1.5x-of-`node -e 0` target can be judged against it).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const dir = process.env.HANDOFF_CACHE;
const file = dir && readdirSync(dir).find((f) => f.endsWith('.db'));
if (!file) {
  process.stderr.write('floor: no index database in HANDOFF_CACHE\n');
  process.exit(1);
}
const db = new Database(join(dir, file), { readonly: true });
let rows;
try {
  rows = db
    .prepare('SELECT id, name, project, tags, expires, summary FROM handoffs ORDER BY created_ms DESC LIMIT 20')
    .all();
} catch {
  // The index schema changed: any 20 rows still show the floor.
  rows = db.prepare('SELECT * FROM handoffs LIMIT 20').all();
}
process.stdout.write(rows.map((r) => Object.values(r).join('  ')).join('\n') + '\n');
db.close();
