import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeHookSettings, PLUGIN_NAME } from '../../src/integrations/settings.js';

const root = join(import.meta.dirname, '..', '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

/** Front matter keys of a markdown file (flat `key: value` lines). */
function frontMatter(text: string): Record<string, string> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!m?.[1]) return {};
  return Object.fromEntries(
    m[1].split('\n').map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]),
  );
}

describe('Claude Code plugin files', () => {
  it('plugin.json names the plugin that hooks install looks for', () => {
    const manifest = JSON.parse(read('.claude-plugin/plugin.json'));
    expect(manifest.name).toBe(PLUGIN_NAME);
    expect(manifest.version).toBe(JSON.parse(read('package.json')).version);
    expect(manifest.description.length).toBeGreaterThan(20);
  });

  it('hooks/hooks.json runs exactly the handlers `hooks install claude-code` writes', () => {
    // Same command strings, so Claude Code runs them once even when both are present.
    const plugin = JSON.parse(read('hooks/hooks.json'));
    expect(plugin.hooks).toEqual(mergeHookSettings({}, 'claude-code').settings.hooks);
  });

  it('the skill has a name, a description and the tools it needs', () => {
    const text = read('skills/handoff/SKILL.md');
    const fm = frontMatter(text);
    expect(fm.name).toBe('handoff');
    expect(fm.description).toMatch(/end of a session/);
    expect(fm['allowed-tools']).toContain('Bash(handoff:*)');
    for (const cmd of ['handoff draft --output', 'handoff check', 'handoff store --file', 'handoff resume']) {
      expect(text).toContain(cmd);
    }
  });

  it('the commands describe themselves and run the protocol', () => {
    const handoff = read('commands/handoff.md');
    expect(frontMatter(handoff).description).toBeTruthy();
    expect(handoff).toMatch(/handoff check .*until it passes/);
    const resume = read('commands/resume.md');
    expect(frontMatter(resume).description).toBeTruthy();
    expect(resume).toContain('!`handoff resume');
  });

  const checkModule = join(root, 'src', 'quality', 'check.ts');
  it.skipIf(!existsSync(checkModule))('the example handoff in the skill passes check', async () => {
    const example = /```markdown\n([\s\S]*?)```/.exec(read('skills/handoff/SKILL.md'))?.[1] ?? '';
    const { checkHandoff } = (await import(checkModule)) as {
      checkHandoff: (i: { text: string }) => Promise<{ score: number; errors: number; findings: unknown[] }>;
    };
    const text = example.replace(/^---\n/, '---\nid: a3f9c12e\ncreated: 2026-11-21T14:30:00Z\n');
    const result = await checkHandoff({ text });
    expect(result.findings.filter((f) => (f as { severity: string }).severity === 'error')).toEqual([]);
    expect(result.score).toBeGreaterThanOrEqual(90);
  });
});
