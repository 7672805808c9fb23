/**
 * "A process killed in the middle of `store` never leaves a partial handoff
 * visible" (issue 2): store processes are SIGKILLed at varied moments; every
 * handoff file that is visible afterwards is complete, and the next store
 * cleans up nothing it should not.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CLI, type Sandbox, sandbox } from './_cli.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

const BODY = `## Accomplished\n${'- a line of accomplished work in `src/file.ts`\n'.repeat(2000)}## Next Steps\n1. Run \`npm test\`\n`;

it('no partial handoff is ever visible after a store is killed', async () => {
  const delays = [20, 60, 100, 140, 180, 220, 260, 300, 350, 400, 500, 700];
  for (const delay of delays) {
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'store', '--name', `kill-${delay}`], {
        cwd: join(sb.dir, 'work'),
        env: sb.env,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      child.stdin.end(BODY);
      setTimeout(() => child.kill('SIGKILL'), delay);
      child.on('exit', () => resolve());
    });
  }
  const visible = (existsSync(sb.store) ? readdirSync(sb.store) : []).filter(
    (f) => !f.startsWith('.') && f.endsWith('.md'),
  );
  for (const f of visible) {
    const text = readFileSync(join(sb.store, f), 'utf8');
    expect(text.startsWith('---\n')).toBe(true);
    expect(text.endsWith('1. Run `npm test`\n')).toBe(true);
  }
  // The store still works, and sees exactly the complete files.
  const r = sb.run(['store', '--name', 'after'], { input: '## Next Steps\n1. go\n' });
  expect(r.code).toBe(0);
  const listed = JSON.parse(sb.run(['list', '--json']).stdout);
  expect(listed).toHaveLength(visible.length + 1);
});
