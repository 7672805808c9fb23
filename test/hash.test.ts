import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hash64 } from '../src/_hash.js';
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
