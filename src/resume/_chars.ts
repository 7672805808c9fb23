/**
 * Character classes of the resume hot path without Unicode property regexes.
 *
 * V8 builds a regex with `\p{L}` slowly (its case closure under `/iu`
 * especially): about 0.5 ms per copy to compile and again to tier up to
 * machine code, 2-3 ms per regex under `/iu`, and a session-start prompt used
 * a dozen of them. Here the scripts handoffs are written in (ASCII, Latin,
 * Greek, Cyrillic, CJK, kana, Hangul, common punctuation and symbols) are
 * answered from range tables; any other code point asks the regex, compiled
 * on first need. The answers are exactly the regexes' answers:
 * test/resume/chars.test.ts checks every code point of every table against
 * the running Node's regexes.
 */

/**
 * Sorted, disjoint [first, last] code point ranges where every code
 * point is a letter (`\p{L}`), so also not a number, not whitespace, and a
 * word character for `[\p{L}\p{N}_]` under `/iu`.
 */
export const LETTER_RANGES: readonly (readonly [number, number])[] = [
  [0xc0, 0xd6],
  [0xd8, 0xf6],
  [0xf8, 0x2c1],
  [0x38e, 0x3a1],
  [0x3a3, 0x3f5],
  [0x400, 0x481],
  [0x48a, 0x52f],
  [0x3041, 0x3096],
  [0x30a1, 0x30fa],
  [0x30fc, 0x30ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xac00, 0xd7a3],
  [0xff21, 0xff3a],
  [0xff41, 0xff5a],
];

/**
 * Ranges where no code point is a letter, a number, whitespace, a format
 * character (`\p{Cf}`) or a control character: punctuation and symbols.
 */
export const OTHER_RANGES: readonly (readonly [number, number])[] = [
  [0xa1, 0xa9],
  [0xae, 0xb1],
  [0x2010, 0x2027],
  [0x2030, 0x205e],
  [0x2190, 0x23ff],
  [0x2500, 0x2775],
  [0x2794, 0x27bf],
  [0x3001, 0x3004],
  [0x3008, 0x3020],
  [0xff01, 0xff0f],
  [0xff1a, 0xff20],
  [0xff3b, 0xff40],
  [0xff5b, 0xff65],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f900, 0x1f9ff],
];

function inRanges(cp: number, ranges: readonly (readonly [number, number])[]): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (cp < r[0]) hi = mid - 1;
    else if (cp > r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Classes of `charClass`. */
export const LETTER = 0;
export const NUMBER = 1;
export const SPACE = 2;
export const OTHER = 3;
/** `LETTER`, `NUMBER`, `SPACE` or `OTHER`. */
export type CharClass = 0 | 1 | 2 | 3;

let classRe: RegExp | null = null;
let wordRe: RegExp | null = null;

/** True for JavaScript's `\s` (WhiteSpace and LineTerminator of ECMA-262). */
export function isSpaceCode(cp: number): boolean {
  if (cp < 0x80) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d);
  return (
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000 ||
    cp === 0xfeff
  );
}

/** The class of code point `cp` as `\p{L}`, `\p{N}` and `\s` (with `/u`) see it. */
export function charClass(cp: number): CharClass {
  if (cp < 0x80) {
    if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a)) return LETTER;
    if (cp >= 0x30 && cp <= 0x39) return NUMBER;
    return isSpaceCode(cp) ? SPACE : OTHER;
  }
  if (isSpaceCode(cp)) return SPACE;
  if (inRanges(cp, LETTER_RANGES)) return LETTER;
  if (inRanges(cp, OTHER_RANGES)) return OTHER;
  classRe ??= /(\p{L})|(\p{N})/u;
  const m = classRe.exec(String.fromCodePoint(cp));
  if (!m) return OTHER;
  return m[1] !== undefined ? LETTER : NUMBER;
}

/** True when `cp` is in `[\p{L}\p{N}_]` compiled with `/iu` (the word boundary of phrase matching). */
export function isWordCode(cp: number): boolean {
  if (cp < 0x80) {
    return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x30 && cp <= 0x39) || cp === 0x5f;
  }
  if (inRanges(cp, LETTER_RANGES)) return true;
  if (inRanges(cp, OTHER_RANGES) || isSpaceCode(cp)) return false;
  wordRe ??= /[\p{L}\p{N}_]/iu;
  return wordRe.test(String.fromCodePoint(cp));
}

/** The code point that ends just before `i` in `s` (a surrogate pair read whole), or -1 at the start. */
export function codePointBefore(s: string, i: number): number {
  if (i <= 0) return -1;
  const lo = s.charCodeAt(i - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && i >= 2) {
    const hi = s.charCodeAt(i - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return (hi - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
  }
  return lo;
}

/**
 * True when the code unit `c` can be left as is by `sanitizeText`'s removal
 * of invisible characters: printable ASCII, tab, line feed, carriage return,
 * or a code point of the letter and symbol tables above (none is a format or
 * control character). False means "maybe": ask the regex.
 */
export function isPlainVisibleCode(c: number): boolean {
  if (c < 0x80) return c >= 0x20 ? c !== 0x7f : c === 0x09 || c === 0x0a || c === 0x0d;
  return c < 0x10000 && (inRanges(c, LETTER_RANGES) || inRanges(c, OTHER_RANGES));
}
