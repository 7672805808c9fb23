import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import {
  assertSafeName,
  handoffFileName,
  isHandoffFileName,
  newHandoffId,
  slugify,
  withSuffix,
} from '../../src/store/naming.js';

describe('newHandoffId', () => {
  it('is 8 lowercase hex characters, different every time', () => {
    const ids = new Set(Array.from({ length: 2000 }, newHandoffId));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(ids.size).toBeGreaterThan(1995);
  });
});

describe('slugify', () => {
  it.each([
    ['todo-api state', 'todo-api-state'],
    ['Auth: JWT über Cookies!', 'auth-jwt-uber-cookies'],
    ['Straße & Smørrebrød', 'strasse-smorrebrod'],
    ['Миграция базы данных', 'migratsiya-bazy-dannykh'],
    ['Τεστ', 'test'],
    ['交接文档', 'handoff'],
    ['修复 login 页面', 'login'],
    ['   ', 'handoff'],
    ['__init__.py refactor', 'init-py-refactor'],
  ])('%j -> %j', (input, slug) => {
    expect(slugify(input)).toBe(slug);
  });

  it('cuts long text at a word boundary, at most 50 characters', () => {
    const slug = slugify(
      'Finish the PATCH validation for tasks and then write the integration tests for every endpoint',
    );
    expect(slug).toBe('finish-the-patch-validation-for-tasks-and-then');
    expect(slug.length).toBeLessThanOrEqual(50);
    expect(slugify('a'.repeat(80))).toBe('a'.repeat(50));
  });
});

describe('handoffFileName', () => {
  it('is YYYYMMDD-HHMM-<slug>.md in UTC', () => {
    expect(handoffFileName('2026-11-21T14:30:00Z', 'todo-api state')).toBe('20261121-1430-todo-api-state.md');
    expect(handoffFileName('2026-11-21T23:30:59-02:00', 'late')).toBe('20261122-0130-late.md');
  });

  it('rejects a date that is not ISO 8601', () => {
    expect(() => handoffFileName('yesterday', 'x')).toThrow(InvalidInputError);
  });
});

describe('withSuffix', () => {
  it('puts the suffix before the extension', () => {
    expect(withSuffix('20261121-1430-x.md', 'a3f9c12e')).toBe('20261121-1430-x-a3f9c12e.md');
    expect(withSuffix('notes.yaml', 'b')).toBe('notes-b.yaml');
  });
});

describe('assertSafeName', () => {
  it.each(['todo-api', 'v1.2', 'Déjà vu', 'a_b'])('accepts %j', (name) => {
    expect(() => assertSafeName(name, 'name')).not.toThrow();
  });

  it.each(['a/b', 'a\\b', '..', 'x..y', 'tab\there', 'nl\n', 'del\u007f', ''])('rejects %j', (name) => {
    expect(() => assertSafeName(name, 'project')).toThrow(InvalidInputError);
  });

  it('says what was wrong and with which value', () => {
    expect(() => assertSafeName('../etc', 'name')).toThrow(`invalid name "../etc": must not contain '/' or '\\'`);
  });
});

describe('isHandoffFileName', () => {
  it.each([
    ['a.md', true],
    ['a.MD', true],
    ['a.markdown', true],
    ['a.yaml', true],
    ['a.yml', true],
    ['README.md', false],
    ['readme.md', false],
    ['.tmp-a-1-1', false],
    ['.hidden.md', false],
    ['a.txt', false],
    ['.md', false],
  ])('%j -> %j', (name, expected) => {
    expect(isHandoffFileName(name)).toBe(expected);
  });
});
