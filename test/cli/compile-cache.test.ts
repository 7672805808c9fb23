/**
 * The CLI's V8 code cache (src/cli/compile-cache.ts): written on a first
 * run, used by the next, never able to break a command.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from './_cli.js';

const DOC = '## Accomplished\n- Wrote the parser\n\n## Next Steps\n1. Run `npm test`\n';

describe('compile cache', () => {
  let sb: Sandbox;
  let v8Dir: string;
  beforeEach(() => {
    sb = sandbox();
    v8Dir = join(sb.env.HANDOFF_CACHE!, 'v8');
    expect(sb.run(['store', '--name', 'first'], { input: DOC, env: { HANDOFF_COMPILE_CACHE: '0' } }).code).toBe(0);
  });
  afterEach(() => sb.cleanup());

  it('caches the bundles a command loads, and the next run gives the same answer', () => {
    const first = sb.run(['list']);
    expect(first.code, first.stderr).toBe(0);
    const files = readdirSync(v8Dir);
    // The entry bundle compiles normally; the command's bundle is cached.
    expect(files.some((f) => f.startsWith('cli.commands.list-') && f.endsWith('.bin'))).toBe(true);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
    const mtimes = files.map((f) => statSync(join(v8Dir, f)).mtimeMs);
    const second = sb.run(['list']);
    expect(second).toEqual(first);
    // An accepted cache is not written again.
    expect(readdirSync(v8Dir).map((f) => statSync(join(v8Dir, f)).mtimeMs)).toEqual(mtimes);
  });

  it('replaces a corrupt cache file and still answers', () => {
    expect(sb.run(['list']).code).toBe(0);
    const file = readdirSync(v8Dir).find((f) => f.startsWith('cli.commands.list-'))!;
    writeFileSync(join(v8Dir, file), 'not a code cache');
    const r = sb.run(['list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('first');
    expect(readFileSync(join(v8Dir, file), 'utf8')).not.toBe('not a code cache');
  });

  it('removes the caches of earlier builds of a bundle', () => {
    expect(sb.run(['list']).code).toBe(0);
    const current = readdirSync(v8Dir).find((f) => f.startsWith('cli.commands.list-'))!;
    const old = 'cli.commands.list-1-1.bin';
    writeFileSync(join(v8Dir, old), 'old build');
    // The current cache must be written again for the sweep to run: make it unusable.
    writeFileSync(join(v8Dir, current), 'stale');
    expect(sb.run(['list']).code).toBe(0);
    expect(existsSync(join(v8Dir, old))).toBe(false);
    expect(existsSync(join(v8Dir, current))).toBe(true);
  });

  it('is off with HANDOFF_COMPILE_CACHE=0', () => {
    const r = sb.run(['list'], { env: { HANDOFF_COMPILE_CACHE: '0' } });
    expect(r.code).toBe(0);
    expect(existsSync(v8Dir)).toBe(false);
  });

  it('works when the cache directory cannot be created', () => {
    // A cache path below a regular file: mkdir fails with ENOTDIR, for root too.
    const blocker = join(sb.dir, 'a-file');
    writeFileSync(blocker, '');
    const r = sb.run(['list'], { env: { HANDOFF_CACHE: join(blocker, 'cache') } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('first');
    expect(r.stderr).toContain('working without it');
  });
});
