import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { RATIONALE_HEADERS, RATIONALE_LABELS } from '../../src/quality/lexicon.js';
import { foldCode, PhraseSet } from '../../src/resume/_phrases.js';
import { phrasePattern } from '../../src/resume/_text.js';
import { rationaleLabelLength } from '../../src/resume/decisions.js';
import { ALTERNATIVE_MARKERS, REASON_WORDS, REVERSAL_WORDS } from '../../src/resume/decision-words.js';
import { CORPUS, corpus } from './_fixtures.js';

const LISTS = { REASON_WORDS, ALTERNATIVE_MARKERS, REVERSAL_WORDS, RATIONALE_LABELS, RATIONALE_HEADERS };
const flat = (l: Readonly<Record<string, readonly string[]>> | readonly string[]) =>
  (Array.isArray(l) ? l : Object.values(l).flat()) as string[];

/** Lines of every corpus document plus hand-made hard cases around each phrase. */
function samples(): string[] {
  const out: string[] = [];
  for (const f of readdirSync(CORPUS)) out.push(...corpus(f).split('\n'));
  const around = ['', ' ', 'x', '_', '9', 'é', 'ᲂ', '日', '—', '.', '*', '😀', '𝐀', '\u00a0', '\n'];
  for (const list of Object.values(LISTS)) {
    for (const p of flat(list)) {
      const variants = [p, p.toUpperCase(), p.replace(/ /g, ' \t '), p.replace(/s/g, 'ſ'), p.replace(/о/g, 'ᲂ')];
      for (const v of variants) for (const a of around) out.push(`${a}${v} tail`, `head ${v}${a}`, `${a}${v}${a}`);
      out.push(`**${p}:** why`, `- ${p}: x`, `__${p}__: y`, `* _${p}_ ： z`, `${p}x: no`, `  + ${p} :`, `${p}`);
    }
  }
  return out;
}

describe('PhraseSet', () => {
  test('the lists are what the scan assumes: phrases start with a letter, single spaces inside only', () => {
    for (const [name, list] of Object.entries(LISTS)) {
      for (const p of flat(list)) {
        expect(/^\p{L}/u.test(p), `${name}: ${p}`).toBe(true);
        expect(p === p.trim() && !p.includes('  ') && !/[^\S ]/u.test(p), `${name}: ${p}`).toBe(true);
      }
    }
  });

  test('each phrase character folds together with exactly the characters /iu matches it with', () => {
    let all = '';
    for (let cp = 0x10000; cp <= 0x10ffff; cp++) all += String.fromCodePoint(cp);
    const chars = new Set(Object.values(LISTS).flatMap((l) => flat(l).flatMap((p) => [...p])));
    chars.delete(' ');
    for (const c of chars) {
      const re = new RegExp(`^${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'iu');
      const f = foldCode(c.charCodeAt(0));
      for (let x = 0; x < 0x10000; x++) {
        if (x >= 0xd800 && x <= 0xdfff) continue;
        if ((foldCode(x) === f) !== re.test(String.fromCharCode(x))) {
          expect.fail(`${c} vs U+${x.toString(16)}`);
        }
      }
      expect(new RegExp(c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu').test(all), c).toBe(false);
    }
  });

  test('finds what the phrasePattern regex finds, where it finds it', () => {
    const lines = samples();
    for (const [name, list] of Object.entries(LISTS)) {
      const re = new RegExp(phrasePattern(list), 'iu');
      const whole = new RegExp(`^(?:${phrasePattern(list)})$`, 'iu');
      const set = new PhraseSet(list);
      const bad: string[] = [];
      for (const line of lines) {
        const m = re.exec(line);
        const got = set.find(line);
        const want = m ? { index: m.index, length: m[0].length } : null;
        if (got?.index !== want?.index || got?.length !== want?.length) bad.push(`${name}: ${JSON.stringify(line)}`);
        if (set.whole(line) !== whole.test(line)) bad.push(`${name} whole: ${JSON.stringify(line)}`);
      }
      expect(bad).toEqual([]);
      for (const p of flat(list)) {
        for (const v of [p, p.toUpperCase(), p.toLowerCase()]) expect(set.whole(v), v).toBe(whole.test(v));
      }
    }
  });

  test('rationaleLabelLength reads the labels the regex reads, to the same length', () => {
    const re = new RegExp(
      `^\\s*(?:[-*+]\\s+)?[*_]*(?:${phrasePattern(RATIONALE_LABELS)})[*_]*\\s*[:：][*_]*\\s*`,
      'iu',
    );
    const bad = samples().filter((line) => {
      const m = re.exec(line);
      return rationaleLabelLength(line) !== (m ? m[0].length : -1);
    });
    expect(bad).toEqual([]);
  });
});
