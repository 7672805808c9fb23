/**
 * What a cold `check FILE` and `store` load (built CLI): the packages and
 * Node modules each costs milliseconds to load stay out when the input does
 * not need them. A preloaded script lists, at exit, the files in the require
 * cache and the Node built-ins loaded.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sandbox } from './_cli.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

const report = join(sb.dir, 'loaded.json');
const preload = join(sb.dir, 'preload.cjs');
writeFileSync(
  preload,
  `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({
    files: Object.keys(require.cache),
    builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)),
  })));\n`,
);

const DOC = `## Accomplished
- Added \`src/api/tasks.ts\` with CRUD endpoints; 42/42 tests pass

## Decisions
- PostgreSQL over SQLite — row locks for concurrent writers

## In Progress
- \`PATCH /tasks/:id\` validation: title checked, due date not yet

## Deferred
- Pagination — no client needs it before v2

## Next Steps
1. Run \`npm test -- tasks\` and fix the due-date validation in \`src/api/tasks.ts\`
`;

function loaded(args: string[], input?: string): { files: string[]; builtins: string[]; stdout: string } {
  const r = sb.run(args, { input, env: { NODE_OPTIONS: `--require ${preload}` } });
  expect(r.code, r.stderr).toBeLessThanOrEqual(1);
  return { ...JSON.parse(readFileSync(report, 'utf8')), stdout: r.stdout };
}

const PACKAGES = ['/zod/', '/js-yaml/', '/@secretlint/', '/gpt-tokenizer/', '/picocolors/'];

describe('a cold run loads only what its input needs', () => {
  it('check FILE: no store, index, schema, YAML parser, secret scanner, tokenizer or stdio streams', () => {
    const file = join(sb.dir, 'handoff.md');
    writeFileSync(file, `---\nid: a3f9c12e\ncreated: 2026-11-21T14:30:00Z\ntags: [api]\n---\n${DOC}`);
    const { files, builtins } = loaded(['check', file]);
    for (const p of PACKAGES) expect(files.filter((f) => f.includes(p))).toEqual([]);
    expect(files.filter((f) => /better-sqlite3|index-db|file-store/.test(f))).toEqual([]);
    for (const b of ['crypto', 'fs/promises', 'net', 'tty', 'stream']) expect(builtins).not.toContain(b);
  });

  it('store: no schema library, YAML library, secret scanner, tokenizer, stdin stream or fs/promises', () => {
    for (let i = 0; i < 3; i++) {
      const { files, builtins, stdout } = loaded(
        ['store', '--name', 'cold', '--summary', 'Cold path', '--tags', 'a,b'],
        DOC,
      );
      // A random id starting with 0b (1 in 256) is written by js-yaml: it may be a YAML 1.1 binary number.
      const packages = stdout.startsWith('0b') ? PACKAGES.filter((p) => p !== '/js-yaml/') : PACKAGES;
      for (const p of packages) expect(files.filter((f) => f.includes(p))).toEqual([]);
      for (const b of ['fs/promises', 'net', 'tty', 'readline']) expect(builtins).not.toContain(b);
    }
  });
});
