import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  normalizeFrontMatter,
  normalizeIsoDate,
  readFrontMatter,
  serializeFrontMatter,
  splitFrontMatter,
} from '../../src/format/index.js';

describe('splitFrontMatter', () => {
  it('splits on --- ... --- and on a closing ...', () => {
    expect(splitFrontMatter('---\nid: a\n---\nbody\n')).toEqual({
      raw: '---\nid: a\n---\n',
      yaml: 'id: a\n',
      yamlLine: 2,
      body: 'body\n',
    });
    expect(splitFrontMatter('---\nid: a\n...\nbody')?.body).toBe('body');
    expect(splitFrontMatter('---\n---\nbody')?.yaml).toBe('');
  });

  it('keeps a BOM and CRLF inside the raw block', () => {
    const split = splitFrontMatter('\uFEFF---\r\nid: a\r\n---\r\nbody\r\n');
    expect(split?.raw).toBe('\uFEFF---\r\nid: a\r\n---\r\n');
    expect(split?.body).toBe('body\r\n');
  });

  it('finds no front matter without an opening line or without a closing line', () => {
    expect(splitFrontMatter('# Title\n---\nid: a\n---\n')).toBeNull();
    expect(splitFrontMatter('---\nid: a\nno closing line\n')).toBeNull();
  });
});

describe('readFrontMatter: tolerant normalisation', () => {
  it('reads `date` as `created` and normalises any ISO 8601 form to UTC seconds', () => {
    expect(readFrontMatter('---\ndate: 2026-04-16\n---\n').data).toEqual({ created: '2026-04-16T00:00:00Z' });
    expect(readFrontMatter('---\ncreated: 2026-04-20T03:02:20+0000\n---\n').data.created).toBe('2026-04-20T03:02:20Z');
    expect(readFrontMatter('---\ncreated: 2026-05-09T20:00:00-08:00\n---\n').data.created).toBe('2026-05-10T04:00:00Z');
    expect(readFrontMatter('---\nexpires: 2026-12-05 14:30:00.5 +01\n---\n').data.expires).toBe('2026-12-05T13:30:00Z');
  });

  it('keeps `date` as an unknown key when `created` is also given', () => {
    const { data } = readFrontMatter('---\ncreated: 2026-01-01T00:00:00Z\ndate: yesterday\n---\n');
    expect(data).toEqual({ created: '2026-01-01T00:00:00Z', date: 'yesterday' });
  });

  it('maps flat git_commit / commit / branch into git, an explicit git mapping winning', () => {
    expect(readFrontMatter('---\ngit_commit: 6b2b699a\nbranch: main\n---\n').data).toEqual({
      git: { commit: '6b2b699a', branch: 'main' },
    });
    expect(readFrontMatter('---\ngit: {branch: dev}\nbranch: main\ncommit: abc\n---\n').data).toEqual({
      git: { branch: 'dev', commit: 'abc' },
    });
  });

  it('splits comma-separated tags', () => {
    expect(readFrontMatter('---\ntags: api, crud ,, auth\n---\n').data.tags).toEqual(['api', 'crud', 'auth']);
    expect(readFrontMatter('---\ntags: [api, 2026]\n---\n').data.tags).toEqual(['api', '2026']);
  });

  it('drops values of the wrong type into warnings instead of failing', () => {
    const { data, warnings } = readFrontMatter(
      '---\nid: a3f9c12e\ncreated: last tuesday\nsummary: [a, b]\nauto: maybe\ngit: main\n---\n',
    );
    expect(data).toEqual({ id: 'a3f9c12e' });
    expect(warnings).toHaveLength(4);
    expect(warnings.join('\n')).toMatch(/"created" is not an ISO 8601 date/);
    expect(warnings.join('\n')).toMatch(/"summary" must be a string/);
  });

  it('keeps unknown keys, null values included', () => {
    const { data } = readFrontMatter('---\nresearcher: Corey\nroot_span_id:\nstatus: complete\n---\n');
    expect(data).toEqual({ researcher: 'Corey', root_span_id: null, status: 'complete' });
  });

  it('recovers ids that YAML reads as numbers', () => {
    const { data } = readFrontMatter('---\nid: 0e123456\nparent: 12345678\n---\n');
    expect(data).toEqual({ id: '0e123456', parent: '12345678' });
  });

  it('reads an empty block as no data and a non-mapping block as body', () => {
    expect(readFrontMatter('---\n---\nx').data).toEqual({});
    const notFm = readFrontMatter('---\nJust a paragraph between rules.\n---\n## Next\n');
    expect(notFm.raw).toBe('');
    expect(notFm.body).toBe('---\nJust a paragraph between rules.\n---\n## Next\n');
    expect(notFm.warnings).toHaveLength(1);
  });
});

describe('normalizeIsoDate', () => {
  it.each([
    ['2026-11-21', '2026-11-21T00:00:00Z'],
    ['2026-11-21T14:30Z', '2026-11-21T14:30:00Z'],
    ['2026-11-21T14:30:00.999+05:30', '2026-11-21T09:00:00Z'],
    ['2026-11-21T14:30:00', '2026-11-21T14:30:00Z'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeIsoDate(input)).toBe(expected);
  });

  it('accepts Date objects and rejects impossible dates and other text', () => {
    expect(normalizeIsoDate(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('2026-01-02T03:04:05Z');
    expect(normalizeIsoDate('2026-02-30')).toBeNull();
    expect(normalizeIsoDate('2026-01-01T25:00:00Z')).toBeNull();
    expect(normalizeIsoDate('14 March 2026')).toBeNull();
    expect(normalizeIsoDate(20260101)).toBeNull();
  });

  it('is what normalizeFrontMatter applies to js-yaml Date objects', () => {
    expect(normalizeFrontMatter({ created: new Date('2026-03-17T04:08:53Z') })).toEqual({
      created: '2026-03-17T04:08:53Z',
    });
  });
});

describe('serializeFrontMatter', () => {
  it('writes keys in the documented order, tags and git in flow style, timestamps unquoted', () => {
    const yaml = serializeFrontMatter({
      topic: 'kept last',
      auto: true,
      git: { branch: 'main', commit: '4f2c1a9e', dirty: true },
      created: '2026-11-21T14:30:00Z',
      tags: ['api', 'crud'],
      id: 'a3f9c12e',
      handoff: 1,
      expires: undefined,
    });
    expect(yaml).toBe(
      [
        'handoff: 1',
        'id: a3f9c12e',
        'tags: [api, crud]',
        'created: 2026-11-21T14:30:00Z',
        'git: {branch: main, commit: 4f2c1a9e, dirty: true}',
        'auto: true',
        'topic: kept last',
        '',
      ].join('\n'),
    );
  });

  it('quotes strings YAML would read as another type, so they read back the same', () => {
    const data = { id: '12345678', parent: '0e123456', name: 'yes', summary: 'a: b # c' };
    expect(load(serializeFrontMatter(data))).toEqual(data);
  });
});
