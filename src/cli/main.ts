#!/usr/bin/env node
/**
 * The `handoff` command line entry: parse, run the command's module, map
 * errors to one line on stderr and an exit code. This is the only file that
 * sets the process exit code.
 *
 * Exit codes (README): 0 ok; 1 not found, expired, or `check` found errors;
 * 2 usage or invalid input (a refused secret included); 3 I/O or store failure.
 */
import { resolvePaths } from '../config.js';
import { HandoffError } from '../errors.js';
import { enableCompileCache } from './compile-cache.js';
import { allWritesDone, createIO, writeFd } from './io.js';
import { helpText, parseCommandLine, VERSION } from './program.js';

function reportError(e: unknown, json: boolean, debug: boolean): number {
  if (e instanceof HandoffError) {
    if (json) writeFd(2, `${JSON.stringify({ error: { code: e.code, message: e.message } })}\n`);
    else writeFd(2, `handoff: ${e.message}\n`);
    if (debug && e.stack) writeFd(2, `${e.stack}\n`);
    return e.exitCode;
  }
  const err = e as NodeJS.ErrnoException;
  const io = typeof err?.code === 'string' && /^E[A-Z]+$/.test(err.code);
  const message = io ? `${err.code}: ${err.message}` : `internal error: ${err?.message ?? String(e)}`;
  if (json) writeFd(2, `${JSON.stringify({ error: { code: io ? 'io' : 'internal', message } })}\n`);
  else writeFd(2, `handoff: ${message}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug && err?.stack) writeFd(2, `${err.stack}\n`);
  return 3;
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const debug = argv.includes('--debug');
  try {
    const { command, args, opts, globals } = parseCommandLine(argv);
    if (globals.version) {
      writeFd(1, `${VERSION}\n`);
      return 0;
    }
    if (globals.help || !command) {
      writeFd(1, helpText(command));
      return command || globals.help ? 0 : 2;
    }
    if (process.env.HANDOFF_COMPILE_CACHE !== '0' && import.meta.filename.endsWith('.cjs')) {
      enableCompileCache(import.meta.dirname, resolvePaths(process.env).cache);
    }
    const { run } = await command.load();
    const code = await run(createIO(globals), args, opts);
    // Hooks must answer and leave even if a timed-out task is still pending (they fail open).
    if (command.name === 'hook') process.exit(code);
    // Done, and every byte written: leave now rather than let the event loop wind down (~0.5 ms of
    // every command). The MCP server (its own stdout stream) and queued stream writes end on their own.
    if (command.name !== 'mcp' && allWritesDone()) process.exit(code);
    return code;
  } catch (e) {
    return reportError(e, json, debug);
  }
}

// No top-level await: the CLI is built as CommonJS (scripts/build.mjs).
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
