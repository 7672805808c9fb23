import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { describeStoreSuite } from './shared-suite.js';

describeStoreSuite('memory store', () => ({ store: createMemoryStore() }));

describe('memory store', () => {
  it('put() edits in place without a new version (like a directory mtime) and adds with one', async () => {
    const store = createMemoryStore();
    const created = await store.create('20261121-1430-a.md', 'one', 'a3f9c12e');
    const v1 = await store.version();
    const edited = store.put('20261121-1430-a.md', 'one, edited');
    expect(await store.version()).toBe(v1);
    expect(edited.mtimeMs).toBeGreaterThan(created.mtimeMs);
    expect(await store.read('20261121-1430-a.md')).toBe('one, edited');
    store.put('20261121-1431-b.md', 'two');
    expect(await store.version()).not.toBe(v1);
  });

  it('gives every store its own location, so indexes never mix', () => {
    expect(createMemoryStore().location).not.toBe(createMemoryStore().location);
  });
});
