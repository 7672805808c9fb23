import { describe, expect, it } from 'vitest';
import { parseHandoff } from '../../src/format/parse.js';
import { FrontMatterSchema } from '../../src/format/schema.js';
import { matchesFrontMatterSchema, packSections, unpackSections } from '../../src/store/_index-rows.js';

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

/** Values tried for each key: right and wrong kinds, edge lengths, near-miss dates. */
const VALUES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'a/b',
  'a\\b',
  'a..b',
  'tab\there',
  'x'.repeat(200),
  'x'.repeat(201),
  'x'.repeat(500),
  'x'.repeat(501),
  'a3f9c12e',
  'A3F9C12E',
  'a3f9c12',
  0,
  1,
  2,
  true,
  false,
  [],
  ['a', 'b'],
  ['a', 1],
  {},
  { branch: 'main' },
  { branch: 1 },
  { dirty: 'yes' },
  { commit: 'abc', extra: [1] },
  new Date(0),
  '2026-11-21T14:30:00Z',
  '2026-02-29T00:00:00Z',
  '2024-02-29T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-11-21T24:00:00Z',
  '2026-11-21T14:30:00+01:00',
  '2026-11-21T14:30:00.5Z',
  '2026-11-21',
  '0000-01-01T00:00:00Z',
  'implementation',
  'testing',
  'coding',
];

describe('matchesFrontMatterSchema: the index skips zod only when zod would accept', () => {
  it('accepts front matter as this tool writes it', () => {
    expect(matchesFrontMatterSchema(BASE)).toBe(true);
    expect(matchesFrontMatterSchema({ id: 'a3f9c12e', created: '2026-11-21T14:30:00Z', topic: 'unknown kept' })).toBe(
      true,
    );
  });

  it('never accepts what FrontMatterSchema rejects, whatever one key holds', () => {
    let accepted = 0;
    let rejectedByZod = 0;
    for (const key of [...Object.keys(BASE), 'unknown']) {
      for (const value of VALUES) {
        const data = { ...BASE, [key]: value };
        if (value === undefined) delete data[key];
        const zodOk = FrontMatterSchema.safeParse(data).success;
        if (!zodOk) rejectedByZod++;
        if (matchesFrontMatterSchema(data)) {
          accepted++;
          expect(zodOk, `${key}: ${JSON.stringify(value)}`).toBe(true);
        }
      }
    }
    // Both outcomes occur, so the check above compared something.
    expect(accepted).toBeGreaterThan(50);
    expect(rejectedByZod).toBeGreaterThan(100);
  });

  it('accepts the front matter of parsed handoffs that pass the schema in the common forms', () => {
    const text =
      '---\nhandoff: 1\nid: a3f9c12e\nname: todo-api\ntags: [api]\ncreated: 2026-11-21T14:30:00+01:00\n' +
      'git: {branch: main, commit: 4f2c1a9e, dirty: false}\n---\n## Next Steps\n1. go\n';
    const { data } = parseHandoff(text);
    expect(FrontMatterSchema.safeParse(data).success).toBe(true);
    expect(matchesFrontMatterSchema(data)).toBe(true);
  });
});

describe('packSections', () => {
  it('round-trips every field, null texts and token counts included', () => {
    const sections = [
      { heading: '', canonical: null, col: 3, colStart: 0, rawLen: 7, textLen: 7, text: null, tokens: null },
      {
        heading: 'Next Steps 🚀',
        canonical: 'next_steps',
        col: 10,
        colStart: 0,
        rawLen: 20,
        textLen: 6,
        text: 'x\r\n',
        tokens: 4,
      },
    ];
    expect(unpackSections(packSections(sections))).toEqual(sections);
  });
});
