import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hash64, setDigest, updateSetDigest } from '../src/_hash.js';
import { CORPUS } from './cli/_cli.js';

describe('hash64', () => {
  it('gives 16 hex digits, the same for the same text', () => {
    expect(hash64('docs/session_handoffs')).toMatch(/^[0-9a-f]{16}$/);
    expect(hash64('docs/session_handoffs')).toBe(hash64('docs/session_handoffs'));
    expect(hash64('')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('tells apart texts that differ in one character, and every real handoff', () => {
    const dir = join(CORPUS, 'docs');
    const texts = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    const variants = texts.flatMap((t) => [t, `${t} `, t.slice(1), t.replace(/e/, 'E')]);
    const unique = new Set(variants);
    expect(new Set(variants.map(hash64)).size).toBe(unique.size);
    expect(unique.size).toBeGreaterThan(600);
  });

  it('hashes UTF-16 code units: astral and combining text differ from look-alikes', () => {
    expect(hash64('é')).not.toBe(hash64('e\u0301'));
    expect(hash64('😀')).not.toBe(hash64('\ud83d'));
  });
});

describe('setDigest', () => {
  const keys = ['20261121-1430-auth.md', '20261121-1431-auth.md', 'HANDOFF.md', 'notes.yaml'];

  it('does not depend on order, and changes with any member', () => {
    expect(setDigest(keys)).toBe(setDigest([...keys].reverse()));
    expect(setDigest(keys)).toMatch(/^4:[0-9a-f]{16}$/);
    expect(setDigest(keys.slice(1))).not.toBe(setDigest(keys));
    expect(setDigest([...keys.slice(1), '20261121-1430-auth.markdown'])).not.toBe(setDigest(keys));
    expect(setDigest([])).toBe('0:0000000000000000');
  });

  it('is kept up to date one member at a time', () => {
    let d = setDigest(keys.slice(0, 2));
    d = updateSetDigest(d, keys[2] as string, 1);
    d = updateSetDigest(d, keys[3] as string, 1);
    expect(d).toBe(setDigest(keys));
    d = updateSetDigest(d, keys[0] as string, -1);
    expect(d).toBe(setDigest(keys.slice(1)));
  });

  it('refuses text that is not a digest', () => {
    expect(() => updateSetDigest('nope', 'a.md', 1)).toThrow(/not a set digest/);
  });
});
