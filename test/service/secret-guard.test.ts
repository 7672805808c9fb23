/**
 * `mayContainSecret` decides whether `store` and `retrieve` load the full
 * scanner. A miss would let a credential through, so it must flag every
 * credential the scanner's own tests catch, and it should stay quiet on most
 * real handoffs (otherwise it saves nothing).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayContainSecret } from '../../src/service/_secret-guard.js';
import { CASES } from '../quality/_fake-credentials.js';

describe('mayContainSecret', () => {
  it.each(CASES)('flags a %s', (_name, line) => {
    expect(mayContainSecret(`## Environment\n\n${line}\n`)).toBe(true);
  });

  it('stays quiet on ordinary handoff text', () => {
    const text =
      '## Decisions\n- PostgreSQL over SQLite — row locks\n\n## Next Steps\n1. Run `npm test` in `src/auth/handler.ts`\n';
    expect(mayContainSecret(text)).toBe(false);
  });

  it('lets most real corpus documents skip the scanner', () => {
    const dir = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'docs');
    const docs = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    const flagged = docs.filter(mayContainSecret).length;
    console.log(`secret pre-check: ${flagged}/${docs.length} corpus documents need the full scanner`);
    expect(flagged).toBeLessThan(docs.length);
  });
});
