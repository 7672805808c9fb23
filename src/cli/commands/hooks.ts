/**
 * `handoff hooks install|uninstall AGENT [--scope project|user] [--dry-run] [--force]`:
 * our hook handlers merged into (or removed from) the agent's settings file.
 */
import { UsageError } from '../../errors.js';
import { type HooksOptions, type HooksResult, installHooks, uninstallHooks } from '../../integrations/hooks-install.js';
import { HOOK_AGENTS, type HookAgent } from '../../integrations/settings.js';
import type { CommandIO, CommandRun } from '../types.js';

function optionsFrom(io: CommandIO, args: string[], opts: Record<string, unknown>): HooksOptions {
  const agent = args[0];
  if (!agent || !(HOOK_AGENTS as readonly string[]).includes(agent)) {
    throw new UsageError(`hooks needs an agent: ${HOOK_AGENTS.join(' or ')} (got '${agent ?? ''}')`);
  }
  const scope = opts.scope ?? 'project';
  if (scope !== 'project' && scope !== 'user')
    throw new UsageError(`invalid --scope '${String(scope)}': use project or user`);
  return {
    agent: agent as HookAgent,
    scope,
    cwd: io.cwd,
    env: io.env,
    dryRun: opts.dryRun === true,
    force: opts.force === true,
  };
}

function print(io: CommandIO, result: HooksResult, verb: 'install' | 'uninstall'): void {
  if (io.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const prefix = result.dryRun ? 'would change' : 'changed';
  if (result.action === 'skip') io.out(`skipped ${result.path}\n`);
  else if (result.action === 'unchanged') io.out(`${result.path}: nothing to ${verb}\n`);
  else {
    io.out(`${prefix} ${result.path}\n`);
    for (const line of result.changed) io.out(`  ${line}\n`);
  }
  if (result.dryRun) io.err('dry run: nothing was written');
  for (const note of result.notes) io.err(note);
}

export const runInstall: CommandRun = async (io, args, opts) => {
  print(io, await installHooks(optionsFrom(io, args, opts)), 'install');
  return 0;
};

export const runUninstall: CommandRun = async (io, args, opts) => {
  print(io, await uninstallHooks(optionsFrom(io, args, opts)), 'uninstall');
  return 0;
};

export const run = runInstall;
