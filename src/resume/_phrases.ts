/**
 * Phrase lists matched without building a regex: the same matches as
 * `new RegExp(phrasePattern(lists), 'iu')` (src/resume/_text.ts), found by a
 * plain scan. The regex costs 2-3 ms to compile and tier up per list
 * (`\p{L}` under `/iu` in its word-boundary lookarounds), paid at every
 * session start for a few decision lines; the scan costs microseconds.
 * test/resume/phrases.test.ts holds the two to the same answers.
 *
 * Semantics kept from the regex: phrases are tried longest first, spaced
 * ones as whole words (no letter, digit or `_` on either side), those in
 * scripts without word spaces (zh, ja, ko) as substrings after them; a space
 * in a phrase matches one or more whitespace characters; letters compare
 * with the regex's case folding (Unicode simple case folding, so `ſ` is an
 * `s` and `ᲂ` an `о`).
 */
import { codePointBefore, isSpaceCode, isWordCode } from './_chars.js';

/** Scripts written without spaces between words: their phrases match as substrings (as in `phrasePattern`). */
const NO_WORD_SPACES = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/;

/**
 * Simple case foldings (Unicode CaseFolding.txt, status C and S) of BMP
 * characters whose fold is not their `toLowerCase()`; all others fold to
 * their lower case when it is one character, else to themselves.
 */
const SPECIAL_FOLDS: ReadonlyMap<number, number> = new Map([
  [0x17f, 0x73], // ſ -> s
  [0x345, 0x3b9], // combining ypogegrammeni -> ι
  [0x3c2, 0x3c3], // ς -> σ
  [0x3d0, 0x3b2],
  [0x3d1, 0x3b8],
  [0x3d5, 0x3c6],
  [0x3d6, 0x3c0],
  [0x3f0, 0x3ba],
  [0x3f1, 0x3c1],
  [0x3f5, 0x3b5],
  [0x1c80, 0x432], // Cyrillic rounded ve -> в
  [0x1c81, 0x434],
  [0x1c82, 0x43e],
  [0x1c83, 0x441],
  [0x1c84, 0x442],
  [0x1c85, 0x442],
  [0x1c86, 0x44a],
  [0x1c87, 0x463],
  [0x1c88, 0xa64b],
  [0x1e9b, 0x1e61],
  [0x1fbe, 0x3b9],
]);

/** The case fold of UTF-16 code unit `c`, as `/iu` compares letters. */
export function foldCode(c: number): number {
  if (c < 0x80) return c >= 0x41 && c <= 0x5a ? c + 32 : c;
  const special = SPECIAL_FOLDS.get(c);
  if (special !== undefined) return special;
  const lower = String.fromCharCode(c).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : c;
}

/** A match: where it starts and how many UTF-16 code units it spans. */
export interface PhraseMatch {
  index: number;
  length: number;
}

/** Code of a space in a compiled phrase: one or more whitespace characters. */
const SPACE_RUN = -1;

/** One compiled phrase list; see the module comment. */
export class PhraseSet {
  /** Phrases in the order the regex tries them: folded code units, `SPACE_RUN` for a space. */
  private readonly phrases: { codes: number[]; word: boolean }[] = [];
  /** Index into `phrases` by the fold of the first code unit. */
  private readonly byFirst = new Map<number, number[]>();

  /** @param lists phrases, or phrases per language; the same input as `phrasePattern`. */
  constructor(lists: Readonly<Record<string, readonly string[]>> | readonly string[]) {
    const all = Array.isArray(lists) ? lists : Object.values(lists as Record<string, readonly string[]>).flat();
    const sorted = [...new Set(all)].sort((a, b) => b.length - a.length);
    const spaced = sorted.filter((p) => !NO_WORD_SPACES.test(p));
    const cjk = sorted.filter((p) => NO_WORD_SPACES.test(p));
    for (const [list, word] of [
      [spaced, true],
      [cjk, false],
    ] as const) {
      for (const p of list) {
        if (p === '') continue;
        const codes: number[] = [];
        for (let i = 0; i < p.length; i++) {
          const c = p.charCodeAt(i);
          if (c === 0x20) {
            if (codes[codes.length - 1] !== SPACE_RUN) codes.push(SPACE_RUN);
          } else codes.push(foldCode(c));
        }
        const at = this.phrases.length;
        this.phrases.push({ codes, word });
        const first = codes[0]!;
        const slot = this.byFirst.get(first);
        if (slot) slot.push(at);
        else this.byFirst.set(first, [at]);
      }
    }
  }

  /**
   * The end (exclusive) of the match starting at `pos`, as the regex would
   * take it there (the first phrase in its order that matches with its word
   * boundaries), or -1. With `accept`, the first end it accepts: what the
   * regex backtracks to when the pattern goes on after the phrases.
   */
  matchAt(text: string, pos: number, accept?: (end: number) => boolean): number {
    if (pos >= text.length) return -1;
    const candidates = this.byFirst.get(foldCode(text.charCodeAt(pos)));
    if (!candidates) return -1;
    let before: boolean | null = null;
    for (const k of candidates) {
      const p = this.phrases[k]!;
      if (p.word) {
        before ??= pos > 0 && isWordCode(codePointBefore(text, pos));
        if (before) continue;
      }
      const end = matchCodes(p.codes, text, pos);
      if (end < 0) continue;
      if (p.word && end < text.length && isWordCode(text.codePointAt(end)!)) continue;
      if (accept && !accept(end)) continue;
      return end;
    }
    return -1;
  }

  /** The leftmost match at or after `from`, as `regex.exec` finds it; null when none. */
  find(text: string, from = 0): PhraseMatch | null {
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // `/u` never starts a match inside a surrogate pair.
      if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
        const h = text.charCodeAt(i - 1);
        if (h >= 0xd800 && h <= 0xdbff) continue;
      }
      const end = this.matchAt(text, i);
      if (end >= 0) return { index: i, length: end - i };
    }
    return null;
  }

  /** True when the whole of `text` is one phrase (`^(?:phrases)$`). */
  whole(text: string): boolean {
    const candidates = text.length > 0 ? this.byFirst.get(foldCode(text.charCodeAt(0))) : undefined;
    if (!candidates) return false;
    for (const k of candidates) {
      if (matchCodes(this.phrases[k]!.codes, text, 0) === text.length) return true;
    }
    return false;
  }
}

/** End of `codes` matched at `pos` of `text`, or -1. */
function matchCodes(codes: number[], text: string, pos: number): number {
  let i = pos;
  for (const code of codes) {
    if (code === SPACE_RUN) {
      if (i >= text.length || !isSpaceCode(text.charCodeAt(i))) return -1;
      i++;
      while (i < text.length && isSpaceCode(text.charCodeAt(i))) i++;
      continue;
    }
    if (i >= text.length || foldCode(text.charCodeAt(i)) !== code) return -1;
    i++;
  }
  return i;
}
