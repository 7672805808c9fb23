import { describe, expect, it } from 'vitest';
import { composeHandoff, parseHandoff, renderHandoff, toHandoffJson } from '../../src/format/index.js';

const DOC =
  '---\nid: a3f9c12e\ncreated: 2026-11-21T14:30:00Z\ntags: [api]\n---\n# Handoff\n\n## Done\n- login\n\n## Next Steps\n1. tests\n';

describe('renderHandoff', () => {
  it('renders an untouched document byte for byte', () => {
    expect(renderHandoff(parseHandoff(DOC))).toBe(DOC);
  });

  it('rebuilds only the section whose text or heading changed, in place or in a copy', () => {
    const doc = parseHandoff(DOC);
    const done = doc.sections[1];
    if (!done) throw new Error('no section');
    done.text = '- login\n- logout\n\n';
    expect(renderHandoff(doc)).toBe(DOC.replace('- login\n', '- login\n- logout\n'));

    const copy = {
      ...doc,
      sections: doc.sections.map((s) => (s.heading === 'Next Steps' ? { ...s, heading: 'Next' } : s)),
    };
    expect(renderHandoff(copy)).toBe(
      DOC.replace('- login\n', '- login\n- logout\n').replace('## Next Steps', '## Next'),
    );
  });

  it('keeps the next heading on its own line and the document line ending', () => {
    const doc = parseHandoff('## Done\r\n- a\r\n## Next\r\n- b\r\n');
    const first = doc.sections[0];
    if (!first) throw new Error('no section');
    first.text = '- a, rewritten';
    expect(renderHandoff(doc)).toBe('## Done\r\n- a, rewritten\r\n## Next\r\n- b\r\n');
  });

  it('rebuilds label sections as bold labels and YAML sections as keys', () => {
    const labels = parseHandoff('Intro\n\n**Status:** wip\n\nKey decisions:\n- a\n');
    const status = labels.sections.find((s) => s.heading === 'Status');
    if (!status) throw new Error('no section');
    status.text = 'done\n\n';
    expect(renderHandoff(labels)).toBe('Intro\n\n**Status:**\ndone\n\nKey decisions:\n- a\n');

    const yaml = parseHandoff('goal: x\nnow: y\n', { path: 'h.yml' });
    const now = yaml.sections[1];
    if (!now) throw new Error('no section');
    now.text = 'ship it\n';
    expect(renderHandoff(yaml)).toBe('goal: x\nnow: ship it\n');
  });
});

describe('composeHandoff', () => {
  it('writes front matter in a stable order and a body ending in one newline', () => {
    const text = composeHandoff(
      { created: '2026-11-21T14:30:00Z', id: 'a3f9c12e', tags: ['api', 'crud'], git: { branch: 'main' } },
      '## Next Steps\n1. Finish PATCH /tasks/:id\n\n\n',
    );
    expect(text).toBe(
      '---\nid: a3f9c12e\ntags: [api, crud]\ncreated: 2026-11-21T14:30:00Z\ngit: {branch: main}\n---\n## Next Steps\n1. Finish PATCH /tasks/:id\n',
    );
    const doc = parseHandoff(text);
    expect(doc.data).toEqual({
      id: 'a3f9c12e',
      tags: ['api', 'crud'],
      created: '2026-11-21T14:30:00Z',
      git: { branch: 'main' },
    });
    expect(renderHandoff(doc)).toBe(text);
  });

  it('writes just the body when there is no front matter', () => {
    expect(composeHandoff({}, 'x')).toBe('x\n');
  });
});

describe('toHandoffJson', () => {
  it('gives the front matter fields, the sections and where the file lives', () => {
    const json = toHandoffJson(parseHandoff(DOC), {
      path: '20261121-1430-auth.md',
      store: '/repo/docs/session_handoffs',
    });
    expect(json).toEqual({
      id: 'a3f9c12e',
      created: '2026-11-21T14:30:00Z',
      tags: ['api'],
      sections: [
        { heading: '', canonical: null, text: '# Handoff\n\n' },
        { heading: 'Done', canonical: 'accomplished', text: '- login\n\n' },
        { heading: 'Next Steps', canonical: 'next_steps', text: '1. tests\n' },
      ],
      path: '20261121-1430-auth.md',
      store: '/repo/docs/session_handoffs',
    });
  });

  it('leaves out a blank preamble and fills id/created for files without front matter', () => {
    const json = toHandoffJson(parseHandoff('\n\n## Done\nx\n'), { id: '0badc0de', created: '2026-01-01T00:00:00Z' });
    expect(json.sections).toEqual([{ heading: 'Done', canonical: 'accomplished', text: 'x\n' }]);
    expect(json.id).toBe('0badc0de');
    expect(json).not.toHaveProperty('path');
  });

  it('fits the HandoffJson schema', async () => {
    const { HandoffJsonSchema } = await import('../../src/format/schema.js');
    const json = toHandoffJson(parseHandoff(DOC), { path: 'x.md' });
    expect(HandoffJsonSchema.safeParse(json).success).toBe(true);
  });
});
