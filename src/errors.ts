/**
 * The few error types the library throws. Each has a stable `code` (for
 * `--json` output and MCP tool errors) and the exit code the CLI maps it to
 * (design.md, "Exit codes": 0 ok; 1 not found, expired, check failed;
 * 2 usage or invalid input, a refused secret included; 3 I/O or store failure).
 *
 * The library never prints or exits; `src/cli` turns these into one line on
 * stderr and `process.exitCode`.
 */

/** Exit codes documented in the README. */
export const ExitCode = {
  ok: 0,
  notFound: 1,
  usage: 2,
  io: 3,
} as const;

/** Stable machine-readable error codes. */
export type HandoffErrorCode =
  | 'usage'
  | 'invalid-input'
  | 'not-found'
  | 'ambiguous'
  | 'expired'
  | 'duplicate-id'
  | 'front-matter'
  | 'secret'
  | 'check-failed'
  | 'io'
  | 'store'
  | 'internal';

const EXIT_BY_CODE: Record<HandoffErrorCode, number> = {
  usage: 2,
  'invalid-input': 2,
  'not-found': 1,
  ambiguous: 2,
  expired: 1,
  'duplicate-id': 2,
  'front-matter': 2,
  secret: 2,
  'check-failed': 1,
  io: 3,
  store: 3,
  internal: 3,
};

/**
 * Base class of every error the library throws on purpose.
 * `message` is one line that says what failed and how to fix it.
 */
export class HandoffError extends Error {
  readonly code: HandoffErrorCode;
  readonly exitCode: number;
  constructor(code: HandoffErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HandoffError';
    this.code = code;
    this.exitCode = EXIT_BY_CODE[code];
  }
}

/** Bad flags, bad arguments, bad input text (exit 2). */
export class UsageError extends HandoffError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, options);
    this.name = 'UsageError';
  }
}

/** Content that cannot be stored: empty, binary, invalid UTF-8, too large, bad names (exit 2). */
export class InvalidInputError extends HandoffError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid-input', message, options);
    this.name = 'InvalidInputError';
  }
}

/** No handoff matches the id, prefix or name (exit 1). */
export class NotFoundError extends HandoffError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('not-found', message, options);
    this.name = 'NotFoundError';
  }
}

/** The handoff exists but its `expires` is in the past (exit 1). `expiredAt` is ISO 8601 UTC. */
export class ExpiredError extends HandoffError {
  readonly expiredAt: string;
  constructor(message: string, expiredAt: string) {
    super('expired', message);
    this.name = 'ExpiredError';
    this.expiredAt = expiredAt;
  }
}

/**
 * Front matter that is not valid YAML or does not fit the schema.
 * `path` is the file (or `<stdin>`), `line` is 1-based in that file.
 */
export class FrontMatterError extends HandoffError {
  readonly path: string;
  readonly line: number;
  constructor(path: string, line: number, reason: string, options?: { cause?: unknown }) {
    super('front-matter', `${path}:${line}: invalid front matter: ${reason}`, options);
    this.name = 'FrontMatterError';
    this.path = path;
    this.line = line;
  }
}

/** A credential was found in content that was about to be stored (exit 2). Never holds the secret itself. */
export class SecretFoundError extends HandoffError {
  readonly findings: ReadonlyArray<{ line: number; kind: string }>;
  constructor(findings: ReadonlyArray<{ line: number; kind: string }>) {
    const first = findings[0];
    const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : '';
    super(
      'secret',
      `refusing to store: line ${first?.line ?? '?'} looks like a ${first?.kind ?? 'secret'}${more}; remove it or pass --redact`,
    );
    this.name = 'SecretFoundError';
    this.findings = findings;
  }
}

/** File system or database failure: unwritable store, full disk, read-only directory (exit 3). */
export class StoreError extends HandoffError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store', message, options);
    this.name = 'StoreError';
  }
}

/** Narrowing helper for `catch (e)`. */
export function isHandoffError(e: unknown): e is HandoffError {
  return e instanceof HandoffError;
}
