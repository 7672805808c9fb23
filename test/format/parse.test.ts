import { describe, expect, it } from 'vitest';
import { FrontMatterError } from '../../src/errors.js';
import { parseHandoff, renderHandoff } from '../../src/format/index.js';
import type { ParsedHandoff } from '../../src/format/types.js';

/** [heading, canonical, level, line] per section. */
function outline(doc: ParsedHandoff) {
  return doc.sections.map((s) => [s.heading, s.canonical, s.level, s.line]);
}

/** Parses and checks the round trip every time: no case may lose a byte. */
function parse(text: string, path?: string): ParsedHandoff {
  const doc = parseHandoff(text, path === undefined ? {} : { path });
  expect(renderHandoff(doc)).toBe(text);
  return doc;
}

describe('parseHandoff: section boundaries', () => {
  it('splits on the repeated heading level, takes a lone top H1 as the title and keeps the preamble', () => {
    const doc = parse(
      '# Session Handoff\n\nWritten after the auth work.\n\n## Done\n- login\n\n## Next Steps\n1. tests\n',
    );
    expect(doc.title).toBe('Session Handoff');
    expect(outline(doc)).toEqual([
      ['', null, 0, 1],
      ['Done', 'accomplished', 2, 5],
      ['Next Steps', 'next_steps', 2, 8],
    ]);
    expect(doc.sections[0]?.text).toBe('# Session Handoff\n\nWritten after the auth work.\n\n');
    expect(doc.sections[1]?.text).toBe('- login\n\n');
  });

  it('keeps deeper headings inside their section', () => {
    const doc = parse('## Decisions\n### Storage\nPostgreSQL — row locks\n### Auth\nJWT\n## Next Steps\n1. go\n');
    expect(outline(doc)).toEqual([
      ['Decisions', 'decisions', 2, 1],
      ['Next Steps', 'next_steps', 2, 6],
    ]);
    expect(doc.sections[0]?.text).toBe('### Storage\nPostgreSQL — row locks\n### Auth\nJWT\n');
  });

  it('splits on H2s used once each under a single H1', () => {
    const doc = parse('# Handoff\n## Context\nx\n### Detail\ny\n');
    expect(doc.title).toBe('Handoff');
    expect(outline(doc).map((s) => s[0])).toEqual(['', 'Context', 'Detail']);
  });

  it('reads setext headings (=== and ---)', () => {
    const doc = parse('Handoff\n=======\n\nAccomplished\n------------\n- a\n\nCurrent State\n-------------\nwip\n');
    expect(doc.title).toBe('Handoff');
    expect(outline(doc)).toEqual([
      ['', null, 0, 1],
      ['Accomplished', 'accomplished', 2, 4],
      ['Current State', 'in_progress', 2, 8],
    ]);
    expect(doc.sections[2]?.text).toBe('wip\n');
  });

  it('does not read a --- under a list item as a heading', () => {
    const doc = parse('## A\n- item\n---\n## B\nx\n');
    expect(outline(doc).map((s) => s[0])).toEqual(['A', 'B']);
  });

  it('ignores # lines inside fenced code and HTML comments', () => {
    const text = [
      '## Environment',
      '```bash',
      '# install',
      '## not a heading',
      '```',
      '~~~',
      '# also code',
      '~~~',
      '<!--',
      '## commented out',
      '-->',
      '## Next Steps',
      '1. run it',
      '',
    ].join('\n');
    const doc = parse(text);
    expect(outline(doc).map((s) => s[0])).toEqual(['Environment', 'Next Steps']);
    expect(doc.sections[0]?.text).toContain('## not a heading');
  });

  it('does not let an unclosed fence swallow the rest of the document', () => {
    const doc = parse('## Done\n```\nno closing fence\n## Next Steps\n1. close it\n');
    expect(outline(doc).map((s) => s[1])).toEqual(['accomplished', 'next_steps']);
  });

  it('maps numbered, emphasised and emoji headings', () => {
    const doc = parse('## 1. ACCOMPLISHED\na\n## 2) **Key Decisions**\nb\n## ⚠️ Gotchas\nc\n## Step 4: Next Steps\nd\n');
    expect(outline(doc).map((s) => s[1])).toEqual(['accomplished', 'decisions', 'gotchas', 'next_steps']);
  });

  it('maps Chinese, Korean, Japanese and German headings', () => {
    const doc = parse(
      '## 已完成\na\n## 当前状态\nb\n## 다음 단계\nc\n## 결정 사항\nd\n## 注意事項\ne\n## Nächste Schritte\nf\n## Offene Fragen\ng\n',
    );
    expect(outline(doc).map((s) => s[1])).toEqual([
      'accomplished',
      'in_progress',
      'next_steps',
      'decisions',
      'gotchas',
      'next_steps',
      'blocked',
    ]);
  });

  it('keeps unknown sections verbatim and in order', () => {
    const doc = parse('## Done\na\n## Walmart\nb\n## Best Buy\nc\n');
    expect(outline(doc).map((s) => [s[0], s[1]])).toEqual([
      ['Done', 'accomplished'],
      ['Walmart', null],
      ['Best Buy', null],
    ]);
    expect(doc.sections[1]?.text).toBe('b\n');
  });

  it('uses the H2s when several H1s are titles of concatenated handoffs', () => {
    const doc = parse('# Handoff one\n## Done\na\n## Blockers\nb\n# Handoff two\n## Next Steps\nc\n## Decisions\nd\n');
    expect(outline(doc).map((s) => s[0])).toEqual([
      'Handoff one',
      'Done',
      'Blockers',
      'Handoff two',
      'Next Steps',
      'Decisions',
    ]);
  });

  it('splits a heading-less document on label lines', () => {
    const doc = parse(
      'Goal (incl. success criteria):\n- ship\n\n**Current Status:**\nhalf done\n\nKey decisions:\n- a — b\n\n**Next Steps**\n1. go\n',
    );
    expect(outline(doc)).toEqual([
      ['Goal (incl. success criteria)', 'context', 0, 1],
      ['Current Status', 'in_progress', 0, 4],
      ['Key decisions', 'decisions', 0, 7],
      ['Next Steps', 'next_steps', 0, 10],
    ]);
    expect(doc.sections[1]?.text).toBe('half done\n\n');
  });

  it('starts a section at a known `Label: text` line in a plain-text handoff', () => {
    const doc = parse('Status: **CLOSED** — parser done.\nNext checkpoint: wire the index.\n\nOverlap: none.\n');
    expect(outline(doc).map((s) => [s[0], s[1]])).toEqual([
      ['Status', 'in_progress'],
      ['Next checkpoint', 'next_steps'],
    ]);
    expect(doc.sections[0]?.text).toBe('**CLOSED** — parser done.\n');
  });

  it('returns the whole text as the preamble when there is nothing to split on', () => {
    const doc = parse('Just a note with no structure.\nSecond line.\n');
    expect(outline(doc)).toEqual([['', null, 0, 1]]);
    expect(parse('').sections).toEqual([]);
  });
});

describe('parseHandoff: bytes and lines', () => {
  it('keeps CRLF line endings and counts lines across the front matter', () => {
    const text = '---\r\nid: a3f9c12e\r\n---\r\n## Done\r\n- a\r\n\r\n## Next Steps\r\n1. b\r\n';
    const doc = parse(text);
    expect(doc.frontMatterRaw).toBe('---\r\nid: a3f9c12e\r\n---\r\n');
    expect(outline(doc)).toEqual([
      ['Done', 'accomplished', 2, 4],
      ['Next Steps', 'next_steps', 2, 7],
    ]);
    expect(doc.sections[0]?.text).toBe('- a\r\n\r\n');
  });

  it('accepts a byte order mark before the front matter or the first heading', () => {
    const withFm = parse('\uFEFF---\nid: a3f9c12e\n---\n# Title\n## Done\nx\n');
    expect(withFm.data.id).toBe('a3f9c12e');
    expect(withFm.title).toBe('Title');
    const bare = parse('\uFEFF## Done\nx\n## Next\ny\n');
    expect(outline(bare).map((s) => s[0])).toEqual(['Done', 'Next']);
  });

  it('is not confused by Windows paths', () => {
    const doc = parse(
      '## Files\nC:\\Users\\dev\\app\\src\\main.ts\n## Next Steps\n1. Edit C:\\repo\\docs\\# notes.md\n',
    );
    expect(outline(doc).map((s) => s[1])).toEqual(['files', 'next_steps']);
    expect(doc.sections[0]?.text).toBe('C:\\Users\\dev\\app\\src\\main.ts\n');
  });

  it('handles a document without a final newline', () => {
    const doc = parse('## Done\na\n## Next\nb');
    expect(doc.sections[1]?.text).toBe('b');
  });
});

describe('parseHandoff: YAML handoffs', () => {
  const yaml = [
    '---',
    'date: 2026-02-09',
    'status: complete',
    '---',
    '',
    'goal: >',
    '  Parallel agents merged to main.',
    'now: Close the epic',
    'done_this_session:',
    '  - task: "quality gate retry"',
    '    files: [pkg/a.go]',
    'decisions:',
    '  - Keep retries at 3',
    'blockers: []',
    '',
  ].join('\n');

  it('makes each top-level key a section whose text is the source of its value', () => {
    const doc = parse(yaml, 'notes/handoff.yaml');
    expect(doc.kind).toBe('yaml');
    expect(doc.data.created).toBe('2026-02-09T00:00:00Z');
    expect(outline(doc)).toEqual([
      ['', null, 0, 5],
      ['goal', 'context', 0, 6],
      ['now', 'next_steps', 0, 8],
      ['done_this_session', 'accomplished', 0, 9],
      ['decisions', 'decisions', 0, 12],
      ['blockers', 'blocked', 0, 14],
    ]);
    expect(doc.sections[1]?.text).toBe('>\n  Parallel agents merged to main.\n');
    expect(doc.sections[2]?.text).toBe('Close the epic\n');
    expect(doc.sections[3]?.text).toBe('  - task: "quality gate retry"\n    files: [pkg/a.go]\n');
  });

  it('recognises a YAML mapping without a path when it has no markdown at all', () => {
    const doc = parse('goal: ship\nnext:\n  - write tests\n');
    expect(doc.kind).toBe('yaml');
    expect(outline(doc).map((s) => s[1])).toEqual(['context', 'next_steps']);
  });
});

describe('parseHandoff: front matter', () => {
  it('normalises tolerant front matter', () => {
    const doc = parse(
      '---\nid: a3f9c12e\ndate: 2026-02-13T13:30:06-08:00\ngit_commit: 6b2b699a\nbranch: main\ntags: api, crud\ntopic: Overlay\n---\n## Done\nx\n',
    );
    expect(doc.data).toEqual({
      id: 'a3f9c12e',
      created: '2026-02-13T21:30:06Z',
      git: { commit: '6b2b699a', branch: 'main' },
      tags: ['api', 'crud'],
      topic: 'Overlay',
    });
    expect(doc.warnings).toEqual([]);
  });

  it('throws FrontMatterError with the file and the line in the file for invalid YAML', () => {
    const text = '---\nid: a3f9c12e\nname: demo\n  summary: indented wrongly\n---\n## Done\n';
    let error: unknown;
    try {
      parseHandoff(text, { path: 'docs/session_handoffs/x.md' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FrontMatterError);
    expect((error as FrontMatterError).line).toBe(4);
    expect((error as FrontMatterError).message).toMatch(/^docs\/session_handoffs\/x\.md:4: invalid front matter: /);
  });

  it('counts the line from the file start with CRLF and a BOM too', () => {
    const text = '\uFEFF---\r\nid: a3f9c12e\r\nname: x\r\n  bad: indentation\r\n---\r\nbody\r\n';
    expect(() => parseHandoff(text, { path: 'x.md' })).toThrow(/^x\.md:4: invalid front matter: /);
  });

  it('never fails on a markdown body that merely starts with a thematic break', () => {
    const text = '---\n\n**Status:** done\n\n---\n\n## Next Steps\n1. x\n';
    const doc = parse(text);
    expect(doc.frontMatterRaw).toBe('');
    expect(doc.sections.at(-1)?.canonical).toBe('next_steps');
  });
});

describe('parseHandoff: labels after a byte order mark', () => {
  it('slices an inline label on the first line after the BOM', () => {
    const text = '\uFEFFStatus: wip\n\nNext: ship\n';
    const doc = parseHandoff(text);
    expect(renderHandoff(doc)).toBe(text);
    expect(doc.sections.map((s) => [s.heading, s.text])).toEqual([
      ['Status', 'wip\n\n'],
      ['Next', 'ship\n'],
    ]);
  });
});
