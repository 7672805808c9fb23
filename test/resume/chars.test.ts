import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  charClass,
  isPlainVisibleCode,
  isSpaceCode,
  isWordCode,
  LETTER,
  LETTER_RANGES,
  NUMBER,
  OTHER,
  OTHER_RANGES,
  SPACE,
} from '../../src/resume/_chars.js';
import { estimateTokens } from '../../src/resume/_text.js';
import { CORPUS, corpus } from './_fixtures.js';

// The regexes the tables stand in for.
const L = /^\p{L}$/u;
const N = /^\p{N}$/u;
const S = /^\s$/u;
const WORD = /^[\p{L}\p{N}_]$/iu;
// Built from parts, as src/resume/_text.ts builds it: Biome rejects these ranges in a literal.
const INVISIBLE = new RegExp(
  `^[${['\\p{Cf}', '\\u{E0100}-\\u{E01EF}', '\\u115F\\u1160\\u3164\\uFFA0', '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F'].join('')}]$`,
  'u',
);

function regexClass(ch: string): number {
  if (L.test(ch)) return LETTER;
  if (N.test(ch)) return NUMBER;
  if (S.test(ch)) return SPACE;
  return OTHER;
}

/** The estimate as it was written before the scan: the reference the scan must equal. */
function regexEstimate(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/[A-Za-z]+|\p{L}+|\p{N}{1,3}|[^\s\p{L}\p{N}]+|\s+/gu)) {
    const c = m[0];
    const ch = c.charCodeAt(0);
    if (ch <= 32 || /^\s/.test(c)) {
      if (c.length > 1 || c !== ' ') n += 1;
    } else if ((ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122)) {
      n += Math.ceil(c.length / 4);
    } else if (/^\p{N}/u.test(c)) {
      n += 1;
    } else if (/^\p{L}/u.test(c)) {
      n += Math.ceil(Buffer.byteLength(c) / 3);
    } else {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII range test
      n += /^[\x00-\x7f]+$/.test(c) ? Math.ceil(c.length / 2) : Math.ceil(Buffer.byteLength(c) / 2);
    }
  }
  return n;
}

describe('character tables', () => {
  test('every letter range is letters only; every other range holds no letter, digit, space, format or control character', () => {
    for (const [a, b] of LETTER_RANGES) {
      for (let cp = a; cp <= b; cp++) {
        const ch = String.fromCodePoint(cp);
        expect(L.test(ch) && WORD.test(ch) && !N.test(ch) && !S.test(ch), cp.toString(16)).toBe(true);
      }
    }
    for (const [a, b] of OTHER_RANGES) {
      for (let cp = a; cp <= b; cp++) {
        const ch = String.fromCodePoint(cp);
        expect(L.test(ch) || N.test(ch) || S.test(ch) || WORD.test(ch) || INVISIBLE.test(ch), cp.toString(16)).toBe(
          false,
        );
      }
    }
  });

  test('charClass, isSpaceCode and isWordCode answer as the regexes for every code point', () => {
    const bad: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (charClass(cp) !== regexClass(ch)) bad.push(`class ${cp.toString(16)}`);
      if (isSpaceCode(cp) !== S.test(ch)) bad.push(`space ${cp.toString(16)}`);
      if (isWordCode(cp) !== WORD.test(ch)) bad.push(`word ${cp.toString(16)}`);
      if (cp <= 0xffff && isPlainVisibleCode(cp) && INVISIBLE.test(ch)) bad.push(`visible ${cp.toString(16)}`);
      if (bad.length > 10) break;
    }
    expect(bad).toEqual([]);
  });
});

describe('estimateTokens (scan)', () => {
  test('equals the regex split on every corpus document', () => {
    const files = readdirSync(CORPUS);
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const text = corpus(f);
      expect(estimateTokens(text), f).toBe(regexEstimate(text));
    }
  });

  test('equals the regex split on mixed scripts, digits, emoji, controls and lone surrogates', () => {
    const samples = [
      '',
      ' ',
      '  ',
      '\t',
      'café au lait',
      'Straße ẞ ſ K',
      'Ελληνικά και 123456 ٣٤٥ ⅫⅢ',
      'Приветмир, ещё раз',
      '日本語のテキスト、カタカナ。한국어 텍스트',
      '𠀀𠀁 𝐀𝐁𝐂 😀😀 👩‍💻 ✅ — “quotes” …',
      '\u0001\u0002abc\u0007!!',
      'x\uD800y\uDC00z',
      'a_b-c.d/e:f;g=h+i',
      '१२३४ ๑๒๓ 12345678',
      'ab\u00a0\u2003cd\u3000ef\ufeff',
      'mixedÉcoleUPPER lower ÀÉÎÕÜ',
    ];
    for (const s of samples) expect(estimateTokens(s), JSON.stringify(s)).toBe(regexEstimate(s));
    // Every BMP code point once, in runs of 64: each class boundary and fallback path.
    for (let a = 0; a < 0x10000; a += 64) {
      let s = '';
      for (let cp = a; cp < a + 64; cp++) s += String.fromCharCode(cp);
      expect(estimateTokens(s), a.toString(16)).toBe(regexEstimate(s));
    }
  });
});
