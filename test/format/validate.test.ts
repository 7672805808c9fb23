import { describe, expect, it } from 'vitest';
import { FrontMatterError } from '../../src/errors.js';
import { parseHandoff, validateFrontMatter } from '../../src/format/index.js';

async function rejection(promise: Promise<unknown>): Promise<FrontMatterError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof FrontMatterError) return e;
    throw e;
  }
  throw new Error('expected a FrontMatterError');
}

describe('validateFrontMatter', () => {
  it('accepts normalised front matter, unknown keys kept', async () => {
    const text = '---\nid: a3f9c12e\ndate: 2026-02-13T13:30:06-08:00\nbranch: main\nresearcher: Corey\n---\n## Done\n';
    const data = await validateFrontMatter(parseHandoff(text).data, 'x.md', text);
    expect(data).toEqual({
      id: 'a3f9c12e',
      created: '2026-02-13T21:30:06Z',
      git: { branch: 'main' },
      researcher: 'Corey',
    });
  });

  it('names the invalid key and its line in the file', async () => {
    const text = '---\ncreated: 2026-01-01T00:00:00Z\nid: A3F9\n---\nbody\n';
    const error = await rejection(validateFrontMatter(parseHandoff(text).data, 'store/x.md', text));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^store\/x\.md:3: invalid front matter: "id" .*8 lowercase hex/);
  });

  it('points at an alias line (date for created) and nested keys at their top-level line', async () => {
    const text = '---\nid: a3f9c12e\ndate: 2026-01-01\nwork_type: dancing\n---\n';
    const error = await rejection(validateFrontMatter(parseHandoff(text).data, 'x.md', text));
    expect(error.message).toMatch(/"work_type"/);
    expect(error.line).toBe(4);

    const gitText = '---\nid: a3f9c12e\ncreated: 2026-01-01T00:00:00Z\ngit_commit: abc\ngit: {dirty: 1}\n---\n';
    const gitError = await rejection(
      validateFrontMatter({ ...parseHandoff(gitText).data, git: { dirty: 1 } }, 'x.md', gitText),
    );
    expect(gitError.message).toMatch(/"git\.dirty"/);
    expect(gitError.line).toBe(4);
  });

  it('says a required key is missing, at line 1 when it has no line', async () => {
    const error = await rejection(validateFrontMatter({ created: '2026-01-01T00:00:00Z' }, '<stdin>'));
    expect(error.line).toBe(1);
    expect(error.message).toBe(
      '<stdin>:1: invalid front matter: "id" is required; add it (handoff store writes it for you)',
    );
  });
});
