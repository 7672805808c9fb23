/**
 * Pure merging of our hook handlers into an agent's settings JSON (Claude
 * Code `settings.json`, Codex `hooks.json`; both use the shape
 * `{"hooks": {"<Event>": [{"matcher", "hooks": [{"type": "command", "command", "timeout"}]}]}}`,
 * reference/agents.md). Nothing else in the file is touched; a second
 * install is a no-op; uninstall removes exactly our handlers.
 */
import { type JsonObject, isJsonObject } from './json-edit.js';

/** Agents whose hooks `hooks install` manages. */
export const HOOK_AGENTS = ['claude-code', 'codex'] as const;
export type HookAgent = (typeof HOOK_AGENTS)[number];

/** The `handoff hook EVENT` argument for each handler. */
export type HookCliEvent = 'session-start' | 'pre-compact' | 'session-end' | 'stop';

/** One handler we install. `timeout` is in seconds, as both agents read it. */
export interface HookSpec {
  event: 'SessionStart' | 'PreCompact' | 'SessionEnd' | 'Stop';
  cliEvent: HookCliEvent;
  matcher?: string;
  timeout: number;
}

/**
 * The handlers per agent (design.md, "Resume and hooks"). Timeouts: SessionStart 10 s
 * (resume must be fast), Stop 10 s, PreCompact 30 s (drafts a checkpoint), SessionEnd 5 s
 * (Claude Code gives SessionEnd hooks 1.5 s unless a hook asks for more; 5 s raises it).
 * Codex has no SessionEnd in our reference and its SessionStart has no `compact` source.
 */
export function hookSpecs(agent: HookAgent): HookSpec[] {
  if (agent === 'codex') {
    return [
      { event: 'SessionStart', cliEvent: 'session-start', matcher: 'startup|resume|clear', timeout: 10 },
      { event: 'PreCompact', cliEvent: 'pre-compact', timeout: 30 },
      { event: 'Stop', cliEvent: 'stop', timeout: 10 },
    ];
  }
  return [
    { event: 'SessionStart', cliEvent: 'session-start', matcher: 'startup|resume|clear|compact', timeout: 10 },
    { event: 'PreCompact', cliEvent: 'pre-compact', timeout: 30 },
    { event: 'SessionEnd', cliEvent: 'session-end', timeout: 5 },
    { event: 'Stop', cliEvent: 'stop', timeout: 10 },
  ];
}

/**
 * The shell command of one handler. Guarded so that a teammate's machine
 * without `handoff` on PATH runs nothing and exits 0 quietly, and `|| true`
 * turns any crash of `handoff` itself into exit 0 too: a Stop hook that
 * exited 2 would block the session, which must only ever happen on purpose
 * (and then it is JSON on stdout with exit 0).
 * @example guardedCommand('stop', 'claude-code') // 'command -v handoff >/dev/null 2>&1 && handoff hook stop || true'
 */
export function guardedCommand(cliEvent: HookCliEvent, agent: HookAgent): string {
  const flag = agent === 'codex' ? ' --agent codex' : '';
  return `command -v handoff >/dev/null 2>&1 && handoff hook ${cliEvent}${flag} || true`;
}

const OUR_COMMAND = /(?:^|[\s;&|(/])handoff(?:\.js)? hook (session-start|pre-compact|session-end|stop)\b/;

/** The `handoff hook` event a settings command runs, or null when the command is not ours. */
export function ourHookEvent(command: unknown): HookCliEvent | null {
  if (typeof command !== 'string') return null;
  const m = OUR_COMMAND.exec(command);
  return m ? (m[1] as HookCliEvent) : null;
}

function groupsOf(hooks: JsonObject, event: string): unknown[] {
  const value = hooks[event];
  return Array.isArray(value) ? value : [];
}

function innerHooks(group: unknown): unknown[] {
  return isJsonObject(group) && Array.isArray(group.hooks) ? group.hooks : [];
}

function isOurs(hook: unknown, cliEvent: HookCliEvent): boolean {
  return isJsonObject(hook) && ourHookEvent(hook.command) === cliEvent;
}

function groupFor(spec: HookSpec, agent: HookAgent): JsonObject {
  const handler = { type: 'command', command: guardedCommand(spec.cliEvent, agent), timeout: spec.timeout };
  return spec.matcher === undefined ? { hooks: [handler] } : { matcher: spec.matcher, hooks: [handler] };
}

/** Result of a merge: the new settings (a copy) and one line per event that changed. */
export interface SettingsEdit {
  settings: JsonObject;
  changed: string[];
}

/**
 * Adds our handlers to `settings`. For each event: when exactly one handler
 * of ours is there, in a group of its own, with the current command, matcher
 * and timeout, nothing changes; otherwise ours are removed and one fresh
 * group is appended after the user's own groups.
 * @throws TypeError when `hooks` or an event entry has the wrong type (the caller names the file).
 */
export function mergeHookSettings(settings: JsonObject, agent: HookAgent): SettingsEdit {
  assertHooksShape(settings);
  const hooks: JsonObject = { ...((settings.hooks as JsonObject | undefined) ?? {}) };
  const changed: string[] = [];
  for (const spec of hookSpecs(agent)) {
    const want = groupFor(spec, agent);
    const groups = groupsOf(hooks, spec.event);
    const mine = groups.filter((g) => innerHooks(g).some((h) => isOurs(h, spec.cliEvent)));
    if (mine.length === 1 && JSON.stringify(mine[0]) === JSON.stringify(want)) continue;
    const kept = stripOurs(groups, spec.cliEvent);
    hooks[spec.event] = [...kept, want];
    changed.push(`${spec.event}: ${mine.length === 0 ? 'added' : 'updated'} \`handoff hook ${spec.cliEvent}\``);
  }
  return { settings: changed.length === 0 ? settings : { ...settings, hooks }, changed };
}

/**
 * Removes our handlers (any agent flavour, any guard form) from `settings`.
 * A group left without handlers is dropped; an event array or the `hooks`
 * object is dropped only when our removal emptied it, so empty containers the
 * user wrote stay.
 */
export function removeHookSettings(settings: JsonObject): SettingsEdit {
  assertHooksShape(settings);
  if (settings.hooks === undefined) return { settings, changed: [] };
  const hooks: JsonObject = { ...(settings.hooks as JsonObject) };
  const changed: string[] = [];
  for (const [event, value] of Object.entries(hooks)) {
    if (!Array.isArray(value)) continue;
    const events = new Set<HookCliEvent>();
    for (const g of value) {
      for (const h of innerHooks(g)) {
        const e = isJsonObject(h) ? ourHookEvent(h.command) : null;
        if (e) events.add(e);
      }
    }
    if (events.size === 0) continue;
    let kept: unknown[] = value;
    for (const e of events) kept = stripOurs(kept, e);
    if (kept.length === 0) delete hooks[event];
    else hooks[event] = kept;
    changed.push(`${event}: removed ${[...events].map((e) => `\`handoff hook ${e}\``).join(', ')}`);
  }
  if (changed.length === 0) return { settings, changed };
  const next: JsonObject = { ...settings, hooks };
  if (Object.keys(hooks).length === 0) delete next.hooks;
  return { settings: next, changed };
}

function stripOurs(groups: unknown[], cliEvent: HookCliEvent): unknown[] {
  const out: unknown[] = [];
  for (const g of groups) {
    const inner = innerHooks(g);
    if (!inner.some((h) => isOurs(h, cliEvent))) {
      out.push(g);
      continue;
    }
    const rest = inner.filter((h) => !isOurs(h, cliEvent));
    if (rest.length > 0) out.push({ ...(g as JsonObject), hooks: rest });
  }
  return out;
}

function assertHooksShape(settings: JsonObject): void {
  if (settings.hooks === undefined) return;
  if (!isJsonObject(settings.hooks)) throw new TypeError('"hooks" is not an object');
  for (const [event, value] of Object.entries(settings.hooks)) {
    if (!Array.isArray(value)) throw new TypeError(`"hooks.${event}" is not an array`);
  }
}

/** Our plugin's name in `.claude-plugin/plugin.json`, as it appears in `enabledPlugins` keys (`name@marketplace`). */
export const PLUGIN_NAME = 'session-handoff';

/**
 * Whether the session-handoff Claude Code plugin is enabled or installed,
 * from already-parsed files: `enabledPlugins` of settings files (`{"session-handoff@mkt": true}`)
 * and `~/.claude/plugins/installed_plugins.json` (`{"plugins": {"session-handoff@mkt": [...]}}`).
 * An explicit `false` in a settings file wins over an install record.
 * @returns a one-line description of where it was found; `false` when a settings file disables it; null when absent.
 */
export function findPluginInstall(sources: ReadonlyArray<{ path: string; json: unknown }>): string | false | null {
  const isOurKey = (k: string) => k === PLUGIN_NAME || k.startsWith(`${PLUGIN_NAME}@`);
  let found: string | null = null;
  for (const { path, json } of sources) {
    if (!isJsonObject(json)) continue;
    const enabled = json.enabledPlugins;
    if (isJsonObject(enabled)) {
      for (const [k, v] of Object.entries(enabled)) {
        if (!isOurKey(k)) continue;
        if (v === false) return false;
        if (v === true) found ??= `${k} is enabled in ${path}`;
      }
    }
    const installed = json.plugins;
    if (isJsonObject(installed)) {
      const key = Object.keys(installed).find(isOurKey);
      if (key) found ??= `${key} is installed (${path})`;
    }
  }
  return found;
}
