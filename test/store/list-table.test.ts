/** The `list` table's cell rules (src/store/list-table.ts). */
import { describe, expect, it } from 'vitest';
import { cell, localTime } from '../../src/store/list-table.js';

/** Runs `fn` with the process in time zone `tz` (V8 and the C library both follow TZ). */
function inZone(tz: string, fn: () => void): void {
  const before = process.env.TZ;
  process.env.TZ = tz;
  try {
    fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe('cell and localTime', () => {
  it('flattens control characters, trims, and cuts by code points', () => {
    expect(cell('  a\n\n\tb\u007f c  ')).toBe('a b  c');
    expect(cell(null)).toBe('');
    expect(cell('\u3000x\u00a0')).toBe('x');
    expect(cell('🚀'.repeat(5), 5)).toBe('🚀'.repeat(5));
    expect(cell('🚀'.repeat(6), 5)).toBe(`${'🚀'.repeat(4)}…`);
  });

  it('prints EXPIRES in the local time zone, never for none', () => {
    inZone('Asia/Tokyo', () => expect(localTime('2026-11-21T14:30:00Z')).toBe('2026-11-21 23:30'));
    expect(localTime(null)).toBe('never');
    expect(localTime('soon')).toBe('soon');
  });
});
