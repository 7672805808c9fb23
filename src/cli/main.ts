#!/usr/bin/env node
/**
 * The `handoff` command line: declarations only. Each command's module is
 * imported when that command runs, so a hook calling `handoff hook
 * session-start` never pays for the MCP SDK, zod or the tokenizer. This is
 * the only file that sets the process exit code.
 *
 * Exit codes (README): 0 ok; 1 not found, expired, or `check` found errors;
 * 2 usage or invalid input (a refused secret included); 3 I/O or store failure.
 */
import { CommanderError } from 'commander';
import { HandoffError } from '../errors.js';
import { buildProgram } from './program.js';

function reportError(e: unknown, json: boolean, debug: boolean): number {
  if (e instanceof HandoffError) {
    if (json) process.stderr.write(`${JSON.stringify({ error: { code: e.code, message: e.message } })}\n`);
    else process.stderr.write(`handoff: ${e.message}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    return e.exitCode;
  }
  const err = e as NodeJS.ErrnoException;
  const io = typeof err?.code === 'string' && /^E[A-Z]+$/.test(err.code);
  const message = io ? `${err.code}: ${err.message}` : `internal error: ${err?.message ?? String(e)}`;
  if (json) process.stderr.write(`${JSON.stringify({ error: { code: io ? 'io' : 'internal', message } })}\n`);
  else process.stderr.write(`handoff: ${message}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug && err?.stack) process.stderr.write(`${err.stack}\n`);
  return 3;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  const json = argv.includes('--json');
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are not errors; every other commander error is usage (exit 2).
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      if (json && e.exitCode !== 0) process.stderr.write(`${JSON.stringify({ error: { code: 'usage', message: e.message } })}\n`);
      return;
    }
    process.exitCode = reportError(e, json, debug);
  }
}

// A closed pipe (`handoff list | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

await main(process.argv);
