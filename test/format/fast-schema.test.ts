import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRONT_MATTER_SHAPE, GIT_SHAPE, parseFrontMatterFast } from '../../src/format/_fast-schema.js';
import { parseHandoff } from '../../src/format/parse.js';
import { FrontMatterSchema, GitInfoSchema } from '../../src/format/schema.js';

/** Front matter as `handoff store` writes it. */
const BASE: Record<string, unknown> = {
  handoff: 1,
  id: 'a3f9c12e',
  name: 'todo-api',
  project: 'todo-api',
  summary: 'CRUD endpoints done',
  tags: ['api', 'crud'],
  created: '2026-11-21T14:30:00Z',
  expires: '2026-12-21T14:30:00Z',
  work_type: 'implementation',
  agent: 'claude-code',
  git: { branch: 'main', commit: '4f2c1a9e', dirty: true },
  parent: 'b3f9c12e',
  auto: false,
};

/** Values tried for each key: right and wrong kinds, edge lengths, near-miss dates and names. */
const VALUES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'a/b',
  'a\\b',
  'a..b',
  'a.b',
  'tab\there',
  'del\u007f',
  'nl\n',
  'é ü 下一步',
  'x'.repeat(200),
  'x'.repeat(201),
  'x'.repeat(500),
  'x'.repeat(501),
  'a3f9c12e',
  'A3F9C12E',
  'a3f9c12',
  'a3f9c12e0',
  ' a3f9c12e',
  0,
  1,
  2,
  1.5,
  Number.NaN,
  true,
  false,
  [],
  ['a', 'b'],
  ['a', 1],
  // biome-ignore lint/suspicious/noSparseArray: a hole is what is tested
  [, 'a'],
  {},
  { branch: 'main' },
  { branch: 1 },
  { dirty: 'yes' },
  { commit: 'abc', extra: [1] },
  { branch: undefined, dirty: false },
  Object.create(null),
  new Date(0),
  '2026-11-21T14:30:00Z',
  '2026-02-29T00:00:00Z',
  '2024-02-29T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-11-21T24:00:00Z',
  '2026-11-21T23:59:60Z',
  '2026-11-21T14:30:00+01:00',
  '2026-11-21T14:30:00.5Z',
  '2026-11-21T14:30Z',
  '2026-11-21 14:30:00Z',
  '2026-11-21t14:30:00z',
  '2026-11-21',
  '0000-01-01T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  'implementation',
  'testing',
  'coding',
];

/** A label for any value (String() throws on a null-prototype object). */
function show(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return typeof v;
  }
}

/** Both must agree: whenever the fast path answers, zod accepts and returns the same value, keys in the same order. */
function agree(data: Record<string, unknown>, label: string): 'fast' | 'zod-ok' | 'zod-rejects' {
  const fast = parseFrontMatterFast(data);
  const zod = FrontMatterSchema.safeParse(data);
  if (fast) {
    expect(zod.success, label).toBe(true);
    expect(fast, label).toStrictEqual(zod.data);
    expect(Object.keys(fast), label).toEqual(Object.keys(zod.data!));
    if (fast.git) expect(Object.keys(fast.git), label).toEqual(Object.keys(zod.data!.git!));
    // A copy, as zod's: changing it leaves the input alone.
    if (fast.tags) expect(fast.tags, label).not.toBe(data.tags);
    return 'fast';
  }
  return zod.success ? 'zod-ok' : 'zod-rejects';
}

describe('parseFrontMatterFast: zod is skipped only where it would accept, with its result', () => {
  it('lists the schema keys in the schema order', () => {
    expect([...FRONT_MATTER_SHAPE]).toEqual(Object.keys(FrontMatterSchema.shape));
    expect([...GIT_SHAPE]).toEqual(Object.keys(GitInfoSchema.shape));
  });

  it('answers for front matter as this tool writes it', () => {
    expect(agree(BASE, 'base')).toBe('fast');
    expect(agree({ id: 'a3f9c12e', created: '2026-11-21T14:30:00Z', topic: 'kept' }, 'unknown key')).toBe('fast');
    expect(agree({ zz: 1, ...BASE, git: { extra: 1, commit: 'c' } }, 'key order')).toBe('fast');
  });

  it('agrees with zod whatever one key holds', () => {
    const outcomes = { fast: 0, 'zod-ok': 0, 'zod-rejects': 0 };
    for (const key of [...Object.keys(BASE), 'unknown']) {
      for (const value of VALUES) {
        const data = { ...BASE, [key]: value };
        outcomes[agree(data, `${key}: ${show(value)}`)]++;
        if (value === undefined) {
          delete data[key];
          outcomes[agree(data, `${key} absent`)]++;
        }
        outcomes[agree({ ...BASE, git: { ...(BASE.git as object), [key]: value } }, `git.${key}: ${show(value)}`)]++;
      }
    }
    expect(outcomes.fast).toBeGreaterThan(200);
    expect(outcomes['zod-rejects']).toBeGreaterThan(200);
  });

  it('agrees with zod on two keys changed at once', () => {
    const keys = [...Object.keys(BASE), 'unknown'];
    const sample = VALUES.filter((_, i) => i % 4 === 0);
    for (const a of keys) {
      for (const b of keys) {
        if (a >= b) continue;
        for (const va of sample) for (const vb of sample) agree({ ...BASE, [a]: va, [b]: vb }, `${a}, ${b}`);
      }
    }
  });

  it('leaves a __proto__ key and odd containers to zod', () => {
    const proto = JSON.parse('{"id":"a3f9c12e","created":"2026-11-21T14:30:00Z","__proto__":{"x":1}}');
    expect(parseFrontMatterFast(proto)).toBeNull();
    expect(parseFrontMatterFast({ ...BASE, git: JSON.parse('{"__proto__":{"x":1}}') })).toBeNull();
    expect(parseFrontMatterFast({ ...BASE, git: new Map() as unknown as object })).toBeNull();
  });

  it('agrees with zod on the real corpus, as the index and store see it', () => {
    const dir = '/work/shared/corpus/docs';
    const outcomes = { fast: 0, 'zod-ok': 0, 'zod-rejects': 0 };
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      let data: Record<string, unknown>;
      try {
        data = parseHandoff(text, { path: name }).data;
      } catch {
        continue; // broken YAML: never reaches validation
      }
      outcomes[agree(data, name)]++;
      // With the id and date the index fills in, and as store rewrites it.
      outcomes[agree({ ...data, id: 'a3f9c12e', created: '2026-11-21T14:30:00Z' }, `${name} filled`)]++;
      outcomes[agree({ handoff: 1, ...data, id: 'a3f9c12e', created: '2026-11-21T14:30:00Z' }, `${name} stored`)]++;
    }
    expect(outcomes.fast).toBeGreaterThan(100);
  });
});
