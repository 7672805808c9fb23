import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installHooks, uninstallHooks } from '../../src/integrations/hooks-install.js';

let dir: string;
let repo: string;
let home: string;
let env: NodeJS.ProcessEnv;

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const teammate = `{
  "permissions": { "allow": ["Bash(npm test)"] },
  "hooks": {
    "Stop": [ { "hooks": [ { "type": "command", "command": "notify-send done" } ] } ]
  }
}
`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-'));
  repo = join(dir, 'repo');
  home = join(dir, 'home');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', repo]);
  env = { HOME: home, PATH: process.env.PATH };
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('installHooks / uninstallHooks (Claude Code, project)', () => {
  it('merges into .claude/settings.json, keeps the rest, and uninstall restores the exact JSON', async () => {
    const path = join(repo, '.claude', 'settings.json');
    write(path, teammate);
    const r = await installHooks({ agent: 'claude-code', scope: 'project', cwd: repo, env });
    expect(r).toMatchObject({ action: 'update', path });
    const data = JSON.parse(readFileSync(path, 'utf8'));
    expect(data.permissions).toEqual({ allow: ['Bash(npm test)'] });
    expect(data.hooks.Stop).toHaveLength(2);
    expect(data.hooks.Stop[0]).toEqual({ hooks: [{ type: 'command', command: 'notify-send done' }] });
    expect(Object.keys(data.hooks)).toEqual(['Stop', 'SessionStart', 'PreCompact', 'SessionEnd']);

    const u = await uninstallHooks({ agent: 'claude-code', scope: 'project', cwd: repo, env });
    expect(u.action).toBe('update');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(JSON.parse(teammate));
  });

  it('is idempotent: a second install writes nothing', async () => {
    await installHooks({ agent: 'claude-code', scope: 'project', cwd: repo, env });
    const path = join(repo, '.claude', 'settings.json');
    const first = readFileSync(path, 'utf8');
    const r = await installHooks({ agent: 'claude-code', scope: 'project', cwd: repo, env });
    expect(r.action).toBe('unchanged');
    expect(readFileSync(path, 'utf8')).toBe(first);
  });

  it('creates the settings file when missing; dry run writes nothing', async () => {
    const dry = await installHooks({ agent: 'claude-code', scope: 'project', cwd: repo, env, dryRun: true });
    expect(dry).toMatchObject({ action: 'create', dryRun: true });
    expect(dry.changed).toHaveLength(4);
    expect(existsSync(join(repo, '.claude'))).toBe(false);
  });

  it('refuses invalid JSON, naming the file, and leaves it alone', async () => {
    const path = join(repo, '.claude', 'settings.json');
    write(path, '{"hooks": {');
    await expect(installHooks({ agent: 'claude-code', scope: 'project', cwd: repo, env })).rejects.toThrow(
      `${path}: invalid JSON`,
    );
    expect(readFileSync(path, 'utf8')).toBe('{"hooks": {');
  });

  it('refuses settings whose hooks have the wrong shape', async () => {
    write(join(repo, '.claude', 'settings.json'), '{"hooks": {"Stop": {}}}');
    await expect(installHooks({ agent: 'claude-code', scope: 'project', cwd: repo, env })).rejects.toThrow(
      /settings\.json: "hooks.Stop" is not an array/,
    );
  });

  it('skips when the session-handoff plugin is enabled, unless forced', async () => {
    write(join(home, '.claude', 'settings.json'), '{"enabledPlugins": {"session-handoff@handoff-tools": true}}');
    const r = await installHooks({ agent: 'claude-code', scope: 'project', cwd: repo, env });
    expect(r.action).toBe('skip');
    expect(r.notes[0]).toMatch(/plugin already runs these hooks/);
    expect(existsSync(join(repo, '.claude', 'settings.json'))).toBe(false);
    const forced = await installHooks({ agent: 'claude-code', scope: 'project', cwd: repo, env, force: true });
    expect(forced.action).toBe('create');
  });
});

describe('installHooks (user scope, Codex)', () => {
  it('writes ~/.claude/settings.json for the user scope, keeping its indentation', async () => {
    const path = join(home, '.claude', 'settings.json');
    write(path, '{\n\t"model": "opus"\n}\n');
    await installHooks({ agent: 'claude-code', scope: 'user', cwd: repo, env });
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('{\n\t"model": "opus",\n\t"hooks": {\n\t\t"SessionStart"')).toBe(true);
  });

  it('honours CLAUDE_CONFIG_DIR and CODEX_HOME', async () => {
    const claude = join(dir, 'claude-config');
    const codex = join(dir, 'codex-home');
    await installHooks({ agent: 'claude-code', scope: 'user', cwd: repo, env: { ...env, CLAUDE_CONFIG_DIR: claude } });
    await installHooks({ agent: 'codex', scope: 'user', cwd: repo, env: { ...env, CODEX_HOME: codex } });
    expect(existsSync(join(claude, 'settings.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(codex, 'hooks.json'), 'utf8')).hooks.Stop[0].hooks[0].command).toContain(
      'handoff hook stop --agent codex',
    );
  });

  it('writes <repo>/.codex/hooks.json for Codex and reminds to trust the hooks', async () => {
    const r = await installHooks({ agent: 'codex', scope: 'project', cwd: join(repo), env });
    expect(r.path).toBe(join(repo, '.codex', 'hooks.json'));
    expect(r.notes.join(' ')).toMatch(/trust/);
    const data = JSON.parse(readFileSync(r.path, 'utf8'));
    expect(Object.keys(data.hooks)).toEqual(['SessionStart', 'PreCompact', 'Stop']);
    const u = await uninstallHooks({ agent: 'codex', scope: 'project', cwd: repo, env });
    expect(u.action).toBe('update');
    expect(JSON.parse(readFileSync(r.path, 'utf8'))).toEqual({});
  });

  it('uninstall of a file without our hooks changes nothing', async () => {
    const r = await uninstallHooks({ agent: 'claude-code', scope: 'project', cwd: repo, env });
    expect(r.action).toBe('unchanged');
    expect(existsSync(join(repo, '.claude', 'settings.json'))).toBe(false);
  });
});
