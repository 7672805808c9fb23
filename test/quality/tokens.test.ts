import { describe, expect, it } from 'vitest';
import { checkHandoff } from '../../src/quality/check.js';
import { countTokens, isTokenizerLoaded, tokenUpperBound, withinTokenLimit } from '../../src/quality/tokens.js';

// Order matters in this file: the first tests prove the tokenizer is never loaded when
// the byte bound settles the question (the hot path must not pay its ~300 ms import).
describe('lazy tokenizer', () => {
  it('checks a handoff under the budget without loading the tokenizer', async () => {
    const r = await checkHandoff({ text: '# Handoff\n\n## Next Steps\n1. Run `make`\n' }, { lengthBudget: 3000 });
    expect(r.findings.some((f) => f.rule === 'length')).toBe(false);
    expect(await withinTokenLimit('short text', 100)).toBe(true);
    expect(isTokenizerLoaded()).toBe(false);
  });

  it('loads it once the byte bound exceeds the limit', async () => {
    expect(await withinTokenLimit('word '.repeat(50), 20)).toBe(false);
    expect(isTokenizerLoaded()).toBe(true);
  });
});

describe('countTokens', () => {
  const hundredWords = Array(100).fill('word').join(' ');
  it.each([
    ['empty', '', 0],
    ['two words', 'hello world', 2],
    ['a hundred words', hundredWords, 100],
  ])('counts o200k tokens of %s', async (_name, text, n) => {
    expect(await countTokens(text)).toBe(n);
  });

  it('treats special-token markers in a handoff as plain text', async () => {
    expect(await countTokens('the model printed <|endoftext|> and stopped')).toBeGreaterThan(5);
  });

  it.each(['plain ascii text', 'héllo wörld', '数据库迁移完成', '🎉 done ✅', 'x'.repeat(100)])(
    'never exceeds the byte bound for %j',
    async (text) => {
      expect(await countTokens(text)).toBeLessThanOrEqual(tokenUpperBound(text));
    },
  );

  it('answers withinTokenLimit at the exact boundary', async () => {
    expect(await withinTokenLimit(hundredWords, 100)).toBe(true);
    expect(await withinTokenLimit(hundredWords, 99)).toBe(false);
  });
});
