import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NotFoundError, SecretFoundError } from '../../src/errors.js';
import { toolError } from '../../src/mcp/tools.js';

function run(e: unknown) {
  const logs: string[] = [];
  const result = toolError(e, (line) => logs.push(line));
  const first = result.content[0];
  return { isError: result.isError, text: first?.type === 'text' ? first.text : '', logs };
}

describe('toolError', () => {
  it.each([
    [new NotFoundError("handoff 'ab12' not found"), "not-found: handoff 'ab12' not found"],
    [
      new SecretFoundError([{ line: 3, kind: 'GitHub token' }]),
      /^secret: refusing to store: line 3 looks like a GitHub token/,
    ],
    [new Error('disk on fire\n    at somewhere'), 'internal: disk on fire'],
    ['a thrown string', 'internal: a thrown string'],
    [
      z.object({ id: z.string() }).safeParse({ id: 1 }).error,
      /^internal: result does not fit the output schema: id: .+$/,
    ],
  ])('makes %s one line with its code', (error, expected) => {
    const { isError, text } = run(error);
    expect(isError).toBe(true);
    expect(text).not.toContain('\n');
    if (typeof expected === 'string') expect(text).toBe(expected);
    else expect(text).toMatch(expected);
  });

  it('logs the stack of unexpected errors only', () => {
    expect(run(new Error('boom')).logs[0]).toMatch(/boom\n\s+at /);
    expect(run(new NotFoundError('gone')).logs).toEqual([]);
  });
});
