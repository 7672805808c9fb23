/**
 * What `check` and `store` load on the way: the token-count cache that spares
 * them the tokenizer (~150 ms to import) on a body counted before, the
 * pre-check that spares them secretlint on a text without credentials, and
 * the phrase patterns behind the label rules (one shared word boundary, cheap
 * to compile, same matches).
 */
import { hash64 } from '../../src/_hash.js';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { phrasePattern, phraseRegex } from '../../src/quality/lexicon.js';
import { findSecrets } from '../../src/quality/secrets.js';
import { countTokens, countTokensCached, pruneTokenCache } from '../../src/quality/tokens.js';
import { mayContainSecret } from '../../src/service/_secret-guard.js';
import { CASES, HEX, r } from './_fake-credentials.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const key = (text: string) => hash64(text);

/** A handoff whose body is over the 3,000-byte budget, so `length` must count tokens. */
const LONG = [
  '# Handoff: billing retries',
  '',
  '## Accomplished',
  ...Array.from(
    { length: 60 },
    (_, i) => `- Moved retry step ${i} into \`src/billing/retry-${i}.ts\` and added a test.`,
  ),
  '',
  '## Decisions',
  '- Exponential backoff over fixed delays — the gateway rate-limits bursts.',
  '',
  '## In Progress',
  '- `src/billing/queue.ts`: dead-letter handling works, alerting not wired.',
  '',
  '## Deferred',
  '- Multi-currency refunds: waiting on finance.',
  '',
  '## Next Steps',
  '1. Run `npm test -- billing` and fix the flaky `retry.test.ts`.',
  '',
].join('\n');

describe('countTokensCached', () => {
  it.each([
    ['English', 'The quick brown fox jumps over the lazy dog. '.repeat(40)],
    ['CJK and emoji', '数据库迁移完成 ✅ テスト通過 🎉 '.repeat(30)],
    ['a special-token marker', 'the model printed <|endoftext|> and stopped'],
  ])('counts %s like countTokens and keeps the count under tokens/<hash64>', async (_name, text) => {
    const n = await countTokensCached(text, dir);
    expect(n).toBe(await countTokens(text));
    expect(readFileSync(join(dir, 'tokens', key(text)), 'utf8')).toBe(`${n}\n`);
    expect(await countTokensCached(text, dir)).toBe(n);
  });

  it('returns 0 for an empty text without writing anything', async () => {
    expect(await countTokensCached('', dir)).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['garbage', 'not a number'],
    ['a negative count', '-5\n'],
    ['a truncated write', ''],
    ['a huge file', '9'.repeat(100_000)],
  ])('ignores and rewrites an entry holding %s', async (_name, content) => {
    const text = 'hello world, counted twice';
    const file = join(dir, 'tokens', key(text));
    await countTokensCached(text, dir);
    writeFileSync(file, content);
    expect(await countTokensCached(text, dir)).toBe(await countTokens(text));
    expect(readFileSync(file, 'utf8')).toBe(`${await countTokens(text)}\n`);
  });

  it('still counts when the cache directory cannot be created', async () => {
    // A regular file where a directory should be: fails even for root, unlike chmod.
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, '');
    expect(await countTokensCached('some text to count', join(blocker, 'cache'))).toBe(
      await countTokens('some text to count'),
    );
  });

  it('leaves no temporary files behind', async () => {
    await Promise.all(['a b c', 'a b c', 'd e f'].map((t) => countTokensCached(t, dir)));
    expect(readdirSync(join(dir, 'tokens')).sort()).toEqual([key('a b c'), key('d e f')].sort());
  });
});

describe('pruneTokenCache', () => {
  it('keeps the newest entries, and leaves temporary files and other names alone', () => {
    const tokens = join(dir, 'tokens');
    mkdirSync(tokens);
    const names = Array.from({ length: 10 }, (_, i) => key(`text ${i}`));
    names.forEach((name, i) => {
      writeFileSync(join(tokens, name), `${i}\n`);
      const t = 1_700_000_000 + i * 60;
      utimesSync(join(tokens, name), t, t);
    });
    writeFileSync(join(tokens, `${names[0]}.123.abc.tmp`), '');
    writeFileSync(join(tokens, 'README'), '');
    expect(pruneTokenCache(dir, 4)).toBe(6);
    expect(readdirSync(tokens).sort()).toEqual([...names.slice(6), `${names[0]}.123.abc.tmp`, 'README'].sort());
    expect(pruneTokenCache(dir, 4)).toBe(0);
  });

  it('does nothing without a cache directory', () => {
    expect(pruneTokenCache(join(dir, 'missing'), 1)).toBe(0);
  });

  it('runs when a new entry is one of the ~1 in 256 whose key starts with 00', async () => {
    const tokens = join(dir, 'tokens');
    mkdirSync(tokens);
    for (let i = 0; i < 2100; i++) {
      const file = join(tokens, key(`old ${i}`));
      writeFileSync(file, '1\n');
      utimesSync(file, 1_700_000_000, 1_700_000_000);
    }
    let text = '';
    for (let i = 0; !text; i++) if (key(`new ${i}`).startsWith('00')) text = `new ${i}`;
    await countTokensCached(text, dir);
    expect(readdirSync(tokens)).toHaveLength(2048);
    expect(readdirSync(tokens)).toContain(key(text));
  });
});

describe('check with a cache directory', () => {
  it('reports the same length finding, and a second check of the text does not load the tokenizer', async () => {
    vi.resetModules();
    const first = await import('../../src/quality/check.js');
    const withCache = await first.checkHandoff({ text: LONG }, { lengthBudget: 500, cacheDir: dir });
    const without = await first.checkHandoff({ text: LONG }, { lengthBudget: 500 });
    expect(withCache).toEqual(without);
    expect(withCache.findings.some((f) => f.rule === 'length')).toBe(true);

    // A new process, in effect: fresh module instances, the tokenizer not loaded yet.
    vi.resetModules();
    const { checkHandoff } = await import('../../src/quality/check.js');
    const tokens = await import('../../src/quality/tokens.js');
    expect(tokens.isTokenizerLoaded()).toBe(false);
    const again = await checkHandoff({ text: LONG }, { lengthBudget: 500, cacheDir: dir });
    expect(again).toEqual(without);
    expect(tokens.isTokenizerLoaded()).toBe(false);
  });

  it('loads the tokenizer for a body it has not counted before', async () => {
    vi.resetModules();
    const { checkHandoff } = await import('../../src/quality/check.js');
    const tokens = await import('../../src/quality/tokens.js');
    await checkHandoff({ text: `${LONG}\nOne more line.\n` }, { cacheDir: dir });
    expect(tokens.isTokenizerLoaded()).toBe(true);
  });
});

describe('secret rule pre-check', () => {
  it('checks a handoff without credentials without loading secretlint', async () => {
    vi.resetModules();
    const { checkHandoff } = await import('../../src/quality/check.js');
    const secrets = await import('../../src/quality/secrets.js');
    const result = await checkHandoff({ text: LONG });
    expect(result.findings.filter((f) => f.rule === 'secret')).toEqual([]);
    expect(secrets.isSecretlintLoaded()).toBe(false);
  });

  it.each(CASES)('finds a %s exactly as the full scan does', async (_name, line) => {
    const text = `## Environment\n\nSet up on the staging box:\n${line}\nThen restart.\n`;
    expect(await findSecrets(text, { prefilter: mayContainSecret })).toEqual(await findSecrets(text));
  });

  it('still reports a credential the pre-check does not see (our detectors always run)', async () => {
    const key = `${r(32, HEX)}-us12`; // Mailchimp: lower-case hex, no keyword
    const text = `## Environment\n\nmarketing list synced with ${key} yesterday\n`;
    expect(mayContainSecret(text)).toBe(false);
    const found = await findSecrets(text, { prefilter: mayContainSecret });
    expect(found.map((f) => f.kind)).toEqual(['Mailchimp API key']);
    expect(found).toEqual(await findSecrets(text));
  });
});

describe('phrasePattern', () => {
  const re = (phrases: string[]) => phraseRegex(phrases);

  it('matches whole words, case-insensitively, any whitespace inside a phrase', () => {
    expect(re(['so that']).test('We did it SO\n  THAT it works')).toBe(true);
    expect(re(['over']).test('X over Y')).toBe(true);
    expect(re(['over']).test('overhead and moreover')).toBe(false);
    expect(re(['why']).test('why_not')).toBe(false);
  });

  it('matches CJK phrases as substrings', () => {
    expect(re(['因为']).test('改用SQLite因为单用户')).toBe(true);
  });

  it('puts the boundary only on the word side of a phrase that starts or ends with punctuation', () => {
    expect(re(['etc.']).test('apples, pears, etc.and more')).toBe(true);
    expect(re(['etc.']).test('etcetera.')).toBe(false);
    expect(re(['-x']).test('a-x')).toBe(true);
    expect(re(['-x']).test('a -xy')).toBe(false);
  });

  it('never matches for an empty list', () => {
    expect(new RegExp(phrasePattern([]), 'iu').test('anything')).toBe(false);
  });

  it('shares one boundary between all word phrases', () => {
    const source = phrasePattern(['because', 'since', 'so that', 'given']);
    expect(source.match(/\\p\{L\}/g)).toHaveLength(2);
  });
});
