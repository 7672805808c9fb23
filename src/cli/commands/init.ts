/**
 * `handoff init [--agent A]... [--dry-run]` (global `--global` = the user store and the
 * user-level instruction files). Prints one row per path: action, path, what changes.
 */
import { UsageError } from '../../errors.js';
import { INIT_AGENTS, type InitAgent } from '../../integrations/instructions.js';
import { type InitPlan, initRepository } from '../../integrations/init.js';
import type { CommandIO, CommandRun } from '../types.js';

/**
 * `--agent` values (repeatable, comma-separated, `all`) to agents; undefined when none were given.
 * @throws UsageError for an unknown agent.
 */
export function parseAgentOption(value: unknown): InitAgent[] | undefined {
  if (value === undefined) return undefined;
  const raw = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  const names = raw.map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  if (names.includes('all')) return [...INIT_AGENTS];
  for (const n of names) {
    if (!(INIT_AGENTS as readonly string[]).includes(n)) {
      throw new UsageError(`unknown --agent '${n}'; choose from ${INIT_AGENTS.join(', ')} or all`);
    }
  }
  return names as InitAgent[];
}

export const run: CommandRun = async (io, _args, opts) => {
  const plan = await initRepository({
    cwd: io.cwd,
    env: io.env,
    agents: parseAgentOption(opts.agent),
    dryRun: opts.dryRun === true,
    global: io.global,
  });
  if (io.json) io.out(`${JSON.stringify(plan, null, 2)}\n`);
  else printPlan(io, plan);
  return 0;
};

function printPlan(io: CommandIO, plan: InitPlan): void {
  const verb = (a: string) => (plan.dryRun && a !== 'unchanged' && a !== 'skip' ? `would ${a}` : a);
  const width = Math.max(...plan.changes.map((c) => c.display.length), 4);
  const actionWidth = Math.max(...plan.changes.map((c) => verb(c.action).length), 6);
  for (const c of plan.changes) {
    io.out(`${verb(c.action).padEnd(actionWidth)}  ${c.display.padEnd(width)}  ${c.summary}\n`);
  }
  if (plan.dryRun) io.err('dry run: nothing was written');
  else if (plan.changes.every((c) => c.action === 'unchanged')) io.err('already set up: nothing to change');
  for (const note of plan.notes) io.err(note);
}
