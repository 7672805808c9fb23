import { describe, expect, it } from 'vitest';
import { BLOCK_END, BLOCK_START } from '../../src/integrations/instructions.js';
import { detectEol, ensureLines, summarizeChange, upsertMarkedBlock } from '../../src/integrations/marked-block.js';

const block = (body: string, eol = '\n') => [BLOCK_START, ...body.split('\n'), BLOCK_END].join(eol);

describe('upsertMarkedBlock', () => {
  it('creates a new file with the block and a final newline', () => {
    expect(upsertMarkedBlock(null, 'hello')).toEqual({ text: `${block('hello')}\n`, action: 'create' });
  });

  it('puts a prefix (Cursor front matter) before the block of a new file', () => {
    expect(upsertMarkedBlock(null, 'x', { prefix: '---\na: 1\n---\n' }).text).toBe(`---\na: 1\n---\n${block('x')}\n`);
  });

  it('appends after a blank line to a file that ends with a newline', () => {
    const r = upsertMarkedBlock('# Notes\n\nmine\n', 'body');
    expect(r).toEqual({ text: `# Notes\n\nmine\n\n${block('body')}\n`, action: 'update' });
  });

  it('keeps a file without a final newline as it was and adds none after the block', () => {
    const r = upsertMarkedBlock('# Notes\r\nmine', 'a\nb');
    expect(r.text).toBe(`# Notes\r\nmine\r\n\r\n${block('a\nb', '\r\n')}`);
    expect(r.text.startsWith('# Notes\r\nmine')).toBe(true);
  });

  it('replaces only the block on a second run and reports unchanged when equal', () => {
    const first = upsertMarkedBlock('before\n', 'v1').text;
    const withTail = `${first}after\n`;
    const second = upsertMarkedBlock(withTail, 'v2');
    expect(second).toEqual({ text: `before\n\n${block('v2')}\nafter\n`, action: 'update' });
    expect(upsertMarkedBlock(second.text, 'v2').action).toBe('unchanged');
    expect(second.text.split(BLOCK_START)).toHaveLength(2);
  });

  it('uses CRLF inside the block of a CRLF file', () => {
    const r = upsertMarkedBlock('a\r\nb\r\n', 'x\ny');
    expect(r.text).toBe(`a\r\nb\r\n\r\n${block('x\ny', '\r\n')}\r\n`);
    expect(upsertMarkedBlock(r.text, 'x\ny').action).toBe('unchanged');
  });

  it('refuses a file with a start marker but no end marker', () => {
    expect(() => upsertMarkedBlock(`x\n${BLOCK_START}\nhalf\n`, 'b', { path: 'CLAUDE.md' })).toThrow(
      /CLAUDE\.md: has only one of the/,
    );
  });

  it('refuses a lone end marker', () => {
    expect(() => upsertMarkedBlock(`${BLOCK_END}\n`, 'b')).toThrow(/only one of/);
  });
});

describe('ensureLines', () => {
  it('creates, appends missing lines, and leaves a complete file alone', () => {
    expect(ensureLines(null, ['.tmp-*'])).toEqual({ text: '.tmp-*\n', action: 'create' });
    expect(ensureLines('node_modules', ['.tmp-*'])).toEqual({ text: 'node_modules\n.tmp-*\n', action: 'update' });
    expect(ensureLines('a\r\n.tmp-*\r\n', ['.tmp-*']).action).toBe('unchanged');
    expect(ensureLines('a\r\n', ['.tmp-*']).text).toBe('a\r\n.tmp-*\r\n');
  });
});

describe('detectEol and summarizeChange', () => {
  it('detects the dominant line ending', () => {
    expect(detectEol('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(detectEol('a\nb\r\nc\n')).toBe('\n');
    expect(detectEol('no breaks')).toBe('\n');
  });

  it('counts added and removed lines of the changed middle', () => {
    expect(summarizeChange(null, 'a\nb\n')).toBe('+2 -0 lines');
    expect(summarizeChange('a\nb\nc\n', 'a\nB\nc\n')).toBe('+1 -1 lines');
    expect(summarizeChange('a\n', 'a\n\nx\ny\n')).toBe('+3 -0 lines');
  });
});
