/**
 * The one way this package runs git: argv (never a shell), a timeout, and
 * typed failure. Used by the store (first-commit dates), capture (draft
 * facts) and resume (drift since a handoff).
 */

/** Result of one git invocation. `code` is git's exit status (null when it was killed). */
export interface GitResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/**
 * Runs `git <args>` in `cwd`. Never throws for a non-zero exit; throws only
 * when git cannot be started at all (ENOENT), which callers treat as
 * "no repository".
 * @param timeoutMs kill after this many milliseconds (default 10 000).
 * @param maxBuffer largest stdout in bytes (default 64 MiB).
 */
export async function runGit(
  args: string[],
  cwd: string,
  options: { timeoutMs?: number; maxBuffer?: number } = {},
): Promise<GitResult> {
  // Loaded here, not at the top: child_process costs ~2.3 ms of start-up that `list` never needs.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        timeout: options.timeoutMs ?? 10_000,
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        encoding: 'utf8',
        env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(error);
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ stdout, stderr, code });
      },
    );
  });
}

/** `git <args>` stdout trimmed, or null on any failure. */
export async function gitOutput(args: string[], cwd: string): Promise<string | null> {
  try {
    const r = await runGit(args, cwd);
    return r.code === 0 ? r.stdout.trim() : null;
  } catch {
    return null;
  }
}
