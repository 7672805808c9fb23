/** Real temp git repositories for capture tests (no mocks: git is the thing under test). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Git's environment for test repositories: a fixed identity, no system or user config. */
export const GIT_TEST_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
};

/** Runs git in `dir` and returns trimmed stdout; throws on failure. */
export function sh(dir: string, ...args: string[]): string {
  return shWith({}, dir, ...args);
}

/** {@link sh} with extra environment (e.g. commit dates). */
export function shWith(env: NodeJS.ProcessEnv, dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    env: { ...GIT_TEST_ENV, ...env },
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  }).trim();
}

/** `git init` with branch `main`. */
export function initRepo(dir: string): void {
  sh(dir, 'init', '-q', '-b', 'main');
}

/** Writes the files (path -> content, Buffer for binary) and commits them; returns the new HEAD hash. */
export function commitFiles(dir: string, files: Record<string, string | Buffer>, message: string): string {
  writeFiles(dir, files);
  sh(dir, 'add', '-A');
  sh(dir, 'commit', '-q', '-m', message);
  return sh(dir, 'rev-parse', 'HEAD');
}

/** Writes files without committing. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/**
 * Builds a linear history of `n` commits on `main` with `git fast-import`
 * (about a second for 10k), each commit rewriting one of 100 files.
 * Returns nothing; read hashes with `sh(dir, 'rev-list', ...)`.
 */
export function fastImportRepo(dir: string, n: number): void {
  initRepo(dir);
  const parts: string[] = [];
  const t0 = 1_700_000_000;
  for (let i = 1; i <= n; i++) {
    const msg = `commit ${i}`;
    const content = `file content ${i}\nline two\n`;
    parts.push(
      `commit refs/heads/main\nmark :${i}\ncommitter Test <t@example.com> ${t0 + i * 60} +0000\n` +
        `data ${Buffer.byteLength(msg)}\n${msg}\n` +
        `M 100644 inline src/file-${i % 100}.txt\ndata ${Buffer.byteLength(content)}\n${content}\n`,
    );
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, env: GIT_TEST_ENV, input: parts.join('') });
  sh(dir, 'reset', '-q', '--hard', 'main');
}
