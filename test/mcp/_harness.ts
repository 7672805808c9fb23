/**
 * Shared fixtures of the MCP tests: an isolated environment (user store,
 * index cache, config in temp dirs) and an in-process client connected to
 * the server through linked in-memory transports.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createHandoffServer, type HandoffServerOptions } from '../../src/mcp/server.js';

/** Temp dirs for one test: `home` (user store), `cache`, `work` (cwd, not a git repo). */
export interface Sandbox {
  root: string;
  home: string;
  cache: string;
  work: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/** Environment without the caller's HANDOFF_* / XDG / agent variables, pointed at temp dirs. */
export function makeSandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'handoff-'));
  const dirs = { home: join(root, 'store'), cache: join(root, 'cache'), work: join(root, 'work') };
  mkdirSync(dirs.work);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(HANDOFF_|XDG_|CLAUDE|CODEX|GIT_)/.test(k)) env[k] = v;
  }
  Object.assign(env, {
    HOME: root,
    HANDOFF_HOME: dirs.home,
    HANDOFF_CACHE: dirs.cache,
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'data'),
    XDG_CACHE_HOME: join(root, 'xdg-cache'),
  });
  return { root, ...dirs, env, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Makes `dir` a git repository with one commit (a README), named after the directory. */
export function makeGitRepo(dir: string, files: Record<string, string> = { 'README.md': '# demo\n' }): void {
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'initial commit');
}

/** An in-process client talking to a fresh server. `logs` collects what the server would write to stderr. */
export async function connect(options: HandoffServerOptions): Promise<{
  client: Client;
  logs: string[];
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}> {
  const logs: string[] = [];
  const server = createHandoffServer({ log: (line) => logs.push(line), ...options });
  const client = new Client({ name: 'mcp-test', version: '1.0.0' });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  // listTools caches the output schemas, so every callTool below is also validated client-side.
  await client.listTools();
  return {
    client,
    logs,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** The text of a result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first && first.type === 'text' ? first.text : '';
}

/** A handoff an agent would write: every five-field section, decisions with reasons, a concrete next step. */
export const GOOD_HANDOFF = `## Context
Todo API in Go; PostgreSQL behind internal/store.

## Accomplished
- Task CRUD handlers in internal/task/handler.go (12 tests passing)

## Decisions
- PostgreSQL over SQLite — concurrent multi-user access needs row locks
- Chi router instead of gorilla/mux: gorilla is archived

## In Progress
- PATCH /tasks/:id validation in internal/task/handler.go: title works, due_date parsing fails

## Deferred
- Pagination of GET /tasks, until the list endpoint has real users

## Next Steps
1. Fix due_date parsing in internal/task/handler.go and run \`go test ./internal/task/...\`
`;
