/**
 * The `list` table: the index renders it in SQLite from cells stored at
 * index time (index-db.ts `listTable`); it must be byte for byte the table
 * renderListTable builds in JavaScript from the same rows, whatever the
 * rows hold and whatever the time zone.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore } from '../../src/store/file-store.js';
import { openIndex } from '../../src/store/index-db.js';
import { cell, localTime, renderListTable } from '../../src/store/list-table.js';
import type { HandoffFilter, HandoffIndex, ListColumns } from '../../src/store/types.js';

/** A handoff file; `fields` are written as YAML values as given (quote them yourself). */
function doc(fields: Record<string, string>, body = '## Next Steps\n1. Run npm test\n'): string {
  return `---\n${Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n---\n${body}`;
}

/** The table renderListTable builds from what `list` returns. */
function expected(index: HandoffIndex, filter: HandoffFilter = {}): string {
  const rows = index
    .list(filter)
    .map((h): ListColumns => [h.id, h.name, h.project, JSON.stringify(h.tags), h.expires, h.summary]);
  return rows.length === 0 ? '' : renderListTable(rows);
}

const FILTERS: HandoffFilter[] = [
  {},
  { all: true },
  { limit: 1 },
  { limit: 3 },
  { all: true, limit: 4 },
  { project: 'データ基盤' },
  { tag: 'b c' },
  { name: 'plain' },
  { since: '2026-01-05T00:00:00Z' },
  { project: 'nothing-here' },
];

/** Runs `fn` with the process in time zone `tz` (V8 and the C library both follow TZ). */
function inZone(tz: string, fn: () => void): void {
  const before = process.env.TZ;
  process.env.TZ = tz;
  try {
    fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe('list table', () => {
  let root: string;
  let dir: string;
  let index: HandoffIndex;
  const put = (name: string, text: string) => writeFileSync(join(dir, name), text);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'handoff-list-'));
    dir = join(root, 'store');
    mkdirSync(dir);
    index = openIndex(createFileStore(dir, 'repo'), { cacheDir: join(root, 'cache') });
  });
  afterEach(() => {
    index.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('prints the columns padded to the widest cell plus two, cut cells ending in …, a blank summary trimmed', async () => {
    put(
      'a.md',
      doc({
        id: 'aaaaaaaa',
        name: 'short',
        tags: '[x, y]',
        created: '2026-01-01T00:00:00Z',
        expires: '2999-01-01T00:00:00Z',
        summary: `"${'s'.repeat(70)}"`,
      }),
    );
    put(
      'b.md',
      doc({ id: 'bbbbbbbb', name: 'a-longer-name', project: 'p', created: '2026-01-02T00:00:00Z' }, 'text\n'),
    );
    await index.sync();
    const table = inZoneValue('UTC', () => index.listTable().toString('utf8'));
    expect(table).toBe(
      [
        'ID        NAME           PROJECT  TAGS  EXPIRES           SUMMARY',
        'bbbbbbbb  a-longer-name  p              never',
        `aaaaaaaa  short                   x,y   2999-01-01 00:00  ${'s'.repeat(59)}…`,
        '',
      ].join('\n'),
    );
  });

  it('is byte for byte the JavaScript table for tricky rows, every filter and several time zones', async () => {
    const long = '長'.repeat(30) + '🚀'.repeat(40);
    put(
      '20260101-0000-cjk.md',
      doc({
        id: '11111111',
        name: '交接メモ-データベース移行',
        project: 'データ基盤',
        tags: '[移行, b c, "tab\\there"]',
        created: '2026-01-01T00:00:00Z',
        summary: `"${long}"`,
      }),
    );
    put(
      '20260102-0000-emoji.md',
      doc({
        id: '22222222',
        name: `"🚀 ${'n'.repeat(37)}"`,
        tags: `[${Array.from({ length: 12 }, (_, i) => `tag${i}`).join(', ')}]`,
        created: '2026-01-02T00:00:00Z',
        expires: '2999-06-15T23:45:00+09:00',
        summary: '"line one\\n\\n\\tline two\\x7f end  "',
      }),
    );
    put(
      '20260103-0000-exact.md',
      doc({
        id: '33333333',
        name: 'n'.repeat(40),
        project: 'p'.repeat(31),
        created: '2026-01-03T00:00:00Z',
        summary: `"${'é'.repeat(60)}"`,
      }),
    );
    put(
      '20260104-0000-spaces.md',
      doc({
        id: '44444444',
        name: '"\\u3000名前\\u00a0"',
        created: '2026-01-04T00:00:00Z',
        expires: '2031-03-09T06:30:00Z',
        summary: '"\\u3000 padded summary \\u00a0"',
      }),
    );
    // No name, no project, no tags, no summary and no title: a row that ends in padding.
    put('20260105-0000-bare.md', doc({ id: '55555555', created: '2026-01-05T00:00:00Z' }, 'just text\n'));
    put('20260106-0000-plain.md', doc({ id: '66666666', name: 'plain', created: '2026-01-06T00:00:00Z' }));
    put(
      '20260107-0000-expired.md',
      doc({ id: '77777777', name: 'gone', created: '2026-01-07T00:00:00Z', expires: '2020-02-01T00:00:00Z' }),
    );
    // Same creation time: ordered by mtime, then key.
    put('20260108-0000-same-a.md', doc({ id: '88888888', name: 'same', created: '2026-01-08T00:00:00Z' }));
    put('20260108-0000-same-b.md', doc({ id: '99999999', name: 'same', created: '2026-01-08T00:00:00Z' }));
    // Without front matter: id from the path, summary from the title.
    put('notes.md', '#  A title\twith a tab  \n\nbody\n');
    const report = await index.sync();
    expect(report.errors).toEqual([]);

    for (const tz of ['UTC', 'Asia/Tokyo', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe']) {
      inZone(tz, () => {
        for (const filter of FILTERS) {
          const table = index.listTable(filter);
          expect({ tz, filter, table: table.toString('utf8') }).toEqual({ tz, filter, table: expected(index, filter) });
        }
      });
    }
    // The cells themselves, as a user reads them.
    const lines = inZoneValue('UTC', () => index.listTable({ all: true }).toString('utf8')).split('\n');
    expect(lines.find((l) => l.startsWith('22222222'))).toContain('line one line two  end');
    expect(lines.find((l) => l.startsWith('22222222'))).toContain('2999-06-15 14:45');
    expect(lines.find((l) => l.startsWith('11111111'))).toContain(`${[...long].slice(0, 59).join('')}…`);
    expect(lines.find((l) => l.startsWith('77777777'))).toContain('2020-02-01 00:00');
  });

  it('gives the same table where SQLite reads the local time differently (a date before 1970)', async () => {
    // SQLite takes the offset of a year outside 1970-2037 from a year inside it: in
    // Amsterdam, 1900-01-01T00:00Z is 01:00 to SQLite (CET) and 00:00 to V8 (its zone data).
    put(
      'old.md',
      doc({ id: 'aaaaaaaa', name: 'old', created: '1899-01-01T00:00:00Z', expires: '1900-01-01T00:00:00Z' }),
    );
    put('new.md', doc({ id: 'cccccccc', name: 'new', created: '2026-01-01T00:00:00Z' }));
    await index.sync();
    for (const tz of ['Europe/Amsterdam', 'Asia/Tokyo', 'UTC']) {
      inZone(tz, () => {
        expect(index.listTable({ all: true }).toString('utf8')).toBe(expected(index, { all: true }));
        expect(index.listTable().toString('utf8')).toBe(expected(index));
      });
    }
    expect(inZoneValue('UTC', () => index.listTable({ all: true }).toString('utf8'))).toContain('1900-01-01 00:00');
  });

  it('is empty when no row matches or the limit is 0', async () => {
    expect(index.listTable().length).toBe(0);
    put('a.md', doc({ id: 'aaaaaaaa', project: 'p', created: '2026-01-01T00:00:00Z' }));
    await index.sync();
    expect(index.listTable({ project: 'q' }).length).toBe(0);
    expect(index.listTable({ limit: 0 }).length).toBe(0);
    expect(index.listTable().toString('utf8')).toBe(expected(index));
  });

  it('is the JavaScript table for the real corpus', async () => {
    const corpus = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'docs');
    for (const n of readdirSync(corpus)) copyFileSync(join(corpus, n), join(dir, n));
    await index.sync();
    for (const tz of ['UTC', 'Asia/Shanghai']) {
      inZone(tz, () => {
        expect(index.listTable({ all: true }).toString('utf8')).toBe(expected(index, { all: true }));
        expect(index.listTable({ limit: 20 }).toString('utf8')).toBe(expected(index, { limit: 20 }));
      });
    }
  });
});

describe('cell and localTime', () => {
  it('flattens control characters, trims, and cuts by code points', () => {
    expect(cell('  a\n\n\tb\u007f c  ')).toBe('a b  c');
    expect(cell(null)).toBe('');
    expect(cell('\u3000x\u00a0')).toBe('x');
    expect(cell('🚀'.repeat(5), 5)).toBe('🚀'.repeat(5));
    expect(cell('🚀'.repeat(6), 5)).toBe(`${'🚀'.repeat(4)}…`);
  });

  it('prints EXPIRES in the local time zone, never for none', () => {
    inZone('Asia/Tokyo', () => expect(localTime('2026-11-21T14:30:00Z')).toBe('2026-11-21 23:30'));
    expect(localTime(null)).toBe('never');
    expect(localTime('soon')).toBe('soon');
  });
});

function inZoneValue<T>(tz: string, fn: () => T): T {
  let value!: T;
  inZone(tz, () => {
    value = fn();
  });
  return value;
}
