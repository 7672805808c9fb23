import { spawn } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandIO } from '../../src/cli/types.js';
import { CLI, sandbox } from './_cli.js';

const reads: Array<Buffer | NodeJS.ErrnoException> = [];
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  return {
    ...fs,
    fstatSync: (fd: number, ...rest: unknown[]) =>
      fd === 0 ? { isCharacterDevice: () => false } : (fs.fstatSync as (...a: unknown[]) => unknown)(fd, ...rest),
    readSync: (fd: number, buf: Buffer, ...rest: unknown[]) => {
      if (fd !== 0) return (fs.readSync as (...a: unknown[]) => number)(fd, buf, ...rest);
      const next = reads.shift();
      if (next === undefined) return 0;
      if (!Buffer.isBuffer(next)) throw next;
      next.copy(buf);
      return next.length;
    },
  };
});

const { readStdinBytes } = await import('../../src/cli/io.js');
/** What a command gets from `io.readStdin()`: the synchronous read, then the stream. */
const readAllStdin = (io: CommandIO) => readStdinBytes(() => io.readStdin());

function ioWithStream(rest: string): CommandIO & { streamReads: number } {
  const io = {
    streamReads: 0,
    readStdin: async () => {
      io.streamReads++;
      return Buffer.from(rest);
    },
  };
  return io as unknown as CommandIO & { streamReads: number };
}

const errno = (code: string) => Object.assign(new Error(code), { code });

describe('readStdinBytes: stdin read synchronously, the stream only when a read cannot serve', () => {
  afterEach(() => {
    reads.length = 0;
  });

  it('concatenates the reads up to end of file', async () => {
    reads.push(Buffer.from('## Next'), Buffer.from(' Steps\n'), Buffer.from('1. go\n'));
    const io = ioWithStream('never');
    expect((await readAllStdin(io)).toString()).toBe('## Next Steps\n1. go\n');
    expect(io.streamReads).toBe(0);
  });

  it('hands the rest to the stream on a non-blocking descriptor, keeping what was read', async () => {
    reads.push(Buffer.from('first half, '), errno('EAGAIN'));
    const io = ioWithStream('second half');
    expect((await readAllStdin(io)).toString()).toBe('first half, second half');
    expect(io.streamReads).toBe(1);
  });

  it('uses the stream when fd 0 cannot be read at all, and stops at a Windows EOF', async () => {
    reads.push(errno('EBADF'));
    expect((await readAllStdin(ioWithStream('from the stream'))).toString()).toBe('from the stream');
    reads.push(Buffer.from('abc'), errno('EOF'));
    expect((await readAllStdin(ioWithStream('never'))).toString()).toBe('abc');
  });

  it('throws a read error after the first bytes', async () => {
    reads.push(Buffer.from('abc'), errno('EIO'));
    await expect(readAllStdin(ioWithStream('never'))).rejects.toThrow('EIO');
  });
});

describe('store from a pipe written slowly and in pieces (built CLI)', () => {
  const sb = sandbox();
  afterAll(() => sb.cleanup());

  it('stores all of it', async () => {
    const body = `## Next Steps\n1. Run \`npm test\` in \`src/cli\`\n\n## Notes\n${'- a line of notes about the work\n'.repeat(4000)}`;
    const child = spawn(process.execPath, [CLI, 'store', '--name', 'slow-pipe'], {
      cwd: sb.dir,
      env: sb.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    const bytes = Buffer.from(body);
    for (let at = 0; at < bytes.length; at += 50_000) {
      child.stdin.write(bytes.subarray(at, at + 50_000));
      await new Promise((r) => setTimeout(r, 30));
    }
    child.stdin.end();
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    const id = stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    const back = sb.run(['retrieve', id, '--format', 'md']);
    expect(back.stdout).toContain(body.slice(-200));
    expect(back.stdout.split('a line of notes').length - 1).toBe(4000);
  });
});
