/**
 * The contract between the CLI entry (`src/cli/main.ts`, which declares
 * commands from the table in program.ts and is the only place that exits) and each
 * command module `src/cli/commands/<name>.ts`, which exports
 * `run(io: CommandIO, args: string[], opts: Record<string, unknown>): Promise<number>`
 * returning the exit code. Command modules are thin adapters: parse options,
 * call a library function, print. They throw `HandoffError`s; main turns them
 * into one line on stderr (or `{"error": {code, message}}` with `--json`).
 */
export interface CommandIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Writes to stdout exactly what is given (no newline added): text, or bytes as they are (UTF-8 text). */
  out(text: string | Uint8Array): void;
  /** Writes one line to stderr (newline added). Respects NO_COLOR via `color`. */
  err(line: string): void;
  /** Reads all of stdin as bytes (empty when stdin is a TTY); see `readStdinBytes` in io.ts. */
  readStdin(): Promise<Buffer>;
  /** True when stdout is a terminal. */
  isTTY: boolean;
  /** Global flags: `--json`, `--global`, `--debug`, `--rescan`. */
  json: boolean;
  global: boolean;
  debug: boolean;
  rescan: boolean;
}

/** Signature every command module exports as `run`. */
export type CommandRun = (io: CommandIO, args: string[], opts: Record<string, unknown>) => Promise<number>;
