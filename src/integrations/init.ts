/**
 * `handoff init`: gives a repository a store directory with a template
 * README, a `.handoff.json`, and the session protocol in each agent's
 * instruction file (design.md, "Command line": init; issue 4 part 1).
 *
 * Planned first, then applied: `--dry-run` returns the same plan and writes
 * nothing, and an error found while planning (a broken marker, invalid
 * `.mcp.json`) leaves every file untouched.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { gitOutput } from '../_git.js';
import { loadConfig, resolvePaths } from '../config.js';
import { UsageError } from '../errors.js';
import { applyWrites, type PlannedWrite, readTextOrNull } from './_fs.js';
import {
  AGENT_FILES,
  BLOCK_START,
  CURSOR_RULE_HEADER,
  DEFAULT_REPO_CONFIG,
  INIT_AGENTS,
  type InitAgent,
  MCP_SERVER_ENTRY,
  MCP_SERVER_NAME,
  renderProtocol,
  renderStoreReadme,
  STORE_GITIGNORE_LINES,
  STORE_README_TITLE,
} from './instructions.js';
import { isJsonObject, jsonEqual, parseJsonObject, stringifyJsonLike } from './json-edit.js';
import { ensureLines, summarizeChange, upsertMarkedBlock } from './marked-block.js';

/** Options of `initRepository`. */
export interface InitOptions {
  /** Where the command runs; the repository is found from here. */
  cwd: string;
  /**
   * Agents whose instruction files get the protocol block. Empty = none (store only);
   * absent = `detectAgents(root)` (those whose files exist, else Claude Code and Codex).
   */
  agents?: readonly InitAgent[];
  /** Compute and return the plan, write nothing. */
  dryRun?: boolean;
  /**
   * Set up the user store and the user-level instruction files
   * (`~/.claude/CLAUDE.md`, `$CODEX_HOME/AGENTS.md`, `~/.gemini/GEMINI.md`) instead of a repository.
   */
  global?: boolean;
  /** Environment for HOME, XDG_*, HANDOFF_*, CLAUDE_CONFIG_DIR, CODEX_HOME. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** One path in the plan. `action: 'skip'` = left alone on purpose (see `summary`). */
export interface InitChange {
  /** Absolute path. */
  path: string;
  /** Path relative to the repository root (or `~/...`), for display. */
  display: string;
  action: 'create' | 'update' | 'unchanged' | 'skip';
  /** One line: what changes, e.g. `append session-handoff block (+22 -0 lines)`. */
  summary: string;
}

/** What `init` did, or would do with `dryRun`. */
export interface InitPlan {
  scope: 'repo' | 'global';
  /** Repository root, or the user store for `global`. */
  root: string;
  /** Absolute store directory. */
  storeDir: string;
  dryRun: boolean;
  /** Agents whose instruction files were (or would be) set up. */
  agents: InitAgent[];
  changes: InitChange[];
  /** Hints for the user (next commands, files skipped and why). */
  notes: string[];
}

/**
 * Sets up a repository (or, with `global`, the user store) for session handoffs.
 * Idempotent: a second run reports every path `unchanged`. Existing content of
 * instruction files is kept byte for byte; only the marked block is ours.
 * @returns the plan, with `changes` in the order they are (or would be) written.
 * @throws UsageError outside a git repository (without `global`), for a `store_dir`
 *   outside the repository, for invalid `.mcp.json`, or for a half-present marked block.
 * @throws StoreError when a file cannot be written (the ones before it are written).
 * @example
 * const plan = await initRepository({ cwd: '/repo', agents: ['claude-code', 'codex'], dryRun: true });
 * for (const c of plan.changes) console.log(c.action, c.display, c.summary);
 */
export async function initRepository(options: InitOptions): Promise<InitPlan> {
  const env = options.env ?? process.env;
  const dryRun = options.dryRun ?? false;
  const agents = options.agents === undefined ? undefined : [...new Set(options.agents)];
  for (const a of agents ?? []) {
    if (!(INIT_AGENTS as readonly string[]).includes(a)) {
      throw new UsageError(`unknown agent '${a}'; choose from ${INIT_AGENTS.join(', ')}`);
    }
  }
  const planned = options.global
    ? planGlobal(agents ?? ['claude-code', 'codex'], env)
    : await planRepository(options.cwd, agents, env);
  if (!dryRun) await applyWrites(planned.writes);
  return {
    scope: planned.scope,
    root: planned.root,
    storeDir: planned.storeDir,
    dryRun,
    agents: planned.agents,
    changes: planned.changes,
    notes: planned.notes,
  };
}

/**
 * Agents to set up when the user names none: those whose instruction files
 * already exist in `root`, else Claude Code and Codex (AGENTS.md is read by
 * most other agents too).
 */
export function detectAgents(root: string): InitAgent[] {
  const found = INIT_AGENTS.filter((a) => {
    if (a === 'cursor') return existsSync(join(root, '.cursor'));
    return existsSync(join(root, AGENT_FILES[a]));
  });
  return found.length > 0 ? found : ['claude-code', 'codex'];
}

interface Planned {
  agents: InitAgent[];
  scope: 'repo' | 'global';
  root: string;
  storeDir: string;
  writes: PlannedWrite[];
  changes: InitChange[];
  notes: string[];
}

async function planRepository(
  cwd: string,
  chosen: readonly InitAgent[] | undefined,
  env: NodeJS.ProcessEnv,
): Promise<Planned> {
  const top = await gitOutput(['rev-parse', '--show-toplevel'], resolve(cwd));
  if (!top) {
    throw new UsageError(
      `${resolve(cwd)} is not inside a git repository; run init inside a git repository, or pass --global to set up the user store`,
    );
  }
  const root = resolve(top);
  const agents = chosen ?? detectAgents(root);
  const config = loadConfig(root, env);
  const storeRel = config.store_dir.replace(/\\/g, '/').replace(/\/+$/, '');
  const storeDir = resolve(root, storeRel);
  if (!storeDir.startsWith(root + sep)) {
    throw new UsageError(
      `store_dir '${config.store_dir}' in .handoff.json must be a directory inside the repository, e.g. docs/session_handoffs`,
    );
  }
  const display = (p: string) => relative(root, p).split(sep).join('/');
  const out = new PlanBuilder(display);

  out.directory(storeDir);
  out.block(join(storeDir, 'README.md'), renderStoreReadme(storeRel), 'store README: template and usage', {
    prefix: STORE_README_TITLE,
  });
  out.lines(join(storeDir, '.gitignore'), STORE_GITIGNORE_LINES, 'ignore temp files of atomic writes');
  const configPath = join(root, '.handoff.json');
  if (readTextOrNull(configPath, 'utf8') === null) {
    out.write(configPath, null, stringifyJsonLike(DEFAULT_REPO_CONFIG, null), 'utf8', 'config');
  } else {
    out.keep(configPath, 'existing config kept');
  }

  const protocol = renderProtocol(storeRel);
  for (const agent of agents) {
    const path = join(root, AGENT_FILES[agent]);
    out.block(path, protocol, 'session protocol', agent === 'cursor' ? { prefix: CURSOR_RULE_HEADER } : {});
    if (agent === 'claude-code') out.mcp(join(root, '.mcp.json'));
  }
  const notes = [
    'Commit the store directory and the instruction files so the team shares them.',
    ...(agents.includes('claude-code')
      ? [
          'Claude Code: `handoff hooks install claude-code` (or the session-handoff plugin) adds the resume and stop hooks.',
        ]
      : []),
    ...(agents.includes('codex')
      ? ['Codex: `handoff hooks install codex` adds its hooks (trust them in /hooks).']
      : []),
  ];
  return { agents: [...agents], scope: 'repo', root, storeDir, writes: out.writes, changes: out.changes, notes };
}

function planGlobal(agents: readonly InitAgent[], env: NodeJS.ProcessEnv): Planned {
  const home = env.HOME || homedir();
  const storeDir = resolvePaths(env).userStore;
  const display = (p: string) => (p === home || p.startsWith(home + sep) ? `~${p.slice(home.length)}` : p);
  const out = new PlanBuilder(display, { mode: 0o600, dirMode: 0o700 });
  out.directory(storeDir);
  out.block(join(storeDir, 'README.md'), renderStoreReadme(display(storeDir)), 'store README: template and usage', {
    prefix: STORE_README_TITLE,
  });
  const protocol = renderProtocol(display(storeDir), { global: true });
  const notes: string[] = [];
  const userFiles: Partial<Record<InitAgent, string>> = {
    'claude-code': join(env.CLAUDE_CONFIG_DIR || join(home, '.claude'), 'CLAUDE.md'),
    codex: join(env.CODEX_HOME || join(home, '.codex'), 'AGENTS.md'),
    gemini: join(home, '.gemini', 'GEMINI.md'),
  };
  for (const agent of agents) {
    const path = userFiles[agent];
    if (path) out.block(path, protocol, 'session protocol (all projects)');
    else
      notes.push(
        `${agent}: has no user-level instruction file; run \`handoff init --agent ${agent}\` in each repository.`,
      );
  }
  if (agents.includes('claude-code')) {
    notes.push('MCP for all projects: `claude mcp add --scope user handoff -- handoff mcp`.');
  }
  return {
    agents: [...agents],
    scope: 'global',
    root: storeDir,
    storeDir,
    writes: out.writes,
    changes: out.changes,
    notes,
  };
}

/** Collects planned writes and their display rows. Reads files; never writes. */
class PlanBuilder {
  readonly writes: PlannedWrite[] = [];
  readonly changes: InitChange[] = [];
  constructor(
    private readonly display: (path: string) => string,
    private readonly modes: { mode?: number; dirMode?: number } = {},
  ) {}

  directory(path: string): void {
    let exists = false;
    try {
      exists = statSync(path).isDirectory();
    } catch {
      exists = false;
    }
    if (!exists && existsSync(path)) {
      throw new UsageError(`${path} exists and is not a directory; move it away or set store_dir in .handoff.json`);
    }
    this.changes.push({
      path,
      display: `${this.display(path)}/`,
      action: exists ? 'unchanged' : 'create',
      summary: exists ? 'store directory exists' : 'store directory',
    });
  }

  write(path: string, before: string | null, after: string, encoding: 'latin1' | 'utf8', what: string): void {
    const action = before === null ? 'create' : before === after ? 'unchanged' : 'update';
    this.writes.push({ path, before, after, action, encoding, ...this.modes });
    const summary = action === 'unchanged' ? `${what}: up to date` : `${what} (${summarizeChange(before, after)})`;
    this.changes.push({ path, display: this.display(path), action, summary });
  }

  keep(path: string, why: string): void {
    this.changes.push({ path, display: this.display(path), action: 'unchanged', summary: why });
  }

  block(path: string, body: string, what: string, options: { prefix?: string } = {}): void {
    const before = readTextOrNull(path, 'latin1');
    const edit = upsertMarkedBlock(before, body, { ...options, path });
    const appended = before !== null && !before.includes(BLOCK_START.slice(0, -4));
    const label = edit.action !== 'update' ? what : appended ? `${what}: block appended` : `${what}: block updated`;
    this.write(path, before, edit.text, 'latin1', label);
  }

  lines(path: string, lines: readonly string[], what: string): void {
    const before = readTextOrNull(path, 'latin1');
    this.write(path, before, ensureLines(before, lines).text, 'latin1', what);
  }

  mcp(path: string): void {
    const before = readTextOrNull(path, 'utf8');
    const data = parseJsonObject(before ?? '', path);
    const servers = data.mcpServers;
    if (servers !== undefined && !isJsonObject(servers)) {
      throw new UsageError(`${path}: "mcpServers" is not an object; fix the file and run again`);
    }
    const current = servers?.[MCP_SERVER_NAME];
    if (current !== undefined) {
      if (jsonEqual(current, MCP_SERVER_ENTRY)) this.keep(path, `MCP server '${MCP_SERVER_NAME}' registered`);
      else this.keep(path, `MCP server '${MCP_SERVER_NAME}' exists with other settings; kept as it is`);
      return;
    }
    const next = { ...data, mcpServers: { ...(servers ?? {}), [MCP_SERVER_NAME]: MCP_SERVER_ENTRY } };
    this.write(path, before, stringifyJsonLike(next, before), 'utf8', `register MCP server '${MCP_SERVER_NAME}'`);
  }
}
