/**
 * Worker thread entry for large index syncs: reads, parses and validates
 * handoffs into finished rows while the main thread writes the previous
 * chunk to SQLite (index-db.ts, `PARSE_WORKER_MIN_FILES`). The main thread
 * then only runs the inserts, which are the larger half of the work.
 *
 * The build must emit this module as its own entry point
 * (`dist/parse-worker.js`); index-db.ts looks for it next to itself or one
 * directory up and parses in the main thread when it is not there (as when
 * running from the TypeScript sources).
 *
 * Protocol: the parent posts a {@link ParseRequest}; the worker answers
 * `{ id, results }` with one {@link WorkerResult} per item, in order.
 */
import { join } from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parseHandoff } from '../format/parse.js';
import { validateFrontMatter } from '../format/validate.js';
import { type PrepareInput, type Prepared, prepareDoc, type RowText } from './_index-rows.js';
import { readStoreFile } from './file-store.js';

/** Marker in `workerData` so that loading this file anywhere else does nothing. */
export const PARSE_WORKER_FLAG = 'handoffParseWorker';

/**
 * A request to a parse worker: texts the parent read (any store), or keys
 * of a file store whose files the worker reads and stats itself
 * ({@link readStoreFile}, what the file store's `read` does), which keeps
 * that I/O off the thread that writes the index.
 */
export type ParseRequest = ({ id: number; items: PrepareInput[] } | { id: number; dir: string; keys: string[] }) & {
  /** Buffers of earlier answers whose rows the parent has written: reused, so memory stays bounded. */
  recycled?: ArrayBuffer[];
};

/**
 * One file's outcome: its rows or failure; `gone` when the file vanished
 * (or is not a regular file); `retry` when reading it failed in another way,
 * so that the parent reads it through the store and reports the error as
 * it always does.
 */
export type WorkerResult = Prepared | { gone: string } | { retry: string };

/**
 * A parse worker's answer. The rows' large texts (front matter, content,
 * sections, FTS columns) arrive as UTF-8 views into one buffer that is
 * transferred, not copied: the writing thread binds them as they are
 * (SQLite wants UTF-8 anyway) and never decodes ~10 KB of strings per file.
 * Measured on a 100k rebuild: ~11.2 s and 17.5 s of CPU against ~12.9 s and
 * 19 s with the rows posted as strings; peak RSS the same.
 */
export interface ParseResponse {
  id: number;
  results: WorkerResult[];
  /** The buffer the rows' texts are in (transferred), or null. */
  buffer: ArrayBuffer | null;
}

/**
 * Moves the large texts of the rows in `results` into one buffer as UTF-8
 * (the first of `spare` that is large enough, which is then removed from
 * it, else a new one), replacing each text by a view into it; returns the
 * buffer to transfer (null when there is nothing to move).
 */
export function moveTextsToBuffer(results: WorkerResult[], spare: ArrayBuffer[] = []): ArrayBuffer | null {
  let total = 0;
  const size = (v: RowText | null) => (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  for (const r of results) {
    if (!('row' in r)) continue;
    const row = r.row;
    total += size(row.front_matter) + size(row.content) + size(row.sections);
    for (const v of row.fts) total += size(v);
  }
  if (total === 0) return null;
  const i = spare.findIndex((b) => b.byteLength >= total);
  const buffer = i === -1 ? new ArrayBuffer(Math.max(total, MIN_BUFFER_BYTES)) : spare.splice(i, 1)[0]!;
  const bytes = Buffer.from(buffer);
  let offset = 0;
  const move = (v: RowText): Uint8Array => {
    if (typeof v !== 'string') return v;
    const n = bytes.write(v, offset);
    const view = new Uint8Array(buffer, offset, n);
    offset += n;
    return view;
  };
  for (const r of results) {
    if (!('row' in r)) continue;
    const row = r.row;
    row.front_matter = move(row.front_matter);
    if (row.content !== null) row.content = move(row.content);
    row.sections = move(row.sections);
    row.fts = row.fts.map((v) => (v === null ? null : move(v)));
  }
  return buffer;
}

/** Reads and prepares `keys` of the file store in `dir`. */
export async function prepareStoreFiles(
  dir: string,
  keys: readonly string[],
  parsers: Parameters<typeof prepareDoc>[1],
): Promise<WorkerResult[]> {
  const results: WorkerResult[] = [];
  for (const key of keys) {
    let file: ReturnType<typeof readStoreFile>;
    try {
      file = readStoreFile(dir, key);
    } catch {
      results.push({ retry: key });
      continue;
    }
    if (file === null) {
      results.push({ gone: key });
      continue;
    }
    const entry = { key, mtimeMs: file.mtimeMs, size: file.size };
    results.push(await prepareDoc({ entry, text: file.text, path: join(dir, key) }, parsers));
  }
  return results;
}

/** Smallest text buffer allocated: a chunk of typical handoffs (~50 x 6 KB) fits, so buffers get reused. */
const MIN_BUFFER_BYTES = 512 * 1024;

/** Spare buffers kept for reuse at most. */
const MAX_SPARE_BUFFERS = 8;

const port = parentPort;
if (!isMainThread && port && (workerData as Record<string, unknown> | null)?.[PARSE_WORKER_FLAG] === true) {
  const parsers = { parseHandoff, validateFrontMatter };
  const spare: ArrayBuffer[] = [];
  port.on('message', async (request: ParseRequest) => {
    for (const b of request.recycled ?? []) if (spare.length < MAX_SPARE_BUFFERS) spare.push(b);
    let results: WorkerResult[];
    if ('keys' in request) {
      results = await prepareStoreFiles(request.dir, request.keys, parsers);
    } else {
      results = [];
      for (const item of request.items) results.push(await prepareDoc(item, parsers));
    }
    const buffer = moveTextsToBuffer(results, spare);
    port.postMessage({ id: request.id, results, buffer } satisfies ParseResponse, buffer ? [buffer] : []);
  });
}
