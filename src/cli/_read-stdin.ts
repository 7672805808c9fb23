/**
 * Reading all of stdin for `store` and `check -` without building
 * `process.stdin`: its first touch loads net, stream and tty (~3-5 ms of a
 * cold start) for what is, from a pipe or a file, a few synchronous reads.
 * Same answers as `CommandIO.readStdin` (src/cli/io.ts), which it falls back
 * to when a synchronous read cannot serve.
 */
import { readSync } from 'node:fs';
import { isTerminal } from './io.js';
import type { CommandIO } from './types.js';

const CHUNK = 64 * 1024;

/**
 * All of stdin as bytes; empty when stdin is a terminal (as `io.readStdin`).
 * Reads fd 0 synchronously until end of file. A non-blocking descriptor
 * (`EAGAIN`) or a read error before the first byte hands the rest to
 * `io.readStdin()` (the stream), so nothing read is lost.
 */
export async function readAllStdin(io: CommandIO): Promise<Buffer> {
  if (isTerminal(0)) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for (;;) {
    const buf = Buffer.allocUnsafe(CHUNK);
    let n: number;
    try {
      n = readSync(0, buf, 0, CHUNK, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EOF') break; // end of a pipe on Windows
      if (code === 'EAGAIN' || chunks.length === 0) {
        chunks.push(await io.readStdin());
        break;
      }
      throw e;
    }
    if (n === 0) break;
    chunks.push(buf.subarray(0, n));
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}
