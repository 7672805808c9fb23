import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HandoffSummary } from '../../src/format/schema.js';
import { renderListTable } from '../../src/store/list-table.js';
import { type Sandbox, sandbox, writeTree } from './_cli.js';

const DOC =
  '## Accomplished\n- Login endpoint in `src/auth.ts`\n\n## Next Steps\n1. Run `npm test` and fix `test/auth.test.ts`\n';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

const storeOne = (args: string[] = [], input = DOC) => sb.run(['store', ...args], { input });

describe('store and retrieve, as the handoff CLI does', () => {
  it('store prints only the 8-hex id and retrieve prints the content exactly', () => {
    const r = storeOne(['--name', 'api', '--summary', 'S', '--ttl', '14d', '--project', 'P', '--tags', 'a,b']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{8}\n$/);
    const id = r.stdout.trim();
    const back = sb.run(['retrieve', id]);
    expect(back.code).toBe(0);
    expect(back.stdout).toBe(DOC);
    expect(sb.run(['retrieve', id.slice(0, 3)]).stdout).toBe(DOC);
  });

  it('retrieve --name gives the newest with that name', () => {
    storeOne(['--name', 'same'], '## Next Steps\n1. first version\n');
    const second = storeOne(['--name', 'same'], '## Next Steps\n1. second version\n');
    expect(second.code).toBe(0);
    expect(sb.run(['retrieve', '--name', 'same']).stdout).toBe('## Next Steps\n1. second version\n');
  });

  it('writes one markdown file with front matter into the user store', () => {
    const id = storeOne(['--name', 'file-check', '--tags', 'x']).stdout.trim();
    const files = readdirSync(sb.store).filter((f) => f.endsWith('.md'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}-\d{4}-file-check\.md$/);
    const text = readFileSync(join(sb.store, files[0]!), 'utf8');
    // An id YAML would read as a number (12345678, 1e234567: one in twenty) is written quoted.
    expect(text).toMatch(new RegExp(`^id: '?${id}'?$`, 'm'));
    expect(text).toContain('name: file-check');
    expect(text.endsWith(DOC)).toBe(true);
  });

  it('names the file after the document title without --name or --summary, with or without front matter', () => {
    expect(storeOne([], '# Fix the login page\n\n## Next Steps\n1. Run the e2e suite\n').code).toBe(0);
    const fm = '---\nproject: web\n---\n# Rotate the API keys\n\n## Next Steps\n1. Tell the team\n';
    expect(storeOne([], fm).code).toBe(0);
    const files = readdirSync(sb.store)
      .filter((f) => f.endsWith('.md'))
      .sort();
    expect(files.map((f) => f.replace(/^\d{8}-\d{4}-/, '')).sort()).toEqual([
      'fix-the-login-page.md',
      'rotate-the-api-keys.md',
    ]);
    const rotated = readFileSync(join(sb.store, files.find((f) => f.includes('rotate'))!), 'utf8');
    // Fields of the given front matter are kept; its block is replaced by the stored one.
    expect(rotated).toMatch(/^project: web$/m);
    expect(rotated.match(/^---$/gm)).toHaveLength(2);
  });

  it('retrieve --json has the front matter fields and sections in document order', () => {
    const id = storeOne(['--name', 'j', '--project', 'proj', '--tags', 'a,b']).stdout.trim();
    const r = sb.run(['retrieve', id, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ id, name: 'j', project: 'proj', tags: ['a', 'b'] });
    expect(json.sections.map((s: { canonical: string }) => s.canonical)).toEqual(['accomplished', 'next_steps']);
    expect(json.sections[1]).toEqual({
      heading: 'Next Steps',
      canonical: 'next_steps',
      text: expect.stringContaining('npm test'),
    });
  });

  it('list is newest first with the compatible columns; empty list says so on stderr and exits 0', () => {
    const empty = sb.run(['list']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toContain('No handoffs found.');
    storeOne(['--name', 'older', '--summary', 'the older one']);
    storeOne(['--name', 'newer', '--summary', 'the newer one', '--ttl', '2h']);
    const r = sb.run(['list']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+PROJECT\s+TAGS\s+EXPIRES\s+SUMMARY$/);
    expect(lines[1]).toContain('newer');
    expect(lines[1]).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(lines[2]).toContain('older');
    expect(lines[2]).toContain('never');
  });

  it('list prints, byte for byte, the table of the rows list --json gives (CJK, emoji, long text, no tags)', () => {
    storeOne([
      '--name',
      '交接メモ',
      '--project',
      'データ基盤',
      '--tags',
      '移行,b c',
      '--summary',
      `${'長'.repeat(50)}🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀`,
    ]);
    storeOne(['--name', 'plain', '--summary', 'two  spaces\tand a tab', '--ttl', '2h']);
    storeOne(['--project', 'p']);
    writeTree(sb.store, { 'hand-written.md': '# A title\n\nbody\n' });
    for (const args of [['list'], ['list', '--limit', '2'], ['list', '--project', 'p']]) {
      const rows = JSON.parse(sb.run([...args, '--json']).stdout) as HandoffSummary[];
      const r = sb.run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(
        renderListTable(rows.map((h) => [h.id, h.name, h.project, JSON.stringify(h.tags), h.expires, h.summary])),
      );
    }
  });

  it('search ranks the document with the phrase first and shows a snippet', () => {
    storeOne(['--name', 'one'], '## Decisions\n- PostgreSQL over SQLite — concurrent writers need row locks\n');
    storeOne(['--name', 'two'], '## Accomplished\n- Wrote the changelog\n');
    const r = sb.run(['search', 'row', 'locks', '--json']);
    const hits = JSON.parse(r.stdout);
    expect(hits[0].name).toBe('one');
    expect(hits[0].snippet).toMatch(/\[row\]|\[locks\]/i);
    expect(sb.run(['search', 'off-ind']).code).toBe(0);
  });

  it('an exact phrase ranks above a document that only has the words many times', () => {
    storeOne(['--name', 'scattered'], `## Context\n${'gamma notes. beta here. alpha there.\n'.repeat(8)}`);
    storeOne(
      ['--name', 'phrase'],
      '## Context\nWe chose alpha beta gamma for the parser, among other things said here.\n',
    );
    const hits = JSON.parse(sb.run(['search', '--json', 'alpha', 'beta', 'gamma']).stdout);
    expect(hits.map((h: { name: string }) => h.name)).toEqual(['phrase', 'scattered']);
  });

  it('gc removes expired handoffs and reports how many', () => {
    storeOne(['--name', 'live']);
    writeTree(sb.store, {
      '20200101-0000-old.md':
        '---\nid: deadbeef\ncreated: 2020-01-01T00:00:00Z\nexpires: 2020-01-02T00:00:00Z\nname: old\n---\n## Next Steps\n1. x\n',
    });
    // The expired handoff in the `list` table's format (the row `list --all` prints for it, widths of its own).
    expect(sb.run(['gc', '--dry-run']).stdout).toBe(
      'Would remove 1 expired handoff(s).\nID        NAME  PROJECT  TAGS  EXPIRES           SUMMARY\ndeadbeef  old                  2020-01-02 00:00\n',
    );
    expect(existsSync(join(sb.store, '20200101-0000-old.md'))).toBe(true);
    const r = sb.run(['gc']);
    expect(r.stdout).toBe('Removed 1 expired handoff(s).\n');
    expect(existsSync(join(sb.store, '20200101-0000-old.md'))).toBe(false);
    expect(sb.run(['list']).stdout).toContain('live');
  });
});

describe('bad input: one line on stderr, documented exit code, store unchanged', () => {
  const cases: Array<[string, string[], string | Buffer, number, RegExp]> = [
    ['empty stdin', [], '', 2, /no content/],
    ['whitespace only', [], '  \n\n', 2, /no content/],
    ['NUL bytes', [], Buffer.from('abc\u0000def'), 2, /binary/],
    ['invalid UTF-8', [], Buffer.from([0x23, 0x20, 0xc3, 0x28, 0x0a]), 2, /UTF-8/],
    ['over 1 MiB', [], `# big\n${'x'.repeat(1024 * 1024 + 10)}\n`, 2, /1 MiB/],
    ['bad --ttl', ['--ttl', '14'], DOC, 2, /--ttl/],
    ['bad --ttl unit', ['--ttl', '3m'], DOC, 2, /--ttl/],
    ['name with /', ['--name', 'a/b'], DOC, 2, /--name/],
    ['name with ..', ['--name', 'a..b'], DOC, 2, /--name/],
    ['project with control character', ['--project', 'a\u0007b'], DOC, 2, /--project/],
  ];
  it.each(cases)('%s', (_what, args, input, code, message) => {
    const r = sb.run(['store', ...args], { input });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(sb.store) ? readdirSync(sb.store).filter((f) => f.endsWith('.md')) : []).toEqual([]);
  });

  it('unknown id exits 1, ambiguous prefix exits 2, --json errors are JSON', () => {
    writeTree(sb.store, {
      'a.md': '---\nid: abc00001\ncreated: 2026-01-01T00:00:00Z\n---\nA\n',
      'b.md': '---\nid: abc00002\ncreated: 2026-01-02T00:00:00Z\n---\nB\n',
    });
    expect(sb.run(['retrieve', 'ffff0000']).code).toBe(1);
    const amb = sb.run(['retrieve', 'abc']);
    expect(amb.code).toBe(2);
    expect(amb.stderr).toMatch(/ambiguous/);
    const j = sb.run(['retrieve', 'ffff0000', '--json']);
    expect(JSON.parse(j.stderr)).toEqual({ error: { code: 'not-found', message: expect.any(String) } });
    expect(sb.run(['retrieve', 'xyz']).code).toBe(2);
  });

  it('an expired handoff says when it expired; --all shows it', () => {
    writeTree(sb.store, {
      'old2.md': '---\nid: 01d00000\ncreated: 2020-01-01T00:00:00Z\nexpires: 2020-02-01T00:00:00Z\n---\nold body\n',
    });
    const r = sb.run(['retrieve', '01d00000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/expired on 2020-02-01/);
    expect(sb.run(['retrieve', '01d00000', '--all']).stdout).toBe('old body\n');
    expect(sb.run(['list']).stdout).not.toContain('01d00000');
    expect(sb.run(['list', '--all']).stdout).toContain('01d00000');
  });

  it('a file with broken front matter is reported by path and every other handoff is still served', () => {
    const id = storeOne(['--name', 'good']).stdout.trim();
    writeTree(sb.store, { 'broken.md': '---\nid: [unclosed\ncreated: 2026-01-01\n---\nbody\n' });
    const r = sb.run(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(id);
    expect(r.stderr).toMatch(/broken\.md/);
    expect(sb.run(['retrieve', id]).stdout).toBe(DOC);
  });

  it('two files with the same id are reported and retrieve refuses to guess', () => {
    writeTree(sb.store, {
      'one.md': '---\nid: 12345678\ncreated: 2026-01-01T00:00:00Z\n---\none\n',
      'two.md': '---\nid: 12345678\ncreated: 2026-01-02T00:00:00Z\n---\ntwo\n',
    });
    const r = sb.run(['retrieve', '12345678']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/one\.md/);
    expect(r.stderr).toMatch(/two\.md/);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only store directory fails with exit 3 and changes nothing', () => {
    storeOne(['--name', 'first']);
    const before = readdirSync(sb.store).sort();
    chmodSync(sb.store, 0o500);
    try {
      const r = storeOne(['--name', 'second']);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(readdirSync(sb.store).sort()).toEqual(before);
    } finally {
      chmodSync(sb.store, 0o700);
    }
  });

  it('an unwritable cache directory works without the index, with a warning', () => {
    writeFileSync(`${sb.dir}/cache-file`, 'not a directory');
    const env = { HANDOFF_CACHE: `${sb.dir}/cache-file/sub` };
    const stored = sb.run(['store', '--name', 'nocache'], { input: DOC, env });
    expect(stored.code).toBe(0);
    const r = sb.run(['list'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nocache');
    expect(r.stderr).toMatch(/index/i);
  });

  it('a refused secret names the line and kind without echoing it; --redact stores a marker', () => {
    const key = ['ghp', '_', 'R7tK2mQ9xW4vL8nB3pZ6yH1jF5cD0sA2eG7u'].join('');
    const doc = `## Context\nline two\ntoken ${key}\n`;
    const r = sb.run(['store'], { input: doc });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 3/);
    expect(r.stderr).not.toContain(key);
    const ok = sb.run(['store', '--redact'], { input: doc });
    expect(ok.code).toBe(0);
    const back = sb.run(['retrieve', ok.stdout.trim()]).stdout;
    expect(back).not.toContain(key);
    expect(back).toMatch(/REDACTED/);
  });
});
