/**
 * Issue 2's "Real input": every document of the real corpus imports; list,
 * search and retrieve work on the result; a distinctive phrase finds its
 * document first; importing twice does not duplicate; the `handoff` CLI's
 * SQLite database imports with ids, names, dates and expiry kept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, type Sandbox, sandbox } from './_cli.js';

const DOCS = join(CORPUS, 'docs');
const files = readdirSync(DOCS)
  .filter((f) => /\.(md|yaml)$/.test(f))
  .sort();

describe('import of the real corpus', () => {
  let sb: Sandbox;
  let first: {
    imported: Array<{ source: string; id: string }>;
    skipped: unknown[];
    refused: Array<{ source: string; reason: string }>;
  };
  beforeAll(() => {
    sb = sandbox();
    const r = sb.run(['import', DOCS, '--json']);
    expect(r.code, r.stderr).toBe(0);
    first = JSON.parse(r.stdout);
  });
  afterAll(() => sb.cleanup());

  it('imports every document', () => {
    expect(first.refused).toEqual([]);
    expect(first.imported).toHaveLength(files.length);
    const list = JSON.parse(sb.run(['list', '--all', '--json']).stdout);
    expect(list).toHaveLength(files.length);
  });

  it('importing the same directory again adds nothing', () => {
    const again = JSON.parse(sb.run(['import', DOCS, '--json']).stdout);
    expect(again.imported).toEqual([]);
    expect(again.skipped).toHaveLength(files.length);
    expect(JSON.parse(sb.run(['list', '--all', '--json']).stdout)).toHaveLength(files.length);
  });

  it('retrieve gives back each document body word for word (front matter aside)', () => {
    for (const item of first.imported.slice(0, 40)) {
      const original = readFileSync(join(sb.dir, 'work', item.source), 'utf8').replace(/^\uFEFF/, '');
      const body = sb.run(['retrieve', item.id, '--all']).stdout;
      const words = (t: string) =>
        t
          .replace(/^---\r?\n[\s\S]*?\r?\n(---|\.\.\.)\r?\n/, '')
          .split(/\s+/)
          .filter(Boolean);
      expect(words(body)).toEqual(words(original));
    }
  });

  it('a distinctive phrase from a document returns that document first', () => {
    // Words as the index tokenizes them: letters, digits and `_`; everything else separates.
    const norm = (t: string) =>
      t
        .toLowerCase()
        .replace(/[^\p{L}\p{N}_]+/gu, ' ')
        .trim();
    const texts = new Map(files.map((f) => [f, norm(readFileSync(join(DOCS, f), 'utf8'))]));
    const sample = files.filter(
      (f, i) => i % 12 === 0 && !/[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}]/u.test(texts.get(f)!),
    );
    let checked = 0;
    for (const f of sample) {
      const words = texts.get(f)!.split(' ');
      // The first run of six words, past the opening, that no other document contains.
      let phrase: string | null = null;
      for (let i = Math.floor(words.length / 3); i + 6 <= words.length && !phrase; i += 3) {
        const candidate = words.slice(i, i + 6).join(' ');
        if (candidate.length < 25) continue;
        if ([...texts].every(([g, t]) => g === f || !t.includes(candidate))) phrase = candidate;
      }
      if (!phrase) continue;
      const hits = JSON.parse(sb.run(['search', '--all', '--json', phrase]).stdout);
      const item = first.imported.find((i) => i.source.endsWith(f));
      expect(hits[0]?.id, `search '${phrase}' from ${f}`).toBe(item?.id);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});

describe('import of the handoff CLI database', () => {
  it('keeps ids, names, tags, dates and expiry; tags may be the string null', () => {
    const sb = sandbox();
    try {
      const dbPath = join(sb.dir, 'handoff.db');
      const db = new Database(dbPath);
      db.exec(`CREATE TABLE packages (id TEXT PRIMARY KEY, name TEXT NOT NULL, summary TEXT, content TEXT NOT NULL,
        tags TEXT, project TEXT, created_at DATETIME NOT NULL, expires_at DATETIME NOT NULL)`);
      const ins = db.prepare('INSERT INTO packages VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      ins.run(
        'a1b2c3d4',
        'api-state',
        'API work',
        '# API\n\n## Next Steps\n1. ship it\n',
        '["api","crud"]',
        'todo',
        '2026-11-01 10:00:00+00:00',
        '2099-11-08 10:00:00+00:00',
      );
      ins.run('0f0f0f0f', 'notes', '', 'plain notes\n', 'null', '', '2026-11-02T09:30:00Z', '2020-01-01T00:00:00Z');
      db.close();
      const r = sb.run(['import', '--from', 'handoff-db', '--json'], { env: { HANDOFF_DB: dbPath } });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).imported).toHaveLength(2);
      const live = JSON.parse(sb.run(['retrieve', 'a1b2c3d4', '--json']).stdout);
      expect(live).toMatchObject({
        id: 'a1b2c3d4',
        name: 'api-state',
        summary: 'API work',
        project: 'todo',
        tags: ['api', 'crud'],
      });
      expect(live.created).toBe('2026-11-01T10:00:00Z');
      expect(live.expires).toBe('2099-11-08T10:00:00Z');
      expect(sb.run(['retrieve', 'a1b2c3d4']).stdout).toBe('# API\n\n## Next Steps\n1. ship it\n');
      const expired = sb.run(['retrieve', '0f0f0f0f']);
      expect(expired.code).toBe(1);
      expect(expired.stderr).toMatch(/expired/);
      const again = JSON.parse(sb.run(['import', '--from', 'handoff-db', dbPath, '--json']).stdout);
      expect(again.imported).toHaveLength(0);
    } finally {
      sb.cleanup();
    }
  });

  it('a missing database is a clear not-found error', () => {
    const sb = sandbox();
    try {
      const r = sb.run(['import', '--from', 'handoff-db'], { env: { HANDOFF_DB: join(sb.dir, 'none.db') } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/no handoff database/);
    } finally {
      sb.cleanup();
    }
  });
});
