/**
 * A child process for the store concurrency tests, bundled by _bundle.ts
 * (the tests spawn it with plain `node`). Modes:
 *
 * - `write <storeDir> <cacheDir> <count>`: stores `count` handoffs the way
 *   `handoff store` does (create + noteWritten); prints their ids as JSON.
 * - `big <storeDir> <megabytes>`: stores one huge handoff (killed mid-write by the test).
 * - `try-write <storeDir>`: one create; prints `{ok}` or `{error: {name, message}}`.
 * - `rebuild <storeDir> <cacheDir> <parseWorkers>`: one sync; prints the report,
 *   the indexed rows and how many worker threads ran.
 * - `rebuild-memory - <count> <parseWorkers>`: the same over a memory store of
 *   `count` generated handoffs (texts sent to the workers instead of paths).
 */
import { createFileStore } from '../../src/store/file-store.js';
import { openIndex } from '../../src/store/index-db.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { handoffFileName, newHandoffId } from '../../src/store/naming.js';
import { parseHandoff } from '../../src/format/parse.js';

const [mode = '', storeDir = '', ...rest] = process.argv.slice(2);

function handoffText(id: string, created: string, body: string): string {
  return `---\nhandoff: 1\nid: ${id}\nname: concurrency\ncreated: ${created}\n---\n## Next Steps\n1. ${body}\n`;
}

async function main(): Promise<void> {
  if (mode === 'write') {
    const [cacheDir = '', count = '0'] = rest;
    const store = createFileStore(storeDir, 'repo');
    const index = openIndex(store, { cacheDir });
    const ids: string[] = [];
    for (let i = 0; i < Number(count); i++) {
      const id = newHandoffId();
      const created = `${new Date().toISOString().slice(0, 19)}Z`;
      const text = handoffText(id, created, `writer ${process.pid} handoff ${i}`);
      // Every writer uses the same slug in the same minute: names clash on purpose.
      const entry = await store.create(handoffFileName(created, 'concurrency'), text, id);
      index.noteWritten(entry, text, parseHandoff(text, { path: entry.key }));
      ids.push(id);
    }
    index.close();
    process.stdout.write(JSON.stringify(ids));
  } else if (mode === 'big') {
    const id = newHandoffId();
    const created = `${new Date().toISOString().slice(0, 19)}Z`;
    const text = handoffText(id, created, 'x'.repeat(Number(rest[0]) * 1024 * 1024));
    await createFileStore(storeDir, 'repo').create(handoffFileName(created, 'big'), text, id);
  } else if (mode === 'try-write') {
    try {
      await createFileStore(storeDir, 'repo').create('20260101-0000-try.md', 'x', 'aaaaaaaa');
      process.stdout.write(JSON.stringify({ ok: true }));
    } catch (e) {
      process.stdout.write(JSON.stringify({ error: { name: (e as Error).name, message: (e as Error).message } }));
    }
  } else if (mode === 'rebuild') {
    const [cacheDir = '', workers = '0'] = rest;
    let workerThreads = 0;
    process.on('worker', () => {
      workerThreads++;
    });
    const index = openIndex(createFileStore(storeDir, 'repo'), { cacheDir, parseWorkers: Number(workers) });
    const progress: number[] = [];
    const report = await index.sync({ onProgress: (done) => progress.push(done) });
    const rows = index.list({ all: true }).map((h) => [h.path, h.id, h.created, h.summary]);
    const sections = index.sections(rows[0]?.[0] as string);
    index.close();
    process.stdout.write(JSON.stringify({ report, rows, sections, workerThreads, progress }));
  } else if (mode === 'rebuild-memory') {
    const [count = '0', workers = '0'] = rest;
    let workerThreads = 0;
    process.on('worker', () => {
      workerThreads++;
    });
    const store = createMemoryStore();
    for (let i = 0; i < Number(count); i++) {
      const id = (0x20000000 + i).toString(16);
      const created = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().slice(0, 19);
      const text = `---\nid: ${id}\ncreated: ${created}Z\nsummary: memo ${i} — ü\n---\n# T\r\n\r\n## Decisions\r\n- A ${i} over B 🚀\r\n`;
      await store.create(`m-${i}.md`, text, id);
    }
    const index = openIndex(store, { cacheDir: '', parseWorkers: Number(workers) });
    const report = await index.sync();
    const rows = index.list({ all: true }).map((h) => [h.path, h.id, h.created, h.summary]);
    const contents = rows.slice(0, 50).map((r) => index.content(r[0] as string));
    index.close();
    process.stdout.write(JSON.stringify({ report, rows, contents, workerThreads }));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

await main();
