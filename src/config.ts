/**
 * Configuration: `.handoff.json` at the repository root (committed) and
 * `$XDG_CONFIG_HOME/handoff/config.json` (user). Precedence: flags >
 * environment > repository > user > defaults (design.md, "Around the edges").
 * Flags are applied by the caller on top of what `loadConfig` returns.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import type { Severity } from './format/schema.js';

/** Severity a rule can be re-graded to in config; `off` disables it. */
export type RuleSetting = Severity | 'off';

/** Every setting, all optional in the files; `loadConfig` fills defaults. */
export interface HandoffConfig {
  /** Repo store directory relative to the repository root. Default `docs/session_handoffs`. */
  store_dir: string;
  /** TTL applied by `store` when `--ttl` is absent, e.g. `14d`; null = never expires. */
  default_ttl: string | null;
  /** Project name; default: the repository's directory name. */
  project: string | null;
  /** `check` profile: five-field | six-section | package | full. */
  profile: string;
  /** Per-rule overrides, e.g. `{"metrics": "off", "vague": "error"}`. */
  rules: Record<string, RuleSetting>;
  /** `length` rule budget in tokens. Default 3000. */
  length_budget: number;
  /** `resume` budget in tokens. Default 1500. */
  resume_budget: number;
  /** Stop hook: how many times it may block one session. Default 3. */
  stop_max_blocks: number;
}

export const DEFAULT_CONFIG: HandoffConfig = {
  store_dir: 'docs/session_handoffs',
  default_ttl: null,
  project: null,
  profile: 'five-field',
  rules: {},
  length_budget: 3000,
  resume_budget: 1500,
  stop_max_blocks: 3,
};

/** Directories the tool uses, from the XDG variables and the `HANDOFF_*` overrides. */
export interface HandoffPaths {
  /** User store: `HANDOFF_HOME` or `$XDG_DATA_HOME/handoff` (default `~/.local/share/handoff`). */
  userStore: string;
  /** Index cache: `HANDOFF_CACHE` or `$XDG_CACHE_HOME/handoff` (default `~/.cache/handoff`). */
  cache: string;
  /** User config file: `$XDG_CONFIG_HOME/handoff/config.json`. */
  userConfig: string;
}

/** Resolves the tool's directories from an environment (defaults to `process.env`). */
export function resolvePaths(env: NodeJS.ProcessEnv = process.env): HandoffPaths {
  const home = env.HOME || homedir();
  const data = env.XDG_DATA_HOME || join(home, '.local', 'share');
  const cache = env.XDG_CACHE_HOME || join(home, '.cache');
  const config = env.XDG_CONFIG_HOME || join(home, '.config');
  return {
    userStore: env.HANDOFF_HOME || join(data, 'handoff'),
    cache: env.HANDOFF_CACHE || join(cache, 'handoff'),
    userConfig: join(config, 'handoff', 'config.json'),
  };
}

function readJsonConfig(path: string): Partial<HandoffConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error('expected a JSON object');
    }
    return value as Partial<HandoffConfig>;
  } catch (e) {
    throw new UsageError(`${path}: invalid config: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Loads and merges configuration.
 * @param repoRoot repository root, or null outside a repository.
 * @throws UsageError when a config file is not a JSON object (names the file).
 */
export function loadConfig(repoRoot: string | null, env: NodeJS.ProcessEnv = process.env): HandoffConfig {
  const user = readJsonConfig(resolvePaths(env).userConfig);
  const repo = repoRoot ? readJsonConfig(join(repoRoot, '.handoff.json')) : {};
  const merged: HandoffConfig = {
    ...DEFAULT_CONFIG,
    ...user,
    ...repo,
    rules: { ...DEFAULT_CONFIG.rules, ...(user.rules ?? {}), ...(repo.rules ?? {}) },
  };
  if (env.HANDOFF_PROFILE) merged.profile = env.HANDOFF_PROFILE;
  if (env.HANDOFF_DEFAULT_TTL) merged.default_ttl = env.HANDOFF_DEFAULT_TTL;
  if (env.HANDOFF_PROJECT) merged.project = env.HANDOFF_PROJECT;
  return merged;
}
