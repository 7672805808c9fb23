import { describe, expect, it } from 'vitest';
import {
  findPluginInstall,
  guardedCommand,
  hookSpecs,
  mergeHookSettings,
  ourHookEvent,
  removeHookSettings,
} from '../../src/integrations/settings.js';

const cmd = (e: string, codex = false) =>
  `command -v handoff >/dev/null 2>&1 && handoff hook ${e}${codex ? ' --agent codex' : ''} || true`;

const OURS_CLAUDE = {
  SessionStart: [
    {
      matcher: 'startup|resume|clear|compact',
      hooks: [{ type: 'command', command: cmd('session-start'), timeout: 10 }],
    },
  ],
  PreCompact: [{ hooks: [{ type: 'command', command: cmd('pre-compact'), timeout: 30 }] }],
  SessionEnd: [{ hooks: [{ type: 'command', command: cmd('session-end'), timeout: 5 }] }],
  Stop: [{ hooks: [{ type: 'command', command: cmd('stop'), timeout: 10 }] }],
};

const theirs = {
  model: 'opus',
  permissions: { allow: ['Bash(npm test)'] },
  hooks: {
    Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './guard.sh', timeout: 3 }] }],
  },
};

describe('mergeHookSettings (Claude Code)', () => {
  it('adds our four handlers to empty settings', () => {
    const r = mergeHookSettings({}, 'claude-code');
    expect(r.settings).toEqual({ hooks: OURS_CLAUDE });
    expect(r.changed).toHaveLength(4);
  });

  it('keeps other settings and other hooks, appending ours after theirs', () => {
    const r = mergeHookSettings(structuredClone(theirs), 'claude-code');
    expect(r.settings).toEqual({
      model: 'opus',
      permissions: { allow: ['Bash(npm test)'] },
      hooks: {
        Stop: [theirs.hooks.Stop[0], OURS_CLAUDE.Stop[0]],
        PreToolUse: theirs.hooks.PreToolUse,
        SessionStart: OURS_CLAUDE.SessionStart,
        PreCompact: OURS_CLAUDE.PreCompact,
        SessionEnd: OURS_CLAUDE.SessionEnd,
      },
    });
  });

  it('is idempotent: a second merge changes nothing', () => {
    const once = mergeHookSettings(structuredClone(theirs), 'claude-code').settings;
    const twice = mergeHookSettings(structuredClone(once), 'claude-code');
    expect(twice.changed).toEqual([]);
    expect(twice.settings).toEqual(once);
  });

  it('replaces an outdated handler of ours instead of adding a second one', () => {
    const old = { hooks: { Stop: [{ hooks: [{ type: 'command', command: 'handoff hook stop', timeout: 60 }] }] } };
    const r = mergeHookSettings(old, 'claude-code');
    expect((r.settings.hooks as Record<string, unknown>).Stop).toEqual(OURS_CLAUDE.Stop);
    expect(r.changed).toContain('Stop: updated `handoff hook stop`');
  });

  it('refuses hooks of the wrong type', () => {
    expect(() => mergeHookSettings({ hooks: [] }, 'claude-code')).toThrow(/"hooks" is not an object/);
    expect(() => mergeHookSettings({ hooks: { Stop: {} } }, 'claude-code')).toThrow(/"hooks.Stop" is not an array/);
  });
});

describe('mergeHookSettings (Codex)', () => {
  it('installs SessionStart without compact, PreCompact and Stop, with --agent codex', () => {
    const r = mergeHookSettings({}, 'codex');
    expect(r.settings).toEqual({
      hooks: {
        SessionStart: [
          {
            matcher: 'startup|resume|clear',
            hooks: [{ type: 'command', command: cmd('session-start', true), timeout: 10 }],
          },
        ],
        PreCompact: [{ hooks: [{ type: 'command', command: cmd('pre-compact', true), timeout: 30 }] }],
        Stop: [{ hooks: [{ type: 'command', command: cmd('stop', true), timeout: 10 }] }],
      },
    });
  });
});

describe('removeHookSettings', () => {
  it('removes exactly ours and restores the original settings', () => {
    const merged = mergeHookSettings(structuredClone(theirs), 'claude-code').settings;
    const r = removeHookSettings(merged);
    expect(r.settings).toEqual(theirs);
    expect(r.changed).toHaveLength(4);
  });

  it('drops the hooks object when only ours were there', () => {
    const merged = mergeHookSettings({ model: 'x' }, 'claude-code').settings;
    expect(removeHookSettings(merged).settings).toEqual({ model: 'x' });
  });

  it('keeps a group shared with another handler, and empty containers the user wrote', () => {
    const shared = {
      hooks: {
        Stop: [
          {
            hooks: [
              { type: 'command', command: 'say done' },
              { type: 'command', command: cmd('stop') },
            ],
          },
        ],
        Notification: [],
      },
    };
    expect(removeHookSettings(shared).settings).toEqual({
      hooks: { Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }], Notification: [] },
    });
  });

  it('changes nothing when none of ours are present', () => {
    expect(removeHookSettings(structuredClone(theirs))).toEqual({ settings: theirs, changed: [] });
  });
});

describe('commands and plugin detection', () => {
  it('recognises our commands in any guard form, and nothing else', () => {
    expect(ourHookEvent(guardedCommand('stop', 'codex'))).toBe('stop');
    expect(ourHookEvent('handoff hook session-start')).toBe('session-start');
    expect(ourHookEvent('/usr/local/bin/handoff hook pre-compact')).toBe('pre-compact');
    expect(ourHookEvent('myhandoff hook stop')).toBeNull();
    expect(ourHookEvent('echo handoff')).toBeNull();
    expect(ourHookEvent(42)).toBeNull();
  });

  it('uses the timeouts the design asks for', () => {
    expect(Object.fromEntries(hookSpecs('claude-code').map((s) => [s.event, s.timeout]))).toEqual({
      SessionStart: 10,
      PreCompact: 30,
      SessionEnd: 5,
      Stop: 10,
    });
  });

  it('finds the plugin in enabledPlugins or install records; an explicit false wins', () => {
    expect(findPluginInstall([{ path: 's.json', json: { enabledPlugins: { 'session-handoff@mkt': true } } }])).toMatch(
      /session-handoff@mkt is enabled in s\.json/,
    );
    expect(findPluginInstall([{ path: 'i.json', json: { plugins: { 'session-handoff@mkt': [{}] } } }])).toMatch(
      /installed/,
    );
    expect(
      findPluginInstall([
        { path: 'local', json: { enabledPlugins: { 'session-handoff@mkt': false } } },
        { path: 'i.json', json: { plugins: { 'session-handoff@mkt': [{}] } } },
      ]),
    ).toBe(false);
    expect(findPluginInstall([{ path: 's', json: { enabledPlugins: { 'other@mkt': true } } }])).toBeNull();
  });
});
