import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/quality/_sha256.js';

const node = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256Hex (the token-count cache key)', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with node:crypto at every length around the block boundaries and on random text', () => {
    for (let n = 0; n < 300; n++) {
      const text = 'é✓x'.repeat(n).slice(0, n);
      expect(sha256Hex(text), `length ${n}`).toBe(node(text));
    }
    for (let i = 0; i < 50; i++) {
      const text = randomBytes(1 + i * 97).toString('latin1') + '🙂'.repeat(i);
      expect(sha256Hex(text)).toBe(node(text));
    }
  });

  it('agrees with node:crypto on the real corpus', () => {
    const dir = '/work/shared/corpus/docs';
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect(sha256Hex(text), name).toBe(node(text));
    }
  });
});
