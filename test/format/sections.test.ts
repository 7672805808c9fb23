import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalSection, isSectionName, normalizeHeading, SYNONYMS_BY_LANGUAGE } from '../../src/format/index.js';
import { parseHandoff } from '../../src/format/parse.js';
import { COMPILED_SYNONYMS } from '../../src/format/_synonyms-compiled.js';
import {
  compileSynonyms,
  matchNormalizedHeading,
  normalizeHeadingFully,
  packSynonyms,
  unpackSynonyms,
} from '../../src/format/sections.js';

describe('canonicalSection', () => {
  it.each([
    // the headings design.md and the issue name
    ['What We Accomplished Today', 'accomplished'],
    ['Completed', 'accomplished'],
    ['Key Decisions', 'decisions'],
    ['Current State', 'in_progress'],
    ['Status', 'in_progress'],
    ['Where things stand', 'in_progress'],
    ['Blockers / Open Questions', 'blocked'],
    ['Warnings / Gotchas', 'gotchas'],
    ['Key Files Modified', 'files'],
    ['Immediate Next Steps (Priority Order)', 'next_steps'],
    ['Session Metrics', 'metrics'],
    ['Lessons Learned', 'lessons'],
    ['Environment', 'environment'],
    ['Deferred', 'deferred'],
    ['Context', 'context'],
  ] as const)('%s -> %s', (heading, expected) => {
    expect(canonicalSection(heading)).toBe(expected);
  });

  it.each([
    ['1. ACCOMPLISHED', 'accomplished'],
    ['2) Next Steps', 'next_steps'],
    ['Step 3: Decisions Made', 'decisions'],
    ['IV. Known Issues', 'gotchas'],
    ['Phase 2 — Blockers', 'blocked'],
    ['## ✅ **What Was Done** (2026-05-01)', 'accomplished'],
    ['🚧 `In Progress`', 'in_progress'],
    ["What's Next", 'next_steps'],
    ['WHATS NEXT?', 'next_steps'],
    ['Task(s)', 'next_steps'],
  ] as const)('ignores numbering, emoji, emphasis and punctuation: %s -> %s', (heading, expected) => {
    expect(canonicalSection(heading)).toBe(expected);
  });

  it.each([
    ['已完成的工作', 'accomplished'],
    ['未完成的工作', 'in_progress'],
    ['关键技术决策', 'decisions'],
    ['下一步（按优先级）', 'next_steps'],
    ['注意事项', 'gotchas'],
    ['现在的状态', 'in_progress'],
    ['현재 상태', 'in_progress'],
    ['다음 단계', 'next_steps'],
    ['미완료 작업', 'in_progress'],
    ['次のステップ', 'next_steps'],
    ['決定事項', 'decisions'],
    ['Следующие шаги', 'next_steps'],
    ['Ключевые решения', 'decisions'],
    ['Próximos passos', 'next_steps'],
    ['Proximos passos', 'next_steps'],
    ['Nächste Schritte', 'next_steps'],
    ['Architekturentscheidungen', 'decisions'],
    ['Prossimi passi', 'next_steps'],
    ['Próximos pasos', 'next_steps'],
    ['Sonraki adımlar', 'next_steps'],
    ['Langkah selanjutnya', 'next_steps'],
  ] as const)('maps other languages: %s -> %s', (heading, expected) => {
    expect(canonicalSection(heading)).toBe(expected);
  });

  it('maps YAML handoff keys', () => {
    expect(canonicalSection('done_this_session')).toBe('accomplished');
    expect(canonicalSection('now')).toBe('next_steps');
    expect(canonicalSection('next')).toBe('next_steps');
    expect(canonicalSection('decisions')).toBe('decisions');
    expect(canonicalSection('blockers')).toBe('blocked');
    expect(canonicalSection('worked')).toBe('lessons');
  });

  it('returns null for headings that name no section', () => {
    for (const heading of ['Walmart', 'Oxide Agent - Handover Note', '2026-05-30', '', '---', 'Appendix B']) {
      expect(canonicalSection(heading)).toBeNull();
    }
  });

  it('prefers the leftmost key phrase and specific phrases over generic ones', () => {
    expect(canonicalSection('Next Steps / Blockers')).toBe('next_steps');
    expect(canonicalSection('Test Status')).toBe('metrics');
    expect(canonicalSection('Git Status')).toBe('environment');
    expect(canonicalSection('Key Architecture Decisions')).toBe('decisions');
    expect(canonicalSection("What's not working")).toBe('blocked');
    expect(canonicalSection('What Still Needs To Be Done')).toBe('next_steps');
    expect(canonicalSection('Summary of Decisions')).toBe('decisions');
  });
});

describe('normalizeHeading', () => {
  it('strips what does not carry meaning', () => {
    expect(normalizeHeading('## 1. ✅ **What We Accomplished** (2026-05-01)')).toBe('what we accomplished');
    expect(normalizeHeading('Step 3: [Next Steps](#next)')).toBe('next steps');
    expect(normalizeHeading("What's   Done!!")).toBe('whats done');
    expect(normalizeHeading('二、下一步')).toBe('下一步');
  });

  it('takes its fast path for plain words only where the full path gives the same', () => {
    const headings = new Set<string>([
      'Next Steps',
      'Files of Note',
      'Part IV Results',
      'Step I',
      'Step Iv',
      'Pi',
      'P C Load',
      'Task List',
      'Day One',
      'DAY X',
      'Section C',
      'Phase Ii Done',
      'Iteration V',
      'Stepc Foo',
      'Priority Lx',
      'Chapter Civil',
    ]);
    // Every heading and bold label of the real corpus, and every table phrase, in title and upper case.
    const dir = '/work/shared/corpus/docs';
    for (const name of readdirSync(dir)) {
      for (const s of parseHandoff(readFileSync(join(dir, name), 'utf8'), { path: name }).sections) {
        headings.add(s.heading);
      }
    }
    for (const list of Object.values(SYNONYMS_BY_LANGUAGE)) {
      for (const phrases of Object.values(list)) {
        for (const p of phrases ?? []) {
          const bare = p.replace(/^[=~]/, '').replace(/^\*|\*$/g, '');
          headings.add(bare.replace(/\b\w/g, (c) => c.toUpperCase()));
          headings.add(bare.toUpperCase());
        }
      }
    }
    // Ordinal words followed by every roman-numeral letter and a few others.
    for (const w of ['step', 'phase', 'part', 'stage', 'round', 'day', 'task', 'item', 'section', 'p']) {
      for (const x of ['i', 'v', 'x', 'l', 'c', 'iv', 'xii', 'a', 'list', 'ix done']) {
        headings.add(`${w[0]!.toUpperCase()}${w.slice(1)} ${x}`);
        headings.add(`${w.toUpperCase()}${x.toUpperCase()} Next`);
      }
    }
    let fast = 0;
    for (const h of headings) {
      if (!/[A-Z]/.test(h) || !/^[A-Za-z]+(?: [A-Za-z]+)*$/.test(h)) continue;
      fast++;
      expect(normalizeHeading(h), h).toBe(normalizeHeadingFully(h));
    }
    expect(fast).toBeGreaterThan(1000);
  });
});

describe('isSectionName', () => {
  it('accepts whole section names only', () => {
    expect(isSectionName('Next Steps')).toBe(true);
    expect(isSectionName('Context')).toBe(true);
    expect(isSectionName('The next steps are unclear to me')).toBe(false);
  });
});

describe('the synonym table', () => {
  it('maps every one of its phrases to the section it is listed under (no phrase shadows another)', () => {
    const conflicts: string[] = [];
    for (const [language, list] of Object.entries(SYNONYMS_BY_LANGUAGE)) {
      for (const [section, phrases] of Object.entries(list)) {
        for (const phrase of phrases ?? []) {
          const heading = phrase.replace(/^[=~]/, '').replace(/^\*|\*$/g, '');
          const got = canonicalSection(heading);
          if (got !== section) conflicts.push(`${language} ${section}: "${phrase}" maps to ${got}`);
        }
      }
    }
    expect(conflicts).toEqual([]);
  });
});

describe('the built-in table compiled ahead of time (src/format/_synonyms-compiled.ts)', () => {
  const compiled = compileSynonyms(Object.values(SYNONYMS_BY_LANGUAGE));

  it('is what compileSynonyms makes of synonyms.ts today (else run: node scripts/compile-synonyms.mjs)', () => {
    expect(COMPILED_SYNONYMS).toStrictEqual(packSynonyms(compiled));
  });

  it('maps every heading as the compiled table does', () => {
    const unpacked = unpackSynonyms(COMPILED_SYNONYMS);
    const headings = new Set<string>(['constructor', '__proto__', 'to string', 'hasownproperty', '', 'x']);
    const dir = '/work/shared/corpus/docs';
    for (const name of readdirSync(dir)) {
      for (const s of parseHandoff(readFileSync(join(dir, name), 'utf8'), { path: name }).sections) {
        headings.add(normalizeHeading(s.heading));
      }
    }
    for (const list of Object.values(SYNONYMS_BY_LANGUAGE)) {
      for (const phrases of Object.values(list)) {
        for (const p of phrases ?? []) {
          const norm = normalizeHeading(p.replace(/^[=~]/, '').replace(/^\*|\*$/g, ''));
          headings.add(norm);
          headings.add(`${norm}s`);
          headings.add(`my ${norm} today`);
          headings.add(`x${norm}`);
        }
      }
    }
    for (const h of headings) {
      expect(matchNormalizedHeading(h, unpacked), h).toBe(matchNormalizedHeading(h, compiled));
      expect(unpacked.exact.has(h), h).toBe(compiled.exact.has(h));
    }
    expect(headings.size).toBeGreaterThan(5000);
  });
});
