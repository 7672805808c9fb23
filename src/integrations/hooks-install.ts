/**
 * `handoff hooks install|uninstall AGENT`: merges our handlers into the
 * agent's settings file (issue 4 part 2). The merging itself is pure
 * (`settings.ts`); this module finds the file, reads it, writes it atomically.
 */
import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { gitOutput } from '../_git.js';
import { UsageError } from '../errors.js';
import { applyWrites, readTextOrNull } from './_fs.js';
import { parseJsonObject, stringifyJsonLike } from './json-edit.js';
import {
  findPluginInstall,
  HOOK_AGENTS,
  type HookAgent,
  mergeHookSettings,
  PLUGIN_NAME,
  removeHookSettings,
  type SettingsEdit,
} from './settings.js';

/** Options of `installHooks` / `uninstallHooks`. */
export interface HooksOptions {
  agent: HookAgent;
  /** `project`: the repository's `.claude/settings.json` / `.codex/hooks.json`; `user`: the home directory's. */
  scope: 'project' | 'user';
  cwd: string;
  /** For HOME, CLAUDE_CONFIG_DIR, CODEX_HOME. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Report what would change; write nothing. */
  dryRun?: boolean;
  /** Install even when the session-handoff plugin already provides the handlers. */
  force?: boolean;
}

/** What an install or uninstall did (or would do). */
export interface HooksResult {
  agent: HookAgent;
  scope: 'project' | 'user';
  /** Absolute path of the settings file. */
  path: string;
  /** `skip`: nothing done on purpose (see `notes`). */
  action: 'create' | 'update' | 'unchanged' | 'skip';
  /** One line per event changed, e.g. ``Stop: added `handoff hook stop` ``. */
  changed: string[];
  dryRun: boolean;
  notes: string[];
}

/**
 * Merges our SessionStart / PreCompact / SessionEnd / Stop handlers into the agent's settings.
 * Idempotent; other settings and other hooks are kept. For Claude Code, skips (with a note)
 * when the session-handoff plugin is enabled or installed, unless `force`.
 * @throws UsageError for an unknown agent or invalid JSON in the settings file (named; nothing written).
 * @throws StoreError when the file cannot be written.
 */
export async function installHooks(options: HooksOptions): Promise<HooksResult> {
  const { path, env } = await locate(options);
  const notes: string[] = [];
  if (options.agent === 'claude-code' && !options.force) {
    const plugin = detectPlugin(await projectRoot(options.cwd), env);
    if (plugin) {
      return {
        ...base(options, path),
        action: 'skip',
        changed: [],
        notes: [
          `The ${PLUGIN_NAME} plugin already runs these hooks (${plugin}); not installing them twice. Pass --force to install anyway.`,
        ],
      };
    }
  }
  const result = await edit(options, path, mergeHookSettings);
  if (result.action !== 'unchanged') {
    if (options.agent === 'codex') {
      notes.push('Codex runs new hooks only after you trust them: open /hooks in Codex and trust the handoff hooks.');
    }
    notes.push('Machines without `handoff` on PATH skip these hooks quietly (each command is guarded).');
  }
  return { ...result, notes };
}

/**
 * Removes exactly our handlers from the agent's settings (both scopes' shapes, any version of the guard).
 * @throws UsageError for invalid JSON in the settings file; StoreError when it cannot be written.
 */
export async function uninstallHooks(options: HooksOptions): Promise<HooksResult> {
  const { path } = await locate(options);
  return edit(options, path, (settings) => removeHookSettings(settings));
}

function base(options: HooksOptions, path: string) {
  return { agent: options.agent, scope: options.scope, path, dryRun: options.dryRun ?? false };
}

async function edit(
  options: HooksOptions,
  path: string,
  change: (settings: ReturnType<typeof parseJsonObject>, agent: HookAgent) => SettingsEdit,
): Promise<HooksResult> {
  const before = readTextOrNull(path, 'utf8');
  const settings = parseJsonObject(before ?? '', path);
  let result: SettingsEdit;
  try {
    result = change(settings, options.agent);
  } catch (e) {
    if (e instanceof TypeError) throw new UsageError(`${path}: ${e.message}; fix the file and run again`, { cause: e });
    throw e;
  }
  if (result.changed.length === 0) {
    return { ...base(options, path), action: 'unchanged', changed: [], notes: [] };
  }
  const after = stringifyJsonLike(result.settings, before);
  const action = before === null ? 'create' : 'update';
  if (!options.dryRun) await applyWrites([{ path, before, after, action, encoding: 'utf8' }]);
  return { ...base(options, path), action, changed: result.changed, notes: [] };
}

async function locate(options: HooksOptions): Promise<{ path: string; env: NodeJS.ProcessEnv }> {
  if (!(HOOK_AGENTS as readonly string[]).includes(options.agent)) {
    throw new UsageError(`unknown agent '${options.agent}' for hooks; choose from ${HOOK_AGENTS.join(', ')}`);
  }
  if (options.scope !== 'project' && options.scope !== 'user') {
    throw new UsageError(`unknown scope '${String(options.scope)}'; use --scope project or --scope user`);
  }
  const env = options.env ?? process.env;
  const home = env.HOME || homedir();
  if (options.scope === 'user') {
    const path =
      options.agent === 'claude-code'
        ? join(claudeDir(env), 'settings.json')
        : join(env.CODEX_HOME || join(home, '.codex'), 'hooks.json');
    return { path, env };
  }
  const root = await projectRoot(options.cwd);
  const path =
    options.agent === 'claude-code' ? join(root, '.claude', 'settings.json') : join(root, '.codex', 'hooks.json');
  return { path, env };
}

/** The repository root, or `cwd` itself outside a repository (the agent's project directory is where it starts). */
async function projectRoot(cwd: string): Promise<string> {
  const top = await gitOutput(['rev-parse', '--show-toplevel'], resolve(cwd));
  return top ? resolve(top) : resolve(cwd);
}

function claudeDir(env: NodeJS.ProcessEnv): string {
  return env.CLAUDE_CONFIG_DIR || join(env.HOME || homedir(), '.claude');
}

/**
 * Looks for the plugin in the settings files Claude Code merges (local, project, user; first
 * mention wins) and in its install records; a plugin directory named after ours in the
 * plugin cache counts too.
 */
function detectPlugin(root: string, env: NodeJS.ProcessEnv): string | null {
  const dir = claudeDir(env);
  const files = [
    join(root, '.claude', 'settings.local.json'),
    join(root, '.claude', 'settings.json'),
    join(dir, 'settings.json'),
    join(dir, 'plugins', 'installed_plugins.json'),
  ];
  const sources: Array<{ path: string; json: unknown }> = [];
  for (const path of files) {
    const text = readTextOrNull(path, 'utf8');
    if (text === null) continue;
    try {
      sources.push({ path, json: JSON.parse(text) as unknown });
    } catch {
      // An unreadable settings file is reported by the edit itself when it is the one we write.
    }
  }
  const found = findPluginInstall(sources);
  if (found !== null) return found || null;
  // Older Claude Code versions keep no install record: the plugin cache is `plugins/cache/<marketplace>/<plugin>`.
  try {
    for (const marketplace of readdirSync(join(dir, 'plugins', 'cache'))) {
      const names = readdirSync(join(dir, 'plugins', 'cache', marketplace));
      if (names.includes(PLUGIN_NAME)) return `found in ${join(dir, 'plugins', 'cache', marketplace, PLUGIN_NAME)}`;
    }
  } catch {
    // No plugin cache: no plugin.
  }
  return null;
}
