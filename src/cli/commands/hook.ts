/**
 * `handoff hook EVENT [--agent claude-code|codex]`: the entry point agent hooks call, with the
 * hook JSON on stdin. Always exits 0 (a hook must never break the agent); problems go to stderr.
 * Kept free of heavy imports: this runs at every session start.
 */
import { type HookAgentName, handleHook } from '../../integrations/hook.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io, args, opts) => {
  const agent: HookAgentName = opts.agent === 'codex' ? 'codex' : 'claude-code';
  let stdin = '';
  try {
    stdin = (await io.readStdin()).toString('utf8');
  } catch (e) {
    io.err(`handoff hook: cannot read stdin (${(e as Error).message})`);
  }
  const result = await handleHook(args[0] ?? '', stdin, { agent, cwd: io.cwd, env: io.env });
  if (result.stdout) io.out(result.stdout);
  if (result.stderr) io.err(result.stderr.replace(/\n$/, ''));
  return result.exitCode;
};
