import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { buildResume } from '../../src/resume/resume.js';
import { extractDecisions as extractWith, needsRationaleWords } from '../../src/resume/decision-extract.js';
import { extractDecisions } from '../../src/resume/decisions.js';
import { CORPUS, corpus, daysFromNow, makeWorld, type World, withFrontMatter, writeFiles } from './_fixtures.js';

describe('extractDecisions without the lexicon', () => {
  test('one-line items need no rationale words and read the same as with them', () => {
    const text = '- PostgreSQL over SQLite — row locks\n- Rust-only rewrite because the C API is gone\n\n- None\n';
    expect(needsRationaleWords(text)).toBe(false);
    expect(extractWith(text, null)).toEqual(extractDecisions(text));
    expect(extractWith(text, null).map((d) => d.rationale)).toEqual(['row locks', 'the C API is gone']);
  });

  test('labels, tables, sub-headings and paragraphs call for the rationale words', () => {
    for (const text of [
      '- Use SQLite\n  - Why: one file',
      '| Decision | Rationale |\n|---|---|\n| SQLite | one file |',
      '### Storage\nSQLite.\n**Rationale:** one file',
      'We keep SQLite. Why: one file.',
    ]) {
      expect(needsRationaleWords(text), text).toBe(true);
      expect(() => extractWith(text, null), text).toThrow(/rationale words/);
    }
  });

  test('every corpus section that needs no rationale words reads the same without them', () => {
    for (const f of readdirSync(CORPUS)) {
      for (const section of corpus(f).split(/\n(?=## )/)) {
        const body = section.replace(/^## .*\n/, '');
        if (!needsRationaleWords(body)) expect(extractWith(body, null), f).toEqual(extractDecisions(body));
      }
    }
  });
});

describe('resume reads rationale labels when decisions need them', () => {
  let w: World;
  afterEach(() => w.cleanup());

  test('a `Why:` line under a decision becomes its one-line rationale', async () => {
    w = makeWorld();
    const body = [
      '# Storage',
      '',
      '## Decisions',
      '- Use SQLite for the cache',
      '  - **Why:** one file, no server',
      '- Keep JSON for exports',
      '',
      '## Next Steps',
      '1. Ship it',
      '',
    ].join('\n');
    writeFiles(w.storeDir, {
      '20261120-1000-storage.md': withFrontMatter(
        { id: 'c0de0001', created: daysFromNow(-1), project: 'todo-api', agent: 'claude-code' },
        body,
      ),
    });
    const r = await buildResume(await w.open());
    expect(r.decisions).toEqual(['Use SQLite for the cache — one file, no server', 'Keep JSON for exports']);
  });
});
