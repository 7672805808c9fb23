/**
 * The server as an agent runs it: a separate node process speaking MCP on
 * stdin/stdout. Until the CLI bundle exists, the server entry (and the
 * `handoff mcp` command module) are bundled here with esbuild, dependencies
 * left external and resolved through a node_modules symlink.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GOOD_HANDOFF, makeGitRepo, makeSandbox, type Sandbox, textOf } from './_harness.js';

const REPO = resolve(import.meta.dirname, '../..');
let bundleDir: string;
let serverBundle: string;
let commandBundle: string;
let sb: Sandbox;

// `handoff mcp` as main.ts will call it, plus a console.log once serving, which must not reach stdout.
const COMMAND_ENTRY = `
import { run } from './src/cli/commands/mcp.ts';
const io = {
  cwd: process.cwd(), env: process.env, isTTY: false, json: false, global: false, debug: false, rescan: false,
  out: (text) => process.stdout.write(text),
  err: (line) => {
    process.stderr.write(line + '\\n');
    if (line.includes('serving on stdio')) console.log('stray console.log');
  },
  readStdin: async () => Buffer.alloc(0),
};
const done = run(io, [], {});
process.exitCode = await done;
process.stderr.write('command returned ' + process.exitCode + '\\n');
`;

beforeAll(async () => {
  bundleDir = mkdtempSync(join(tmpdir(), 'handoff-mcp-bundle-'));
  symlinkSync(join(REPO, 'node_modules'), join(bundleDir, 'node_modules'), 'dir');
  const common = {
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  } as const;
  serverBundle = join(bundleDir, 'server.mjs');
  commandBundle = join(bundleDir, 'command.mjs');
  await Promise.all([
    build({ ...common, entryPoints: [join(REPO, 'src/mcp/stdio-entry.ts')], outfile: serverBundle }),
    build({
      ...common,
      stdin: { contents: COMMAND_ENTRY, resolveDir: REPO, loader: 'ts', sourcefile: 'command-entry.ts' },
      outfile: commandBundle,
    }),
  ]);
});
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));
beforeEach(() => {
  sb = makeSandbox();
});
afterEach(() => sb.cleanup());

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

describe('handoff mcp over stdio', () => {
  it('serves the SDK client: lists the tools, stores and retrieves, logging only to stderr', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [serverBundle],
      env: stringEnv(sb.env),
      cwd: sb.work,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const errors: Error[] = [];
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    transport.onerror = (e) => errors.push(e);
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(8);
      const stored = (await client.callTool({
        name: 'handoff_store',
        arguments: { content: GOOD_HANDOFF, name: 'over-stdio' },
      })) as CallToolResult;
      expect(stored.isError, textOf(stored)).toBeFalsy();
      const id = (stored.structuredContent as { id: string }).id;
      const retrieved = (await client.callTool({ name: 'handoff_retrieve', arguments: { id } })) as CallToolResult;
      expect(textOf(retrieved)).toContain('PostgreSQL over SQLite');
      const bad = (await client.callTool({
        name: 'handoff_retrieve',
        arguments: { id: 'deadbeef' },
      })) as CallToolResult;
      expect(bad.isError).toBe(true);
    } finally {
      await client.close();
    }
    // The client rejects a line of stdout that is not JSON-RPC through onerror.
    expect(errors).toEqual([]);
    expect(stderr).toContain('serving on stdio');
  });

  it('writes nothing but JSON-RPC to stdout, answers everything received before stdin closes, and exits 0', async () => {
    // In a git repository, draft and resume run git subprocesses: replies that are still being computed when stdin ends.
    const repo = join(sb.root, 'repo');
    makeGitRepo(repo);
    const child = spawn(process.execPath, [commandBundle], { cwd: repo, env: sb.env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const requests = [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      {
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: { name: 'handoff_store', arguments: { content: GOOD_HANDOFF } },
      },
      { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'handoff_list', arguments: {} } },
      { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'handoff_list', arguments: { limit: -1 } } },
      { jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'handoff_draft', arguments: {} } },
      { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'handoff_resume', arguments: {} } },
    ];
    child.stdin.end(requests.map((r) => `${JSON.stringify(r)}\n`).join(''));
    expect(await exited).toBe(0);

    const lines = stdout.split('\n').filter((l) => l !== '');
    const messages = lines.map(
      (l) => JSON.parse(l) as { jsonrpc: string; id: number; result?: Record<string, unknown> },
    );
    expect(messages.every((m) => m.jsonrpc === '2.0')).toBe(true);
    expect(messages.map((m) => m.id).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const byId = new Map(messages.map((m) => [m.id, m.result ?? {}]));
    expect(byId.get(2)?.tools).toHaveLength(8);
    expect(byId.get(3)?.isError).toBeUndefined();
    // Requests run concurrently, so the list may or may not see the handoff being stored next to it.
    expect(byId.get(4)?.structuredContent).toMatchObject({ handoffs: expect.any(Array) });
    const storedPath = String((byId.get(3)?.structuredContent as { path?: string } | undefined)?.path);
    expect(readFileSync(storedPath, 'utf8')).toContain('PostgreSQL over SQLite');
    expect(byId.get(5)?.isError).toBe(true);
    expect(byId.get(6)?.structuredContent).toMatchObject({ facts: { git: { branch: 'main' } } });
    expect(byId.get(7)?.isError).toBeUndefined();

    expect(stdout).not.toContain('stray console.log');
    expect(stderr).toContain('stray console.log');
    expect(stderr).toContain('command returned 0');
  });
});
