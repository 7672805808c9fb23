import { describe, expect, it } from 'vitest';
import { packSections, unpackSections } from '../../src/store/_index-rows.js';

describe('packSections', () => {
  it('round-trips every field, null texts and token counts included', () => {
    const sections = [
      { heading: '', canonical: null, col: 3, colStart: 0, rawLen: 7, textLen: 7, text: null, tokens: null },
      {
        heading: 'Next Steps 🚀',
        canonical: 'next_steps',
        col: 10,
        colStart: 0,
        rawLen: 20,
        textLen: 6,
        text: 'x\r\n',
        tokens: 4,
      },
    ];
    expect(unpackSections(packSections(sections))).toEqual(sections);
  });
});
