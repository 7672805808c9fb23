/**
 * The commander declarations of every `handoff` command. Each action imports
 * its command module when it runs (see main.ts for why).
 */
import { Command, Option } from 'commander';
import type { CommandIO, CommandRun } from './types.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

type Loader = () => Promise<{ run: CommandRun }>;

const collect = (value: string, previous: string[] = []) => [...previous, value];

function makeIO(program: Command): CommandIO {
  const g = program.opts() as { json?: boolean; global?: boolean; debug?: boolean; rescan?: boolean };
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

function action(program: Command, load: Loader) {
  return async (...raw: unknown[]) => {
    const cmd = raw[raw.length - 1] as Command;
    const opts = cmd.opts();
    const args = raw.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a.map(String) : a === undefined ? [] : [String(a)]));
    const { run } = await load();
    process.exitCode = await run(makeIO(program), args, opts);
  };
}

/** Builds the commander program (exported for tests and shell completion). */
export function buildProgram(): Command {
  const program = new Command('handoff');
  program
    .description('Session handoffs for AI coding agents: store, search, check, draft and resume.')
    .version(VERSION, '-V, --version')
    .option('--json', 'machine-readable output (errors as {"error": {code, message}} on stderr)')
    .option('-g, --global', 'use the user store even inside a repository with a repo store')
    .option('--rescan', 'stat every file in the store before answering (sees in-place edits at once)')
    .option('--debug', 'show stack traces for unexpected errors')
    .showHelpAfterError('(run handoff --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('store')
    .description('store a handoff read from stdin (or --file); prints its 8-character id')
    .option('--name <name>', 'reusable name; retrieve --name gives the newest with it')
    .option('--summary <text>', 'one-line summary')
    .option('--ttl <ttl>', 'time to live: Nh, Nd or Nw (default: never, or config default_ttl)')
    .option('--project <project>', 'project (default: config, else the repository name)')
    .option('--tags <a,b>', 'comma-separated tags')
    .addOption(new Option('--work-type <type>', 'kind of work').choices(['implementation', 'testing', 'documentation', 'quality', 'infrastructure', 'planning']))
    .option('--parent <id>', 'previous handoff in the same chain')
    .option('--agent <name>', 'who wrote it (default: $HANDOFF_AGENT or detected)')
    .option('-f, --file <path>', 'read the handoff from a file instead of stdin')
    .option('--redact', 'store with credentials replaced by markers instead of refusing')
    .action(action(program, () => import('./commands/store.js')));

  program
    .command('retrieve')
    .argument('[id]', 'id or unique id prefix')
    .description('print a handoff: the content as stored (default), the whole file, JSON, or a prompt')
    .option('--name <name>', 'the newest handoff with this name')
    .option('--latest', 'the newest handoff of this project')
    .option('--project <project>', 'with --latest or --name: this project')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json', 'prompt']))
    .option('--all', 'serve an expired handoff too')
    .action(action(program, () => import('./commands/retrieve.js')));

  program
    .command('list')
    .description('list handoffs, newest first')
    .option('--project <project>', 'only this project')
    .option('--tag <tag>', 'only handoffs with this tag')
    .option('--name <name>', 'only handoffs with this name')
    .option('--since <when>', 'created since a date (2026-11-01) or an age (7d)')
    .option('--all', 'include expired handoffs')
    .option('--limit <n>', 'at most n rows')
    .action(action(program, () => import('./commands/list.js')));

  program
    .command('search')
    .argument('<query...>', 'words to find (all must match)')
    .description('BM25-ranked full-text search with snippets')
    .option('--section <name>', 'only this canonical section (decisions, next_steps, ...)')
    .option('--project <project>', 'only this project')
    .option('--tag <tag>', 'only handoffs with this tag')
    .option('--name <name>', 'only handoffs with this name')
    .option('--since <when>', 'created since a date or an age (7d)')
    .option('--all', 'include expired handoffs')
    .option('--limit <n>', 'at most n hits (default 20)')
    .action(action(program, () => import('./commands/search.js')));

  program
    .command('gc')
    .description('delete expired handoffs')
    .option('--dry-run', 'only list what would be removed')
    .action(action(program, () => import('./commands/gc.js')));

  program
    .command('rm')
    .argument('<id>', 'id or unique id prefix')
    .description('delete one handoff')
    .action(action(program, () => import('./commands/rm.js')));

  program
    .command('check')
    .argument('[target]', 'a file, a handoff id, or - for stdin (default: stdin)')
    .description('check a handoff against the quality rules; score 0-100; exit 1 on errors')
    .addOption(new Option('--profile <profile>', 'required sections').choices(['five-field', 'six-section', 'package', 'full']))
    .action(action(program, () => import('./commands/check.js')));

  program
    .command('draft')
    .description('write a handoff draft pre-filled with facts from git, tests and the transcript')
    .addOption(new Option('--work-type <type>', 'kind of work').choices(['implementation', 'testing', 'documentation', 'quality', 'infrastructure', 'planning']).default('implementation'))
    .option('--tests <command>', 'run this test command and record its pass/fail counts')
    .option('--transcript <path>', 'digest this Claude Code or Codex transcript (JSONL)')
    .option('--name <name>', 'name for the handoff')
    .option('--summary <text>', 'one-line summary')
    .option('-o, --output <file>', 'write the draft to a file instead of stdout')
    .action(action(program, () => import('./commands/draft.js')));

  program
    .command('resume')
    .description('the session-start prompt: the newest handoff, what changed since, the start protocol')
    .option('--budget <tokens>', 'token budget (default 1500, or config resume_budget)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--branch <branch>', 'prefer handoffs written on this branch (default: the current one)')
    .option('--after-compaction', 'offer the newest automatic checkpoint')
    .action(action(program, () => import('./commands/resume.js')));

  program
    .command('decisions')
    .argument('[query...]', 'only decisions containing these words')
    .description('every decision across the history, newest first, with rationale and source')
    .option('--project <project>', 'only this project')
    .option('--all', 'include expired handoffs')
    .action(action(program, () => import('./commands/decisions.js')));

  program
    .command('import')
    .argument('[paths...]', 'files or directories of handoffs')
    .description('import existing handoffs (markdown, YAML, docs/session_handoffs/, the handoff CLI database)')
    .option('--from <source>', "'handoff-db' to import the handoff CLI's database ($HANDOFF_DB or ~/.handoff/handoff.db)")
    .option('--redact', 'import documents with credentials, replacing them with markers')
    .option('--project <project>', 'project for documents that do not name one')
    .option('--dry-run', 'show what would be imported')
    .action(action(program, () => import('./commands/import.js')));

  program
    .command('export')
    .description('every handoff as JSON lines or a markdown bundle, on stdout')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'md']).default('jsonl'))
    .option('--project <project>', 'only this project')
    .option('--all', 'include expired handoffs (default for export)', true)
    .action(action(program, () => import('./commands/export.js')));

  program
    .command('init')
    .description('set up the repo store and write the session protocol into agent instruction files')
    .option('--agent <agent>', 'claude-code, codex, cursor, copilot, gemini or all (repeatable)', collect)
    .option('--dry-run', 'show what would change')
    .action(action(program, () => import('./commands/init.js')));

  const hooks = program.command('hooks').description('install or remove agent hooks');
  hooks
    .command('install')
    .argument('<agent>', 'claude-code or codex')
    .addOption(new Option('--scope <scope>', 'settings file to change').choices(['project', 'user']).default('project'))
    .option('--dry-run', 'show what would change')
    .description("merge handoff's hooks into the agent's settings")
    .action(action(program, async () => ({ run: (await import('./commands/hooks.js')).runInstall })));
  hooks
    .command('uninstall')
    .argument('<agent>', 'claude-code or codex')
    .addOption(new Option('--scope <scope>', 'settings file to change').choices(['project', 'user']).default('project'))
    .option('--dry-run', 'show what would change')
    .description("remove handoff's hooks from the agent's settings")
    .action(action(program, async () => ({ run: (await import('./commands/hooks.js')).runUninstall })));

  program
    .command('hook')
    .argument('<event>', 'SessionStart, PreCompact, SessionEnd, Stop (as the agent names them)')
    .addOption(new Option('--agent <agent>', 'the agent calling').choices(['claude-code', 'codex']).default('claude-code'))
    .description('entry point for agent hooks: reads the hook JSON on stdin; never fails the agent')
    .action(action(program, () => import('./commands/hook.js')));

  program
    .command('mcp')
    .description('run the MCP server over stdio')
    .action(action(program, () => import('./commands/mcp.js')));

  program
    .command('edit')
    .argument('<id>', 'id or unique id prefix')
    .description('open a handoff in $EDITOR and check it again after')
    .action(action(program, () => import('./commands/edit.js')));

  program
    .command('doctor')
    .description('paths, counts, broken files and problems of the store, index and config')
    .action(action(program, () => import('./commands/doctor.js')));

  program
    .command('completion')
    .argument('<shell>', 'bash, zsh or fish')
    .description('print a shell completion script')
    .action(action(program, () => import('./commands/completion.js')));

  return program;
}

