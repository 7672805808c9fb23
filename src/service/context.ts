/**
 * The context every service function takes: which store this command acts
 * on, its index, the project, the configuration. Opened once per CLI
 * command, MCP call or hook run; `close()` releases the index.
 */
import type { HandoffConfig } from '../config.js';
import type { HandoffIndex, HandoffStore, SyncReport } from '../store/types.js';

/** How to find the store. Everything optional; defaults come from `process`. */
export interface ContextOptions {
  /** Working directory; the repository is found from here. Default `process.cwd()`. */
  cwd?: string;
  /** Use the user store even inside a repository with a repo store (`--global`). */
  global?: boolean;
  /** Environment to read XDG/HANDOFF_* variables from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Force a full stat scan on the first sync (`--rescan`). */
  rescan?: boolean;
  /** Progress callback for an index rebuild (the CLI draws a bar on a TTY). */
  onProgress?: (done: number, total: number) => void;
}

/** An opened store + index + settings. */
export interface HandoffContext {
  readonly cwd: string;
  /** Root of the git repository `cwd` is in, or null. */
  readonly repoRoot: string | null;
  /** Repository name (basename of its root), or null outside a repository. */
  readonly repoName: string | null;
  readonly store: HandoffStore;
  readonly index: HandoffIndex;
  /** Project for new handoffs and default filters: config `project`, else the repository name, else null. */
  readonly project: string | null;
  readonly config: HandoffConfig;
  readonly env: NodeJS.ProcessEnv;
  /** Non-fatal notes for stderr (e.g. "index unavailable, working without it"). */
  readonly warnings: string[];
  /** Syncs the index with the store once per context; later calls return the first report. */
  ready(): Promise<SyncReport>;
  /** Opens the user store context for the same cwd/env (resume's fallback, automatic checkpoints). */
  userContext(): Promise<HandoffContext>;
  close(): void;
}
