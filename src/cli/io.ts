/** The process-backed `CommandIO` the entry point hands to every command module. */
import type { CommandIO } from './types.js';

/** The process-backed CommandIO for a set of global flags. */
export function createIO(g: { json?: boolean; global?: boolean; debug?: boolean; rescan?: boolean }): CommandIO {
  return {
    cwd: process.cwd(),
    env: process.env,
    out: (text) => {
      process.stdout.write(text);
    },
    err: (line) => {
      process.stderr.write(`${line}\n`);
    },
    readStdin: async () => {
      if (process.stdin.isTTY) return Buffer.alloc(0);
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    isTTY: Boolean(process.stdout.isTTY),
    json: Boolean(g.json),
    global: Boolean(g.global),
    debug: Boolean(g.debug),
    rescan: Boolean(g.rescan),
  };
}
