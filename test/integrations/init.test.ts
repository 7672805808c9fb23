import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { detectAgents, initRepository } from '../../src/integrations/init.js';
import {
  BLOCK_END,
  BLOCK_START,
  MCP_SERVER_ENTRY,
  renderProtocol,
  renderStoreReadme,
  TEMPLATE_SECTIONS,
} from '../../src/integrations/instructions.js';
import { homeEnv } from '../_env.js';

let dir: string;
let repo: string;
let env: NodeJS.ProcessEnv;

function tree(files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
}

/** Every file under `root` with its bytes (`.git` excluded), to compare before/after. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === '.git') continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p.slice(root.length + 1)] = readFileSync(p).toString('base64');
    }
  };
  walk(root);
  return out;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-'));
  repo = join(dir, 'repo');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', repo]);
  env = { ...homeEnv(dir), PATH: process.env.PATH };
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('initRepository in a fresh repository', () => {
  it('creates the store, its README and .gitignore, the config, the agent files and .mcp.json', async () => {
    const plan = await initRepository({
      cwd: repo,
      agents: ['claude-code', 'codex', 'cursor', 'copilot', 'gemini'],
      env,
    });
    expect(plan.changes.map((c) => [c.action, c.display])).toEqual([
      ['create', 'docs/session_handoffs/'],
      ['create', 'docs/session_handoffs/README.md'],
      ['create', 'docs/session_handoffs/.gitignore'],
      ['create', '.handoff.json'],
      ['create', 'CLAUDE.md'],
      ['create', '.mcp.json'],
      ['create', 'AGENTS.md'],
      ['create', '.cursor/rules/handoff.mdc'],
      ['create', '.github/copilot-instructions.md'],
      ['create', 'GEMINI.md'],
    ]);
    const read = (p: string) => readFileSync(join(repo, p), 'utf8');
    expect(read('CLAUDE.md')).toBe(`${BLOCK_START}\n${renderProtocol('docs/session_handoffs')}\n${BLOCK_END}\n`);
    expect(read('AGENTS.md')).toBe(read('CLAUDE.md'));
    expect(read('.cursor/rules/handoff.mdc')).toMatch(
      /^---\ndescription: .+\nalwaysApply: true\n---\n<!-- session-handoff:start -->\n/,
    );
    expect(read('.handoff.json')).toBe('{\n  "profile": "five-field"\n}\n');
    expect(read('docs/session_handoffs/.gitignore')).toBe('.tmp-*\n');
    expect(JSON.parse(read('.mcp.json'))).toEqual({ mcpServers: { handoff: MCP_SERVER_ENTRY } });
    const readme = read('docs/session_handoffs/README.md');
    expect(readme).toContain(renderStoreReadme('docs/session_handoffs'));
    for (const s of TEMPLATE_SECTIONS) expect(readme).toContain(`## ${s.heading}\n\n${s.guidance}`);
    for (const cmd of ['handoff draft', 'handoff check', 'handoff store', 'handoff resume', 'handoff search']) {
      expect(readme).toContain(cmd);
    }
  });

  it('teaches the start and end protocol with the exact commands', () => {
    const text = renderProtocol('docs/session_handoffs');
    expect(text).toContain('`handoff resume`');
    expect(text).toContain('next step 1');
    expect(text).toContain('`handoff draft --output /tmp/handoff-draft.md`');
    expect(text).toContain('`handoff check /tmp/handoff-draft.md`');
    expect(text).toContain('`handoff store --file /tmp/handoff-draft.md`');
  });

  it('keeps every instruction text ASCII, so byte-level editing stays exact', () => {
    const texts = [renderProtocol('docs/session_handoffs'), renderStoreReadme('docs/session_handoffs')];
    for (const t of texts) expect([...t].every((c) => c === '\n' || (c >= ' ' && c <= '~'))).toBe(true);
  });

  it('is idempotent: a second run changes nothing and adds no second block', async () => {
    await initRepository({ cwd: repo, agents: ['claude-code', 'cursor'], env });
    const before = snapshot(repo);
    const plan = await initRepository({ cwd: repo, agents: ['claude-code', 'cursor'], env });
    expect(plan.changes.every((c) => c.action === 'unchanged')).toBe(true);
    expect(snapshot(repo)).toEqual(before);
    expect(readFileSync(join(repo, 'CLAUDE.md'), 'utf8').split(BLOCK_START)).toHaveLength(2);
  });

  it('works from a subdirectory of the repository', async () => {
    mkdirSync(join(repo, 'src', 'deep'), { recursive: true });
    const plan = await initRepository({ cwd: join(repo, 'src', 'deep'), agents: [], env });
    expect(plan.root).toBe(repo);
    expect(existsSync(join(repo, 'docs', 'session_handoffs', 'README.md'))).toBe(true);
  });
});

describe('initRepository with existing files', () => {
  it('keeps a CRLF CLAUDE.md without a final newline byte for byte and appends a CRLF block', async () => {
    const original = '# Project rules\r\n\r\nUse tabs.\r\nNever push to main.';
    tree({ 'CLAUDE.md': original });
    await initRepository({ cwd: repo, agents: ['claude-code'], env });
    const after = readFileSync(join(repo, 'CLAUDE.md'), 'latin1');
    expect(after.startsWith(`${original}\r\n\r\n${BLOCK_START}\r\n`)).toBe(true);
    expect(after.endsWith(BLOCK_END)).toBe(true);
    expect(after.replace(/\r\n/g, '').includes('\n')).toBe(false);

    const second = await initRepository({ cwd: repo, agents: ['claude-code'], env });
    expect(second.changes.find((c) => c.display === 'CLAUDE.md')?.action).toBe('unchanged');
    expect(readFileSync(join(repo, 'CLAUDE.md'), 'latin1')).toBe(after);
  });

  it('keeps bytes that are not UTF-8 around the block', async () => {
    const original = Buffer.from([0x23, 0x20, 0xe9, 0x74, 0xe9, 0x0a]); // "# été\n" in latin1
    tree({ 'AGENTS.md': original });
    await initRepository({ cwd: repo, agents: ['codex'], env });
    const after = readFileSync(join(repo, 'AGENTS.md'));
    expect(after.subarray(0, original.length).equals(original)).toBe(true);
  });

  it('updates an outdated block in place, keeping the text before and after it', async () => {
    tree({ 'AGENTS.md': `# Team\n\n${BLOCK_START}\nold protocol\n${BLOCK_END}\n\n## Style\nmine\n` });
    const plan = await initRepository({ cwd: repo, agents: ['codex'], env });
    expect(plan.changes.find((c) => c.display === 'AGENTS.md')).toMatchObject({ action: 'update' });
    expect(readFileSync(join(repo, 'AGENTS.md'), 'utf8')).toBe(
      `# Team\n\n${BLOCK_START}\n${renderProtocol('docs/session_handoffs')}\n${BLOCK_END}\n\n## Style\nmine\n`,
    );
  });

  it('never overwrites an existing .handoff.json and uses its store_dir', async () => {
    tree({ '.handoff.json': '{"store_dir": "notes/handoffs", "profile": "full"}' });
    const plan = await initRepository({ cwd: repo, agents: ['claude-code'], env });
    expect(readFileSync(join(repo, '.handoff.json'), 'utf8')).toBe(
      '{"store_dir": "notes/handoffs", "profile": "full"}',
    );
    expect(plan.storeDir).toBe(join(repo, 'notes', 'handoffs'));
    expect(existsSync(join(repo, 'notes', 'handoffs', 'README.md'))).toBe(true);
    expect(readFileSync(join(repo, 'CLAUDE.md'), 'utf8')).toContain('`notes/handoffs/`');
  });

  it('merges into an existing .mcp.json, keeping other servers and its indentation', async () => {
    tree({ '.mcp.json': '{\n    "mcpServers": {\n        "db": {"command": "db-mcp"}\n    }\n}\n' });
    await initRepository({ cwd: repo, agents: ['claude-code'], env });
    expect(readFileSync(join(repo, '.mcp.json'), 'utf8')).toBe(
      `${JSON.stringify({ mcpServers: { db: { command: 'db-mcp' }, handoff: MCP_SERVER_ENTRY } }, null, 4)}\n`,
    );
  });

  it('keeps a differently configured handoff MCP server as it is', async () => {
    const text = '{"mcpServers": {"handoff": {"command": "npx", "args": ["session-handoff", "mcp"]}}}';
    tree({ '.mcp.json': text });
    const plan = await initRepository({ cwd: repo, agents: ['claude-code'], env });
    expect(readFileSync(join(repo, '.mcp.json'), 'utf8')).toBe(text);
    expect(plan.changes.find((c) => c.display === '.mcp.json')?.summary).toMatch(/kept/);
  });

  it('refuses invalid .mcp.json, naming it, and writes nothing at all', async () => {
    tree({ '.mcp.json': '{"mcpServers": ' });
    const before = snapshot(repo);
    await expect(initRepository({ cwd: repo, agents: ['claude-code'], env })).rejects.toThrow(
      /\.mcp\.json: invalid JSON/,
    );
    expect(snapshot(repo)).toEqual(before);
  });

  it('appends .tmp-* to an existing store .gitignore', async () => {
    tree({ 'docs/session_handoffs/.gitignore': '*.bak' });
    await initRepository({ cwd: repo, agents: [], env });
    expect(readFileSync(join(repo, 'docs/session_handoffs/.gitignore'), 'utf8')).toBe('*.bak\n.tmp-*\n');
  });
});

describe('initRepository --dry-run', () => {
  it('returns the plan and writes nothing', async () => {
    tree({ 'CLAUDE.md': 'mine\n' });
    const before = snapshot(repo);
    const plan = await initRepository({ cwd: repo, agents: ['claude-code', 'codex'], dryRun: true, env });
    expect(plan.dryRun).toBe(true);
    expect(snapshot(repo)).toEqual(before);
    expect(plan.changes.find((c) => c.display === 'CLAUDE.md')).toMatchObject({
      action: 'update',
      summary: expect.stringMatching(/block appended \(\+\d+ -0 lines\)/),
    });
    expect(plan.changes.find((c) => c.display === 'AGENTS.md')?.action).toBe('create');
  });
});

describe('initRepository errors and choices', () => {
  it('refuses to run outside a git repository', async () => {
    const outside = join(dir, 'plain');
    mkdirSync(outside);
    const err = await initRepository({ cwd: outside, agents: [], env }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/run init inside a git repository, or pass --global/);
  });

  it('refuses a store_dir that leaves the repository', async () => {
    tree({ '.handoff.json': '{"store_dir": "../elsewhere"}' });
    await expect(initRepository({ cwd: repo, agents: [], env })).rejects.toThrow(
      /must be a directory inside the repository/,
    );
  });

  it('refuses unknown agents', async () => {
    // @ts-expect-error an agent we do not know
    await expect(initRepository({ cwd: repo, agents: ['emacs'], env })).rejects.toThrow(/unknown agent 'emacs'/);
  });

  it('detects agents from existing files, defaulting to Claude Code and Codex', () => {
    expect(detectAgents(repo)).toEqual(['claude-code', 'codex']);
    tree({ 'GEMINI.md': '', '.cursor/rules/x.mdc': '' });
    expect(detectAgents(repo)).toEqual(['cursor', 'gemini']);
  });

  it('with global, writes the user store README and user-level instruction files', async () => {
    const plan = await initRepository({ cwd: dir, agents: ['claude-code', 'cursor'], global: true, env });
    const home = env.HOME as string;
    expect(plan.scope).toBe('global');
    expect(existsSync(join(dir, 'data', 'handoff', 'README.md'))).toBe(true);
    expect(readFileSync(join(home, '.claude', 'CLAUDE.md'), 'utf8')).toContain(BLOCK_START);
    expect(statSync(join(dir, 'data', 'handoff')).mode & 0o777).toBe(0o700);
    expect(plan.notes.join('\n')).toMatch(/cursor: has no user-level instruction file/);
  });
});
