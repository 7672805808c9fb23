/**
 * Output through a pipe another process made non-blocking, as when an
 * agent's Node process runs `handoff` with its own stdout: writeSync then
 * meets EAGAIN once the pipe is full, and the CLI hands the rest to a stream
 * (src/cli/io.ts). Nothing may be lost, even though the CLI leaves at once
 * after a command when every write went out synchronously.
 */
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, type Sandbox, sandbox, writeTree } from './_cli.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

/** Runs `handoff <args>` under a Node parent whose stdout pipe is non-blocking; reads it only after a pause. */
function throughNonBlockingPipe(args: string[]): Promise<{ code: number | null; stdout: string }> {
  // The parent makes its stdout pipe non-blocking (Node keeps pipes blocking on Linux; other runtimes
  // and platforms do not), then lets the child inherit it.
  const parent = `process.stdout._handle.setBlocking(false); const r = require('node:child_process').spawnSync(process.execPath, ${JSON.stringify([CLI, ...args])}, { stdio: ['ignore', 'inherit', 'inherit'] }); process.exitCode = r.status;`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', parent], { env: box.env, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 300);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString('utf8') }));
  });
}

describe('output through a non-blocking pipe', () => {
  it('arrives whole when it is larger than the pipe buffer', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 4000; i++) {
      const id = (0x10000000 + i).toString(16);
      const day = String(1 + (i % 28)).padStart(2, '0');
      files[`202601${day}-${String(i).padStart(4, '0')}-note.md`] =
        `---\nid: ${id}\nname: a-rather-long-handoff-name-number-${i}\nproject: pipes-and-more-pipes\nsummary: handoff number ${i} of a long list, with a summary that fills its column\ncreated: 2026-01-${day}T10:00:00Z\n---\n## Next Steps\n1. Run npm test\n`;
    }
    writeTree(box.store, files);
    const direct = box.run(['list']);
    expect(direct.code).toBe(0);
    // More than a pipe or socket buffer holds (64 KB; ~200 KB for a socket pair).
    expect(direct.stdout.length).toBeGreaterThan(512 * 1024);
    const piped = await throughNonBlockingPipe(['list']);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(direct.stdout);
  });
});
