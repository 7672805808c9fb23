/**
 * Every `handoff` command as data: its arguments, options, help text and the
 * module that runs it (imported only when it runs). Parsing uses Node's own
 * `util.parseArgs`: commander cost ~16 ms of import on every invocation,
 * which the cold-start targets (list at 1.5x a bare `node`, hooks at every
 * session start) cannot afford.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { WORK_TYPES } from '../format/constants.js';
import type { CommandRun } from './types.js';

declare const __VERSION__: string;
/** The package version (injected by the build). */
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

/** One option of a command. `name` is the long form without dashes. */
export interface OptionSpec {
  name: string;
  short?: string;
  /** `string` options take a value (`value` names it in help); `boolean` ones are flags. */
  type: 'string' | 'boolean';
  description: string;
  value?: string;
  choices?: readonly string[];
  default?: string;
  /** May be given more than once (values collected into an array). */
  multiple?: boolean;
}

/** One positional argument; `variadic` takes the rest. */
export interface ArgSpec {
  name: string;
  required: boolean;
  variadic?: boolean;
  description: string;
}

/** One command: `name` may be two words (`hooks install`). */
export interface CommandSpec {
  name: string;
  description: string;
  args: ArgSpec[];
  options: OptionSpec[];
  load: () => Promise<{ run: CommandRun }>;
}

const WORK_TYPE_CHOICES = WORK_TYPES;

const s = (name: string, value: string, description: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({
  name,
  type: 'string',
  value,
  description,
  ...extra,
});
const b = (name: string, description: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({
  name,
  type: 'boolean',
  description,
  ...extra,
});
const arg = (name: string, description: string, extra: Partial<ArgSpec> = {}): ArgSpec => ({
  name,
  required: false,
  description,
  ...extra,
});

const FILTERS: OptionSpec[] = [
  s('project', 'project', 'only this project'),
  s('tag', 'tag', 'only handoffs with this tag'),
  s('name', 'name', 'only handoffs with this name'),
  s('since', 'when', 'created since a date (2026-11-01) or an age (7d)'),
  b('all', 'include expired handoffs'),
];

/** Options every command accepts. */
export const GLOBAL_OPTIONS: OptionSpec[] = [
  b('json', 'machine-readable output (errors as {"error": {code, message}} on stderr)'),
  b('global', 'use the user store even inside a repository with a repo store', { short: 'g' }),
  b('rescan', 'stat every file in the store before answering (sees in-place edits at once)'),
  b('debug', 'show stack traces for unexpected errors'),
  b('help', 'show help', { short: 'h' }),
  b('version', 'print the version', { short: 'V' }),
];

/** The command table. */
export const COMMANDS: CommandSpec[] = [
  {
    name: 'store',
    description: 'store a handoff read from stdin (or --file); prints its 8-character id',
    args: [],
    options: [
      s('name', 'name', 'reusable name; retrieve --name gives the newest with it'),
      s('summary', 'text', 'one-line summary'),
      s('ttl', 'ttl', 'time to live: Nh, Nd or Nw (default: never, or config default_ttl)'),
      s('project', 'project', 'project (default: config, else the repository name)'),
      s('tags', 'a,b', 'comma-separated tags'),
      s('work-type', 'type', 'kind of work', { choices: WORK_TYPE_CHOICES }),
      s('parent', 'id', 'previous handoff in the same chain'),
      s('agent', 'name', 'who wrote it (default: $HANDOFF_AGENT or detected)'),
      s('file', 'path', 'read the handoff from a file instead of stdin', { short: 'f' }),
      b('redact', 'store with credentials replaced by markers instead of refusing'),
    ],
    load: () => import('./commands/store.js'),
  },
  {
    name: 'retrieve',
    description: 'print a handoff: the content as stored (default), the whole file, JSON, or a prompt',
    args: [arg('id', 'id or unique id prefix')],
    options: [
      s('name', 'name', 'the newest handoff with this name'),
      b('latest', 'the newest handoff of this project'),
      s('project', 'project', 'with --latest or --name: this project'),
      s('format', 'format', 'output format', { choices: ['md', 'json', 'prompt'] }),
      b('all', 'serve an expired handoff too'),
    ],
    load: () => import('./commands/retrieve.js'),
  },
  {
    name: 'list',
    description: 'list handoffs, newest first',
    args: [],
    options: [...FILTERS, s('limit', 'n', 'at most n rows')],
    load: () => import('./commands/list.js'),
  },
  {
    name: 'search',
    description: 'BM25-ranked full-text search with snippets',
    args: [arg('query', 'words to find (all must match)', { required: true, variadic: true })],
    options: [
      s('section', 'name', 'only this canonical section (decisions, next_steps, ...)'),
      ...FILTERS,
      s('limit', 'n', 'at most n hits (default 20)'),
    ],
    load: () => import('./commands/search.js'),
  },
  {
    name: 'gc',
    description: 'delete expired handoffs',
    args: [],
    options: [b('dry-run', 'only list what would be removed')],
    load: () => import('./commands/gc.js'),
  },
  {
    name: 'rm',
    description: 'delete one handoff',
    args: [arg('id', 'id or unique id prefix', { required: true })],
    options: [],
    load: () => import('./commands/rm.js'),
  },
  {
    name: 'check',
    description: 'check a handoff against the quality rules; score 0-100; exit 1 on errors',
    args: [arg('target', 'a file, a handoff id, or - for stdin (default: stdin)')],
    options: [
      s('profile', 'profile', 'required sections', { choices: ['five-field', 'six-section', 'package', 'full'] }),
    ],
    load: () => import('./commands/check.js'),
  },
  {
    name: 'draft',
    description: 'write a handoff draft pre-filled with facts from git, tests and the transcript',
    args: [],
    options: [
      s('work-type', 'type', 'kind of work', { choices: WORK_TYPE_CHOICES, default: 'implementation' }),
      s('tests', 'command', 'run this test command and record its pass/fail counts'),
      s('transcript', 'path', 'digest this Claude Code or Codex transcript (JSONL)'),
      s('name', 'name', 'name for the handoff'),
      s('summary', 'text', 'one-line summary'),
      s('output', 'file', 'write the draft to a file instead of stdout', { short: 'o' }),
    ],
    load: () => import('./commands/draft.js'),
  },
  {
    name: 'resume',
    description: 'the session-start prompt: the newest handoff, what changed since, the start protocol',
    args: [],
    options: [
      s('budget', 'tokens', 'token budget (default 1500, or config resume_budget)'),
      s('format', 'format', 'output format', { choices: ['text', 'json'], default: 'text' }),
      s('branch', 'branch', 'prefer handoffs written on this branch (default: the current one)'),
      b('after-compaction', 'offer the newest automatic checkpoint'),
    ],
    load: () => import('./commands/resume.js'),
  },
  {
    name: 'decisions',
    description: 'every decision across the history, newest first, with rationale and source',
    args: [arg('query', 'only decisions containing these words', { variadic: true })],
    options: [s('project', 'project', 'only this project'), b('all', 'include expired handoffs')],
    load: () => import('./commands/decisions.js'),
  },
  {
    name: 'import',
    description: 'import existing handoffs (markdown, YAML, docs/session_handoffs/, the handoff CLI database)',
    args: [arg('paths', 'files or directories of handoffs', { variadic: true })],
    options: [
      s('from', 'source', "'handoff-db' to import the handoff CLI's database ($HANDOFF_DB or ~/.handoff/handoff.db)", {
        choices: ['handoff-db'],
      }),
      b('redact', 'import documents with credentials, replacing them with markers'),
      s('project', 'project', 'project for documents that do not name one'),
      b('dry-run', 'show what would be imported'),
    ],
    load: () => import('./commands/import.js'),
  },
  {
    name: 'export',
    description: 'every handoff as JSON lines or a markdown bundle, on stdout',
    args: [],
    options: [
      s('format', 'format', 'output format', { choices: ['jsonl', 'md'], default: 'jsonl' }),
      s('project', 'project', 'only this project'),
    ],
    load: () => import('./commands/export.js'),
  },
  {
    name: 'init',
    description: 'set up the repo store and write the session protocol into agent instruction files',
    args: [],
    options: [
      s('agent', 'agent', 'claude-code, codex, cursor, copilot, gemini or all (repeatable, or comma-separated)', {
        multiple: true,
      }),
      b('dry-run', 'show what would change'),
    ],
    load: () => import('./commands/init.js'),
  },
  {
    name: 'hooks install',
    description: "merge handoff's hooks into the agent's settings",
    args: [arg('agent', 'claude-code or codex', { required: true })],
    options: [
      s('scope', 'scope', 'settings file to change', { choices: ['project', 'user'], default: 'project' }),
      b('dry-run', 'show what would change'),
      b('force', 'install even when the session-handoff plugin already provides the hooks'),
    ],
    load: async () => ({ run: (await import('./commands/hooks.js')).runInstall }),
  },
  {
    name: 'hooks uninstall',
    description: "remove handoff's hooks from the agent's settings",
    args: [arg('agent', 'claude-code or codex', { required: true })],
    options: [
      s('scope', 'scope', 'settings file to change', { choices: ['project', 'user'], default: 'project' }),
      b('dry-run', 'show what would change'),
    ],
    load: async () => ({ run: (await import('./commands/hooks.js')).runUninstall }),
  },
  {
    name: 'hook',
    description: 'entry point for agent hooks: reads the hook JSON on stdin; never fails the agent',
    args: [arg('event', 'SessionStart, PreCompact, SessionEnd, Stop (as the agent names them)', { required: true })],
    options: [s('agent', 'agent', 'the agent calling', { choices: ['claude-code', 'codex'], default: 'claude-code' })],
    load: () => import('./commands/hook.js'),
  },
  {
    name: 'mcp',
    description: 'run the MCP server over stdio',
    args: [],
    options: [],
    load: () => import('./commands/mcp.js'),
  },
  {
    name: 'edit',
    description: 'open a handoff in $EDITOR and check it again after',
    args: [arg('id', 'id or unique id prefix', { required: true })],
    options: [],
    load: () => import('./commands/edit.js'),
  },
  {
    name: 'doctor',
    description: 'paths, counts, broken files and problems of the store, index and config',
    args: [],
    options: [],
    load: () => import('./commands/doctor.js'),
  },
  {
    name: 'completion',
    description: 'print a shell completion script',
    args: [arg('shell', 'bash, zsh or fish', { required: true })],
    options: [],
    load: () => import('./commands/completion.js'),
  },
];

/** What `parseCommandLine` found. `command` is null for `--help`/`--version` at the top level. */
export interface ParsedCommandLine {
  command: CommandSpec | null;
  args: string[];
  /** Command options, camelCased (`dry-run` -> `dryRun`), defaults applied. */
  opts: Record<string, unknown>;
  globals: { json: boolean; global: boolean; rescan: boolean; debug: boolean; help: boolean; version: boolean };
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * Parses `argv` (without `node` and the script) against the command table.
 * @throws UsageError for an unknown command or option, a missing value or
 *   argument, or a value outside an option's choices.
 */
export function parseCommandLine(argv: string[]): ParsedCommandLine {
  const globalsOnly = toParseArgs(GLOBAL_OPTIONS);
  // The command is the first word that is not an option (global options take no value).
  const first = argv.findIndex((a) => !a.startsWith('-'));
  const dashdash = argv.indexOf('--');
  const at = dashdash !== -1 && dashdash < first ? -1 : first;
  let command: CommandSpec | null = null;
  let rest = argv;
  if (at !== -1) {
    const word = argv[at]!;
    const sub = argv.slice(at + 1).find((a) => !a.startsWith('-'));
    command = COMMANDS.find((c) => c.name === `${word} ${sub}`) ?? COMMANDS.find((c) => c.name === word) ?? null;
    if (!command) {
      if (COMMANDS.some((c) => c.name.startsWith(`${word} `))) {
        const subs = COMMANDS.filter((c) => c.name.startsWith(`${word} `)).map((c) => c.name.split(' ')[1]);
        throw new UsageError(`'${word}' needs a subcommand: ${subs.join(' or ')}`);
      }
      throw new UsageError(`unknown command '${word}'; run handoff --help for the list`);
    }
    rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
    if (command.name.includes(' ')) rest.splice(rest.indexOf(command.name.split(' ')[1]!), 1);
  }
  const options = { ...globalsOnly, ...toParseArgs(command?.options ?? []) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const unknown = /Unknown option '([^']+)'/.exec(err.message);
    const reason = unknown ? `unknown option '${unknown[1]}'` : err.message.split('\n')[0]!.replace(/\.$/, '');
    throw new UsageError(`${reason} (run handoff ${command ? `${command.name} ` : ''}--help)`);
  }
  const values = parsed.values as Record<string, unknown>;
  const globals = {
    json: values.json === true,
    global: values.global === true,
    rescan: values.rescan === true,
    debug: values.debug === true,
    help: values.help === true,
    version: values.version === true,
  };
  const opts: Record<string, unknown> = {};
  for (const o of command?.options ?? []) {
    let v = values[o.name];
    if (v === undefined) v = o.default;
    if (v === undefined) continue;
    if (o.choices) {
      const list = Array.isArray(v) ? v : [v];
      for (const item of list) {
        if (!o.choices.includes(String(item))) {
          throw new UsageError(`invalid value '${String(item)}' for --${o.name}: use one of ${o.choices.join(', ')}`);
        }
      }
    }
    opts[camel(o.name)] = v;
  }
  const args = parsed.positionals;
  if (command && !globals.help) {
    const max = command.args.some((a) => a.variadic) ? Number.POSITIVE_INFINITY : command.args.length;
    const missing = command.args.find((a, i) => a.required && args[i] === undefined);
    if (missing) throw new UsageError(`missing argument <${missing.name}> (run handoff ${command.name} --help)`);
    if (args.length > max)
      throw new UsageError(`unexpected argument '${args[max]}' (run handoff ${command.name} --help)`);
  }
  return { command, args, opts, globals };
}

function toParseArgs(
  specs: OptionSpec[],
): Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> {
  const out: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of specs) {
    out[o.name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  return out;
}

function optionLine(o: OptionSpec): [string, string] {
  const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.type === 'string' ? ` <${o.value ?? 'value'}>` : ''}`;
  const extra = [o.choices ? `one of: ${o.choices.join(', ')}` : '', o.default ? `default: ${o.default}` : '']
    .filter(Boolean)
    .join('; ');
  return [flag, extra ? `${o.description} (${extra})` : o.description];
}

function columns(rows: Array<[string, string]>): string {
  const w = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, d]) => `  ${a.padEnd(w)}  ${d}`).join('\n');
}

/** Help text: the whole program (`command` null) or one command. */
export function helpText(command: CommandSpec | null): string {
  if (!command) {
    return [
      'Usage: handoff [options] <command> [arguments]',
      '',
      'Session handoffs for AI coding agents: store, search, check, draft and resume.',
      '',
      'Commands:',
      columns(COMMANDS.map((c) => [`${c.name}${c.args.map(fmtArg).join('')}`, c.description])),
      '',
      'Options (every command):',
      columns(GLOBAL_OPTIONS.map(optionLine)),
      '',
      'Exit codes: 0 ok; 1 not found, expired, or check found errors; 2 usage or invalid input; 3 I/O or store failure.',
      '',
    ].join('\n');
  }
  return [
    `Usage: handoff ${command.name} [options]${command.args.map(fmtArg).join('')}`,
    '',
    `${command.description[0]!.toUpperCase()}${command.description.slice(1)}.`,
    '',
    ...(command.args.length ? ['Arguments:', columns(command.args.map((a) => [a.name, a.description])), ''] : []),
    'Options:',
    columns([...command.options, ...GLOBAL_OPTIONS].map(optionLine)),
    '',
  ].join('\n');
}

function fmtArg(a: ArgSpec): string {
  const inner = `${a.name}${a.variadic ? '...' : ''}`;
  return a.required ? ` <${inner}>` : ` [${inner}]`;
}
