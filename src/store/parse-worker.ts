/**
 * Worker thread entry for large index rebuilds: parses and validates
 * handoffs while the main thread writes the previous batch to SQLite
 * (index-db.ts, `PARSE_WORKER_MIN_FILES`). Parsing is about half the cost
 * of indexing a file, so two workers roughly double the rebuild rate on a
 * machine with spare cores.
 *
 * The build must emit this module as its own entry point
 * (`dist/parse-worker.js`); index-db.ts looks for it next to itself or one
 * directory up and parses in the main thread when it is not there (as when
 * running from the TypeScript sources).
 *
 * Protocol: the parent posts `{ id, items: PrepareInput[] }`; the worker
 * answers `{ id, results: Prepared[] }` in the same order.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parseHandoff } from '../format/parse.js';
import { validateFrontMatter } from '../format/validate.js';
import { type PrepareInput, type Prepared, prepareDoc } from './_index-rows.js';

/** Marker in `workerData` so that loading this file anywhere else does nothing. */
export const PARSE_WORKER_FLAG = 'handoffParseWorker';

/** A request to a parse worker. */
export interface ParseRequest {
  id: number;
  items: PrepareInput[];
}

/** A parse worker's answer. */
export interface ParseResponse {
  id: number;
  results: Prepared[];
}

const port = parentPort;
if (!isMainThread && port && (workerData as Record<string, unknown> | null)?.[PARSE_WORKER_FLAG] === true) {
  const parsers = { parseHandoff, validateFrontMatter };
  port.on('message', async (request: ParseRequest) => {
    const results: Prepared[] = [];
    for (const item of request.items) results.push(await prepareDoc(item, parsers));
    port.postMessage({ id: request.id, results } satisfies ParseResponse);
  });
}
