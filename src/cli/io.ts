/**
 * The process-backed `CommandIO` the entry point hands to every command
 * module, and the two writers main.ts uses for stdout and stderr.
 *
 * Output goes through `fs.writeSync` on fds 1 and 2, not `process.stdout`:
 * the first touch of `process.stdout` builds a stream (net + stream modules,
 * ~2.5 ms on a pipe), which every `list` and every session-start hook would
 * pay. A non-blocking descriptor (`EAGAIN`) falls back to the stream for the
 * rest of the process, so order is kept; a closed pipe (`handoff list | head`)
 * ends the process quietly with the exit code set so far.
 */
import { fstatSync, readSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CommandIO } from './types.js';

/** Per fd: output went to the `process.stdout`/`stderr` stream (EAGAIN fallback or `stdioStream`) and may be queued there. */
const streamUsed: [boolean, boolean, boolean] = [false, false, false];

/**
 * Writes all of `text` (a string, written as UTF-8, or bytes) to fd 1 or 2,
 * synchronously. Bytes are written as they are: a 1.5 MB `list` table made
 * by SQLite skips a decode to a string and the encode back (~7 ms).
 * Exits the process (code so far) on EPIPE; any other write error is thrown.
 */
export function writeFd(fd: 1 | 2, text: string | Uint8Array): void {
  if (text.length === 0) return;
  if (streamUsed[fd]) {
    (fd === 1 ? process.stdout : process.stderr).write(text);
    return;
  }
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let off = 0;
  try {
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (code !== 'EAGAIN') throw e;
    streamUsed[fd] = true;
    if (fd === 1) process.stdout.on('error', exitOnEpipe);
    (fd === 1 ? process.stdout : process.stderr).write(buf.subarray(off));
  }
}

/**
 * `process.stdout` or `process.stderr`, for code that needs the stream (a
 * progress bar). Marks it used: its writes may still be queued when the
 * command returns, so the process must then end on its own
 * ({@link allWritesDone}).
 */
export function stdioStream(fd: 1 | 2): NodeJS.WriteStream {
  streamUsed[fd] = true;
  return fd === 1 ? process.stdout : process.stderr;
}

/** True while every write went out through `writeSync`: nothing can be left queued in a stream. */
export function allWritesDone(): boolean {
  return !streamUsed[1] && !streamUsed[2];
}

function exitOnEpipe(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
}

/**
 * Whether fd is a terminal, without building the stdio stream: pipes, files
 * and sockets are answered by one fstat; only character devices (a TTY or
 * `/dev/null`) ask `tty.isatty`.
 */
export function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  // `tty` loads net and stream; only reached for character devices.
  const tty = createRequire(import.meta.filename)('node:tty') as typeof import('node:tty');
  return tty.isatty(fd);
}

const STDIN_CHUNK = 64 * 1024;

/**
 * All of stdin as bytes; empty when stdin is a terminal. Reads fd 0
 * synchronously until end of file, without building `process.stdin` (its
 * first touch loads net, stream and tty: ~3-5 ms of a cold `store` or
 * session-start hook). A non-blocking descriptor (`EAGAIN`), or a read error
 * before the first byte, hands the rest to `fallback` (the stream), so
 * nothing read is lost.
 * @throws the read error when bytes were already read
 */
export async function readStdinBytes(fallback: () => Promise<Buffer> = readStdinStream): Promise<Buffer> {
  if (isTerminal(0)) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for (;;) {
    const buf = Buffer.allocUnsafe(STDIN_CHUNK);
    let n: number;
    try {
      n = readSync(0, buf, 0, STDIN_CHUNK, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EOF') break; // end of a pipe on Windows
      if (code === 'EAGAIN' || chunks.length === 0) {
        chunks.push(await fallback());
        break;
      }
      throw e;
    }
    if (n === 0) break;
    chunks.push(buf.subarray(0, n));
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

/** The rest of stdin through `process.stdin`. */
async function readStdinStream(): Promise<Buffer> {
  if (process.stdin.isTTY) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The process-backed CommandIO for a set of global flags. */
export function createIO(g: { json?: boolean; global?: boolean; debug?: boolean; rescan?: boolean }): CommandIO {
  let tty: boolean | undefined;
  return {
    cwd: process.cwd(),
    env: process.env,
    out: (text) => writeFd(1, text),
    err: (line) => writeFd(2, `${line}\n`),
    readStdin: () => readStdinBytes(),
    get isTTY() {
      tty ??= isTerminal(1);
      return tty;
    },
    json: Boolean(g.json),
    global: Boolean(g.global),
    debug: Boolean(g.debug),
    rescan: Boolean(g.rescan),
  };
}
