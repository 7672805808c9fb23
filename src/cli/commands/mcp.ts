/**
 * `handoff mcp`: serves the MCP tools over stdio until the client disconnects.
 * The server module (and with it the MCP SDK and zod) is imported only here,
 * when this command runs, so other commands do not pay for it.
 */
import type { CommandRun } from '../types.js';

/** Runs the stdio MCP server for `io.cwd` / `io.env` (`--global` picks the user store); exit code 0 once stdin closes. */
export const run: CommandRun = async (io) => {
  const { runStdioServer } = await import('../../mcp/server.js');
  if (io.isTTY) io.err('handoff mcp: MCP server on stdio, waiting for a client (Ctrl-C to quit)');
  await runStdioServer({ cwd: io.cwd, env: io.env, global: io.global, log: (line) => io.err(line) });
  return 0;
};
