/**
 * The one test suite every HandoffStore must pass (file store, memory store,
 * and a future PostgreSQL store), like unstorage's shared driver tests.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError, StoreError } from '../../src/errors.js';
import type { HandoffStore } from '../../src/store/types.js';

/** A fresh, empty store and how to dispose of it. */
export interface StoreFixture {
  store: HandoffStore;
  cleanup?: () => void | Promise<void>;
}

const KEY = '20261121-1430-todo-api-state.md';
const TEXT = '---\nid: a3f9c12e\ncreated: 2026-11-21T14:30:00Z\n---\n## Next Steps\n1. Finish PATCH /tasks/:id\n';

/** Registers the shared store tests under `describe(name)`. `factory` is called once per test. */
export function describeStoreSuite(name: string, factory: () => StoreFixture | Promise<StoreFixture>): void {
  describe(`${name}: shared store suite`, () => {
    let fixture: StoreFixture;
    let store: HandoffStore;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup?.();
    });

    it('starts empty, with no version until the first write', async () => {
      expect(await store.version()).toBeNull();
      expect(await store.list()).toEqual([]);
      expect(await store.keys()).toEqual([]);
    });

    it('reads back exactly what was created, and lists it with its byte size', async () => {
      const text = `${TEXT}- Café ☕ 交接\r\n`;
      const entry = await store.create(KEY, text, 'a3f9c12e');
      expect(entry.key).toBe(KEY);
      expect(entry.size).toBe(Buffer.byteLength(text, 'utf8'));
      expect(await store.read(KEY)).toBe(text);
      expect(await store.keys()).toEqual([KEY]);
      const [listed] = await store.list();
      expect(listed).toMatchObject({ key: KEY, size: entry.size });
      expect(listed?.mtimeMs).toBeGreaterThan(0);
      expect(await store.stat(KEY)).toEqual(listed);
    });

    it('never overwrites: a clash gets <stem>-<suffix>.md and both texts survive', async () => {
      await store.create(KEY, 'first', 'aaaaaaaa');
      const second = await store.create(KEY, 'second', 'bbbbbbbb');
      expect(second.key).toBe('20261121-1430-todo-api-state-bbbbbbbb.md');
      expect(await store.read(KEY)).toBe('first');
      expect(await store.read(second.key)).toBe('second');
      expect((await store.keys()).sort()).toEqual([KEY, second.key].sort());
    });

    it('fails with StoreError when both names are taken, changing nothing', async () => {
      await store.create(KEY, 'first', 'aaaaaaaa');
      await store.create(KEY, 'second', 'bbbbbbbb');
      await expect(store.create(KEY, 'third', 'bbbbbbbb')).rejects.toThrow(StoreError);
      expect(await store.read(KEY)).toBe('first');
      expect(await store.keys()).toHaveLength(2);
    });

    it('changes its version when a handoff is added and when one is removed', async () => {
      await store.create(KEY, TEXT, 'a3f9c12e');
      const afterAdd = await store.version();
      expect(afterAdd).not.toBeNull();
      const other = await store.create('20261121-1431-other.md', TEXT, 'b3f9c12e');
      const afterSecondAdd = await store.version();
      expect(afterSecondAdd).not.toBe(afterAdd);
      await store.remove(other.key);
      expect(await store.version()).not.toBe(afterSecondAdd);
    });

    it('removes a handoff; reading or removing it again is NotFoundError', async () => {
      await store.create(KEY, TEXT, 'a3f9c12e');
      await store.remove(KEY);
      expect(await store.keys()).toEqual([]);
      expect(await store.stat(KEY)).toBeNull();
      await expect(store.read(KEY)).rejects.toThrow(NotFoundError);
      await expect(store.remove(KEY)).rejects.toThrow(NotFoundError);
    });

    it('reports a missing key as NotFoundError on read and null on stat', async () => {
      await expect(store.read('20990101-0000-nothing.md')).rejects.toThrow(NotFoundError);
      expect(await store.stat('20990101-0000-nothing.md')).toBeNull();
    });

    it.each([
      ['../escape.md'],
      ['sub/dir.md'],
      ['back\\slash.md'],
      ['.hidden.md'],
      ['README.md'],
      ['notes.txt'],
      ['bad\u0007bell.md'],
      [''],
    ])('rejects the unsafe or non-handoff key %j with InvalidInputError', async (key) => {
      await expect(store.create(key, TEXT, 'a3f9c12e')).rejects.toThrow(InvalidInputError);
      await expect(store.read(key)).rejects.toThrow(InvalidInputError);
      expect(await store.keys()).toEqual([]);
    });

    it('rejects a suffix that could change the path', async () => {
      await expect(store.create(KEY, TEXT, '../x')).rejects.toThrow(InvalidInputError);
    });

    it('keeps every handoff when many writers race for the same name', async () => {
      const suffixes = Array.from({ length: 12 }, (_, i) => `${i}`.padStart(8, 'c'));
      const entries = await Promise.all(suffixes.map((s) => store.create(KEY, `text ${s}`, s)));
      expect(new Set(entries.map((e) => e.key)).size).toBe(12);
      expect(await store.keys()).toHaveLength(12);
      for (const [i, e] of entries.entries()) expect(await store.read(e.key)).toBe(`text ${suffixes[i]}`);
    });
  });
}
