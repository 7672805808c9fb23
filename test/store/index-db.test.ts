import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { parseHandoff } from '../../src/format/parse.js';
import { createFileStore } from '../../src/store/file-store.js';
import { openIndex, SCHEMA_VERSION } from '../../src/store/index-db.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { HandoffIndex, HandoffStore } from '../../src/store/types.js';

interface DocFields {
  id?: string;
  name?: string;
  project?: string;
  summary?: string;
  tags?: string[];
  created?: string;
  expires?: string;
  branch?: string;
  auto?: boolean;
}

/** A handoff file with front matter. */
function doc(fields: DocFields, body = '## Next Steps\n1. Run npm test\n'): string {
  const lines = ['---'];
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'branch') lines.push(`git: {branch: ${v}}`);
    else lines.push(`${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : v}`);
  }
  lines.push('---');
  return `${lines.join('\n')}\n${body}`;
}

/** `store`, noting each listing and read in `calls`. */
function spyOn(store: HandoffStore, calls: string[]): HandoffStore {
  return {
    ...store,
    kind: store.kind,
    location: store.location,
    list: () => {
      calls.push('list');
      return store.list();
    },
    keys: () => {
      calls.push('keys');
      return store.keys();
    },
    names: () => {
      calls.push('names');
      return store.names?.() ?? store.keys();
    },
    read: (k) => {
      calls.push('read');
      return store.read(k);
    },
  };
}

describe('index', () => {
  let root: string;
  let dir: string;
  let cacheDir: string;
  let store: HandoffStore;
  let index: HandoffIndex;
  let warnings: string[];

  const put = (name: string, text: string) => writeFileSync(join(dir, name), text);
  const open = () => openIndex(store, { cacheDir, onWarning: (m) => warnings.push(m) });
  /** Moves a file's mtime (so an in-place edit of the same size is still seen). */
  const touch = (name: string, secondsAgo: number) => {
    const t = Date.now() / 1000 - secondsAgo;
    utimesSync(join(dir, name), t, t);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'handoff-'));
    dir = join(root, 'store');
    cacheDir = join(root, 'cache');
    mkdirSync(dir);
    store = createFileStore(dir, 'repo');
    warnings = [];
    index = open();
  });
  afterEach(() => {
    index.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('indexes the store on the first sync and serves newest first', async () => {
    put('a.md', doc({ id: 'aaaaaaaa', name: 'first', created: '2026-01-01T10:00:00Z' }));
    put('b.md', doc({ id: 'bbbbbbbb', name: 'second', created: '2026-01-02T10:00:00Z' }));
    const report = await index.sync();
    expect(report).toMatchObject({ added: 2, updated: 0, removed: 0, scanned: true, errors: [], duplicates: [] });
    expect(index.list().map((h) => [h.id, h.name, h.path])).toEqual([
      ['bbbbbbbb', 'second', 'b.md'],
      ['aaaaaaaa', 'first', 'a.md'],
    ]);
    expect(index.count()).toBe(2);
    // One file per store, named by the store's location, inside the cache directory.
    expect(index.path).toMatch(new RegExp(`^${cacheDir}/[0-9a-f]{16}\\.db$`));
    const other = openIndex(createFileStore(join(root, 'other'), 'repo'), { cacheDir });
    try {
      expect(other.path).not.toBe(index.path);
    } finally {
      other.close();
    }
    const again = openIndex(createFileStore(dir, 'repo'), { cacheDir });
    try {
      expect(again.path).toBe(index.path);
    } finally {
      again.close();
    }
  });

  it('sees a file added by hand and a file removed by hand on the next sync', async () => {
    put('a.md', doc({ id: 'aaaaaaaa', created: '2026-01-01T10:00:00Z' }));
    await index.sync();
    put('b.md', doc({ id: 'bbbbbbbb', created: '2026-01-02T10:00:00Z' }));
    expect(await index.sync()).toMatchObject({ added: 1, removed: 0 });
    expect(index.findById('bbbbbbbb')).toHaveLength(1);
    rmSync(join(dir, 'a.md'));
    expect(await index.sync()).toMatchObject({ added: 0, removed: 1 });
    expect(index.list().map((h) => h.id)).toEqual(['bbbbbbbb']);
  });

  it('sees an in-place edit after a rescan', async () => {
    put('a.md', doc({ id: 'aaaaaaaa', summary: 'before', created: '2026-01-01T10:00:00Z' }));
    touch('a.md', 100);
    await index.sync();
    put('a.md', doc({ id: 'aaaaaaaa', summary: 'after!', created: '2026-01-01T10:00:00Z' }));
    const report = await index.sync({ rescan: true });
    expect(report).toMatchObject({ updated: 1, added: 0, scanned: true });
    expect(index.list()[0]?.summary).toBe('after!');
    expect(index.count()).toBe(1);
  });

  it('does no listing, reading or parsing when nothing changed', async () => {
    put('a.md', doc({ id: 'aaaaaaaa', created: '2026-01-01T10:00:00Z' }));
    const past = Date.now() / 1000 - 60;
    utimesSync(dir, past, past);
    const calls: string[] = [];
    const spy = spyOn(store, calls);
    index.close();
    index = openIndex(spy, { cacheDir });
    await index.sync();
    calls.length = 0;
    const report = await index.sync();
    expect(report).toMatchObject({ added: 0, updated: 0, removed: 0, scanned: false });
    expect(calls).toEqual([]);
  });

  it('reports a file with broken front matter by path and still serves every other file', async () => {
    put('good.md', doc({ id: 'aaaaaaaa', created: '2026-01-01T10:00:00Z' }));
    put('broken.md', '---\nid: [unclosed\nname: x\n---\n## Next Steps\n1. x\n');
    const report = await index.sync();
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]?.path).toBe(join(dir, 'broken.md'));
    expect(report.errors[0]?.message).toMatch(/^line \d+: invalid front matter: .+/);
    expect(index.list().map((h) => h.path)).toEqual(['good.md']);
    // Still reported later without re-parsing, and gone once fixed.
    expect((await index.sync({ rescan: true })).errors).toHaveLength(1);
    put('broken.md', doc({ id: 'cccccccc', created: '2026-01-03T10:00:00Z' }, '## Context\nfixed now\n'));
    touch('broken.md', 5);
    const fixed = await index.sync({ rescan: true });
    expect(fixed.errors).toEqual([]);
    expect(index.count()).toBe(2);
  });

  it('reports front matter that breaks the schema, naming the key', async () => {
    put('bad.md', doc({ id: 'aaaaaaaa', created: '2026-01-01T10:00:00Z', name: "'a/b'" }));
    const report = await index.sync();
    expect(report.errors[0]?.message).toMatch(/^line \d+: invalid front matter: .*name/);
    expect(index.count()).toBe(0);
  });

  it('reports duplicate ids with both paths and serves both files', async () => {
    put('one.md', doc({ id: 'dddddddd', created: '2026-01-01T10:00:00Z' }));
    put('two.md', doc({ id: 'dddddddd', created: '2026-01-02T10:00:00Z' }));
    const report = await index.sync();
    expect(report.duplicates).toEqual([{ id: 'dddddddd', paths: [join(dir, 'one.md'), join(dir, 'two.md')] }]);
    expect(index.findById('dddd').map((h) => h.path)).toEqual(['two.md', 'one.md']);
    rmSync(join(dir, 'two.md'));
    expect((await index.sync()).duplicates).toEqual([]);
  });

  it('serves a file without front matter: id from the path hash, summary from its title, created from mtime', async () => {
    put('HANDOFF.md', '# Auth refactor\n\n## Next Steps\n1. Wire the login form\n');
    touch('HANDOFF.md', 3600);
    await index.sync();
    const [h] = index.list();
    expect(h?.id).toBe(createHash('sha256').update('HANDOFF.md').digest('hex').slice(0, 8));
    expect(h?.summary).toBe('Auth refactor');
    expect(Math.abs(Date.parse(h!.created) - statSync(join(dir, 'HANDOFF.md')).mtimeMs)).toBeLessThan(1000);
  });

  it('loses nothing when the database file is deleted: it is rebuilt on the next open', async () => {
    put('a.md', doc({ id: 'aaaaaaaa', name: 'kept', created: '2026-01-01T10:00:00Z' }));
    await index.sync();
    const path = index.path!;
    index.close();
    for (const f of readdirSync(cacheDir)) rmSync(join(cacheDir, f));
    index = open();
    expect(index.path).toBe(path);
    await index.sync();
    expect(index.list().map((h) => h.name)).toEqual(['kept']);
  });

  it('rebuilds a corrupt database file', async () => {
    put('a.md', doc({ id: 'aaaaaaaa', name: 'kept', created: '2026-01-01T10:00:00Z' }));
    await index.sync();
    const path = index.path!;
    index.close();
    for (const f of readdirSync(cacheDir)) rmSync(join(cacheDir, f));
    writeFileSync(path, Buffer.alloc(8192, 'garbage!'));
    index = open();
    expect(index.path).toBe(path);
    await index.sync();
    expect(index.list().map((h) => h.name)).toEqual(['kept']);
    expect(warnings.join('\n')).toMatch(/corrupt.*rebuilding/);
  });

  it('rebuilds a database with another schema version', async () => {
    put('a.md', doc({ id: 'aaaaaaaa', name: 'kept', created: '2026-01-01T10:00:00Z' }));
    await index.sync();
    const path = index.path!;
    index.close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.exec('DROP TABLE handoffs');
    db.close();
    index = open();
    await index.sync();
    expect(index.list().map((h) => h.name)).toEqual(['kept']);
  });

  it('works in memory with a warning when the cache directory cannot be written', async () => {
    put('a.md', doc({ id: 'aaaaaaaa', created: '2026-01-01T10:00:00Z' }));
    writeFileSync(join(root, 'not-a-dir'), '');
    index.close();
    index = openIndex(store, { cacheDir: join(root, 'not-a-dir', 'cache'), onWarning: (m) => warnings.push(m) });
    expect(index.path).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^index unavailable \(.+\); working without it, slower$/);
    await index.sync();
    expect(index.count()).toBe(1);
  });

  describe('search', () => {
    beforeEach(async () => {
      put(
        'a.md',
        doc(
          { id: 'aaaaaaaa', name: 'payments', summary: 'Stripe webhook retries', created: '2026-01-01T10:00:00Z' },
          '## Decisions\n- Idempotency keys over locks — retries arrive twice\n## Next Steps\n1. Test the off-ind flag in billing.ts\n',
        ),
      );
      put(
        'b.md',
        doc(
          { id: 'bbbbbbbb', name: 'search-index', summary: 'Index rebuild', created: '2026-01-02T10:00:00Z' },
          '## Context\nThe webhook queue mentions retries once.\n## Decisions\n- SQLite FTS5 over Elasticsearch — no server to run\n',
        ),
      );
      put(
        'c.md',
        doc(
          { id: 'cccccccc', name: 'misc', summary: 'Misc', created: '2026-01-03T10:00:00Z' },
          '## Next Steps\n1. Review idempotency notes from the payments work\n## Gotchas\n- Café accents: résumé parsing\n',
        ),
      );
      await index.sync();
    });

    it('ranks the handoff about the phrase first, with a marked snippet and its section', () => {
      const hits = index.search('webhook retries');
      expect(hits.map((h) => h.id)).toEqual(['aaaaaaaa', 'bbbbbbbb']);
      expect(hits[0]?.score).toBeLessThan(hits[1]!.score);
      expect(hits[1]?.snippet).toMatch(/\[webhook\].*\[retries\]/);
      expect(index.search('idempotency keys')[0]).toMatchObject({ id: 'aaaaaaaa', section: 'decisions' });
    });

    it('names the canonical section holding most matches of each hit, or null', () => {
      const sections = Object.fromEntries(index.search('idempotency').map((h) => [h.id, h.section]));
      expect(sections).toEqual({ aaaaaaaa: 'decisions', cccccccc: 'next_steps' });
      expect(index.search('accents')[0]).toMatchObject({ id: 'cccccccc', section: 'gotchas' });
      expect(index.search('stripe')[0]).toMatchObject({ id: 'aaaaaaaa', section: null });
    });

    it('takes the query as words: a hyphenated term and FTS5 operators are not syntax', () => {
      expect(index.search('off-ind').map((h) => h.id)).toEqual(['aaaaaaaa']);
      expect(index.search('billing.ts').map((h) => h.id)).toEqual(['aaaaaaaa']);
      expect(index.search('NOT AND "OR" ( *')).toEqual([]);
      expect(index.search('   ')).toEqual([]);
    });

    it('folds case and accents', () => {
      expect(index.search('CAFE RESUME').map((h) => h.id)).toEqual(['cccccccc']);
    });

    it('restricts a search to one canonical section', () => {
      expect(
        index
          .search('idempotency')
          .map((h) => h.id)
          .sort(),
      ).toEqual(['aaaaaaaa', 'cccccccc']);
      const hits = index.search('idempotency', { section: 'decisions' });
      expect(hits.map((h) => [h.id, h.section])).toEqual([['aaaaaaaa', 'decisions']]);
      expect(index.search('idempotency', { section: 'next-steps' }).map((h) => h.id)).toEqual(['cccccccc']);
      expect(() => index.search('x', { section: 'conclusions' })).toThrow(InvalidInputError);
    });

    it('applies list filters and limit', () => {
      expect(index.search('retries', { name: 'search-index' }).map((h) => h.id)).toEqual(['bbbbbbbb']);
      expect(index.search('retries', { limit: 1 })).toHaveLength(1);
    });
  });

  it('returns the same first hits with a limit as without: ties ordered by date, mtime, key; expired left out', async () => {
    // Identical bodies score the same, so the order among them comes from the tie-breaks alone.
    const body = '## Decisions\n- Keep the quokka cache warm — fewer cold reads\n';
    const when = Date.now() / 1000 - 3600;
    for (let i = 0; i < 40; i++) {
      const name = `t${String(i).padStart(2, '0')}.md`;
      const created = `2026-01-0${1 + Math.floor(i / 10)}T10:00:00Z`;
      put(
        name,
        doc(
          { id: (0xa0000000 + i).toString(16), created, ...(i % 7 === 0 ? { expires: '2020-01-01T00:00:00Z' } : {}) },
          body,
        ),
      );
      // Pairs share an mtime, so some ties fall through to the key.
      utimesSync(join(dir, name), when + Math.floor(i / 2), when + Math.floor(i / 2));
    }
    put(
      'other.md',
      doc({ id: 'bbbbbbbb', created: '2026-02-01T10:00:00Z', name: 'quokka' }, '## Context\nquokka cache notes\n'),
    );
    await index.sync();
    for (const query of ['quokka', 'quokka cache', 'cache warm']) {
      const all = index.search(query);
      expect(all.length).toBeGreaterThan(30);
      expect(all.some((h) => h.expired)).toBe(false);
      for (const limit of [1, 3, 17, 33, 100]) {
        expect(index.search(query, { limit }).map((h) => [h.path, h.score, h.snippet, h.section])).toEqual(
          all.slice(0, limit).map((h) => [h.path, h.score, h.snippet, h.section]),
        );
      }
    }
    const ties = index.search('warm', { limit: 5 });
    expect(ties.map((h) => h.created.slice(0, 10))).toEqual(Array(5).fill('2026-01-04'));
    // t35 has expired; t39/t38 and t37/t36 share date and mtime: the greater key first.
    expect(ties.map((h) => h.path)).toEqual(['t39.md', 't38.md', 't37.md', 't36.md', 't34.md']);
    expect(index.search('quokka', { limit: 1 })[0]).toMatchObject({ id: 'bbbbbbbb', section: 'context' });
    expect(index.search('quokka', { limit: 6, all: true }).map((h) => h.path)).toEqual([
      'other.md',
      't39.md',
      't38.md',
      't37.md',
      't36.md',
      't35.md',
    ]);
  });

  it('finds CJK words inside unspaced text', async () => {
    put(
      'zh.md',
      doc(
        { id: 'eeeeeeee', created: '2026-01-01T10:00:00Z' },
        '## 关键决策\n- 使用 PostgreSQL 数据库迁移方案，因为需要行锁\n',
      ),
    );
    put('en.md', doc({ id: 'ffffffff', created: '2026-01-02T10:00:00Z' }, '## Decisions\n- PostgreSQL everywhere\n'));
    await index.sync();
    const [hit, ...rest] = index.search('迁移');
    expect(rest).toEqual([]);
    expect(hit?.id).toBe('eeeeeeee');
    expect(hit?.snippet).toContain('[迁移]');
    expect(index.search('postgresql 迁移').map((h) => h.id)).toEqual(['eeeeeeee']);
    expect(
      index
        .search('postgresql')
        .map((h) => h.id)
        .sort(),
    ).toEqual(['eeeeeeee', 'ffffffff']);
  });

  it('hides expired handoffs unless `all`, and marks them', async () => {
    put(
      'old.md',
      doc({ id: 'aaaaaaaa', created: '2020-01-01T10:00:00Z', expires: '2020-01-15T10:00:00Z' }, '## Context\nzebra\n'),
    );
    put(
      'live.md',
      doc({ id: 'bbbbbbbb', created: '2020-01-02T10:00:00Z', expires: '2999-01-01T00:00:00Z' }, '## Context\nzebra\n'),
    );
    await index.sync();
    expect(index.list().map((h) => h.id)).toEqual(['bbbbbbbb']);
    expect(index.list({ all: true }).map((h) => [h.id, h.expired])).toEqual([
      ['bbbbbbbb', false],
      ['aaaaaaaa', true],
    ]);
    expect(index.search('zebra').map((h) => h.id)).toEqual(['bbbbbbbb']);
    expect(index.search('zebra', { all: true })).toHaveLength(2);
    expect(index.findById('aaaaaaaa')[0]?.expired).toBe(true);
  });

  it('filters list by project, exact tag, name, branch, since, automatic checkpoints, limit', async () => {
    put(
      '1.md',
      doc({
        id: '11111111',
        project: 'api',
        tags: ['api', 'crud'],
        name: 'n1',
        branch: 'main',
        created: '2026-01-01T00:00:00Z',
      }),
    );
    put(
      '2.md',
      doc({
        id: '22222222',
        project: 'api',
        tags: ['api-v2'],
        name: 'n2',
        branch: 'feat',
        created: '2026-01-02T00:00:00Z',
        auto: true,
      }),
    );
    put('3.md', doc({ id: '33333333', project: 'web', tags: ['crud'], name: 'n1', created: '2026-01-03T00:00:00Z' }));
    await index.sync();
    const ids = (f: Parameters<HandoffIndex['list']>[0]) => index.list(f).map((h) => h.id);
    expect(ids({ project: 'api' })).toEqual(['22222222', '11111111']);
    expect(ids({ tag: 'api' })).toEqual(['11111111']);
    expect(ids({ name: 'n1' })).toEqual(['33333333', '11111111']);
    expect(ids({ branch: 'feat' })).toEqual(['22222222']);
    expect(ids({ since: '2026-01-02' })).toEqual(['33333333', '22222222']);
    expect(ids({ includeAuto: false })).toEqual(['33333333', '11111111']);
    expect(ids({ limit: 1 })).toEqual(['33333333']);
    expect(index.list()[1]).toMatchObject({ auto: true, branch: 'feat', tags: ['api-v2'], project: 'api' });
    expect(() => index.list({ since: 'last tuesday' })).toThrow(InvalidInputError);
  });

  it('finds by id prefix and rejects a prefix that is not hex', async () => {
    put('a.md', doc({ id: 'a3f9c12e', created: '2026-01-01T00:00:00Z' }));
    put('b.md', doc({ id: 'a3f00000', created: '2026-01-02T00:00:00Z' }));
    await index.sync();
    expect(index.findById('a3f9').map((h) => h.id)).toEqual(['a3f9c12e']);
    expect(index.findById('A3F')).toHaveLength(2);
    expect(index.findById('ffff')).toEqual([]);
    expect(() => index.findById('a3f9*')).toThrow(InvalidInputError);
  });

  it('keeps sections, token counts and the exact content', async () => {
    const text = doc(
      { id: 'aaaaaaaa', created: '2026-01-01T00:00:00Z' },
      '# Title 🚀\r\n\r\n## Decisions\r\n- A — b\r\n## Next Steps\r\n1. Go 交接 🙂\r\n## Decisions\r\n- second block\r\n',
    );
    put('a.md', text);
    const yaml = 'goal: ship it 🚀\nnow: tests\ndone_this_session:\n  - task: x\n';
    put('b.yaml', yaml);
    await index.sync();
    expect(index.content('a.md')).toBe(text);
    expect(index.content('b.yaml')).toBe(yaml);
    expect(index.content('missing.md')).toBeNull();
    const sections = index.sections('a.md');
    expect(sections.map((s) => [s.canonical, s.text, s.tokens])).toEqual(
      parseHandoff(text).sections.map((s) => [s.canonical, s.text, null]),
    );
    expect(index.sections('b.yaml').map((s) => [s.heading, s.text])).toEqual(
      parseHandoff(yaml, { path: 'b.yaml' }).sections.map((s) => [s.heading, s.text]),
    );
    index.setSectionTokens('a.md', [3, 5, 7, 9]);
    index.close();
    index = open();
    expect(index.sections('a.md').map((s) => s.tokens)).toEqual([3, 5, 7, 9]);
  });

  it('serves a file noted as written at once, and a later sync keeps one row for it', async () => {
    const text = doc({ id: 'abcdef12', name: 'just-written', created: '2026-01-01T00:00:00Z' });
    const entry = await store.create('20260101-0000-just-written.md', text, 'abcdef12');
    index.noteWritten(entry, text, parseHandoff(text));
    expect(index.list().map((h) => h.name)).toEqual(['just-written']);
    await index.sync();
    expect(index.count()).toBe(1);
    // The same id written again (a random-id collision) is reported at once.
    const twin = await store.create('20260101-0001-twin.md', text, 'abcdef12');
    index.noteWritten(twin, text, parseHandoff(text));
    expect((await index.sync()).duplicates.map((d) => d.id)).toEqual(['abcdef12']);
    await store.remove(twin.key);
    index.noteRemoved(twin.key);
    expect((await index.sync()).duplicates).toEqual([]);
    await store.remove(entry.key);
    index.noteRemoved(entry.key);
    expect(index.count()).toBe(0);
  });

  it('after its own writes lists the store once and reads nothing; a file changed by hand is still seen', async () => {
    put('a.md', doc({ id: 'aaaaaaaa', created: '2026-01-01T00:00:00Z' }));
    put('b.md', doc({ id: 'bbbbbbbb', created: '2026-01-02T00:00:00Z' }));
    const calls: string[] = [];
    const spy = spyOn(store, calls);
    index.close();
    index = openIndex(spy, { cacheDir });
    await index.sync();
    // Two stores in a row, as `handoff store` does them: each noted as written, then a sync.
    for (const [n, id] of [
      [1, 'cccccccc'],
      [2, 'dddddddd'],
    ] as const) {
      const text = doc({ id, name: `note-${n}`, created: `2026-01-0${2 + n}T00:00:00Z` });
      index.noteWritten(await store.create(`2026010${2 + n}-0000-note-${n}.md`, text, id), text, parseHandoff(text));
      calls.length = 0;
      expect(await index.sync()).toMatchObject({ added: 0, updated: 0, removed: 0 });
      expect(calls).toEqual(['names']);
    }
    // A file renamed by hand (same number of files), then one swapped for another: found, not skipped.
    renameSync(join(dir, 'a.md'), join(dir, 'a2.md'));
    expect(await index.sync()).toMatchObject({ added: 1, removed: 1 });
    expect(index.list().find((h) => h.id === 'aaaaaaaa')?.path).toBe('a2.md');
    rmSync(join(dir, 'b.md'));
    put('e.md', doc({ id: 'eeeeeeee', created: '2026-01-09T00:00:00Z' }));
    expect(await index.sync()).toMatchObject({ added: 1, removed: 1 });
    // Removed through the index, then put back by hand under the same name: indexed again.
    await store.remove('e.md');
    index.noteRemoved('e.md');
    put('e.md', doc({ id: 'eeeeeeee', created: '2026-01-09T00:00:00Z' }));
    expect(await index.sync()).toMatchObject({ added: 1 });
    expect(index.list().map((h) => h.id)).toEqual(['eeeeeeee', 'dddddddd', 'cccccccc', 'aaaaaaaa']);
    calls.length = 0;
    await index.sync();
    expect(calls.filter((c) => c === 'read')).toEqual([]);
  });

  it('keeps a row whose file a listing missed (written by another process meanwhile) while the file exists', async () => {
    put('a.md', doc({ id: 'aaaaaaaa', created: '2026-01-01T00:00:00Z' }));
    put('b.md', doc({ id: 'bbbbbbbb', created: '2026-01-02T00:00:00Z' }));
    await index.sync();
    put('c.md', doc({ id: 'cccccccc', created: '2026-01-03T00:00:00Z' }));
    // The listing the sync makes first does not have b.md yet, as if its writer had been slower.
    const late: HandoffStore = {
      ...store,
      kind: store.kind,
      location: store.location,
      keys: async () => (await store.keys()).filter((k) => k !== 'b.md'),
      names: async () => (await store.keys()).filter((k) => k !== 'b.md'),
    };
    index.close();
    index = openIndex(late, { cacheDir });
    expect(await index.sync()).toMatchObject({ added: 1, removed: 0 });
    expect(index.list().map((h) => h.id)).toEqual(['cccccccc', 'bbbbbbbb', 'aaaaaaaa']);
    // Once the file is really gone, so is its row.
    rmSync(join(dir, 'b.md'));
    expect(await index.sync()).toMatchObject({ removed: 1 });
  });

  it('passes over a directory named like a handoff on every kind of sync, with no error', async () => {
    put('a.md', doc({ id: 'aaaaaaaa', created: '2026-01-01T00:00:00Z' }));
    mkdirSync(join(dir, 'odd.md'));
    expect((await index.sync()).errors).toEqual([]);
    put('b.md', doc({ id: 'bbbbbbbb', created: '2026-01-02T00:00:00Z' }));
    for (let i = 0; i < 2; i++) {
      const report = await index.sync();
      expect(report.errors).toEqual([]);
      expect(index.list().map((h) => h.path)).toEqual(['b.md', 'a.md']);
    }
    expect((await index.sync({ rescan: true })).errors).toEqual([]);
    expect(index.count()).toBe(2);
  });

  it('shares one database between processes: a second index sees what the first wrote', async () => {
    put('a.md', doc({ id: 'aaaaaaaa', created: '2026-01-01T00:00:00Z' }));
    await index.sync();
    const other = open();
    try {
      expect((await other.sync()).added).toBe(0);
      expect(other.count()).toBe(1);
    } finally {
      other.close();
    }
  });

  it('indexes the real corpus: every handoff served, broken front matter reported by path', async () => {
    const corpus = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'docs');
    const names = readdirSync(corpus);
    for (const n of names) copyFileSync(join(corpus, n), join(dir, n));
    const report = await index.sync();
    expect(report.added + report.errors.length).toBe(names.length);
    for (const e of report.errors) expect(e.path.startsWith(dir)).toBe(true);
    expect(report.errors.length).toBeLessThan(5);
    expect(index.search('交接').length).toBeGreaterThan(0);
  });

  it('works over the memory store too', async () => {
    const mem = createMemoryStore();
    const memIndex = openIndex(mem, { cacheDir });
    try {
      await mem.create('20260101-0000-a.md', doc({ id: 'aaaaaaaa', created: '2026-01-01T00:00:00Z' }), 'aaaaaaaa');
      await memIndex.sync();
      expect(memIndex.path).toBeNull();
      mem.put('20260101-0000-a.md', doc({ id: 'aaaaaaaa', summary: 'edited', created: '2026-01-01T00:00:00Z' }));
      await memIndex.sync({ rescan: true });
      expect(memIndex.list()[0]?.summary).toBe('edited');
    } finally {
      memIndex.close();
    }
  });
});
