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

/** Where an error instance lists the kinds (class names) it is an instance of. */
const ERROR_KINDS = Symbol.for('session-handoff.error-kinds');

/**
 * Base class of every error the library throws on purpose.
 * `message` is one line that says what failed and how to fix it.
 */
export class HandoffError extends Error {
  /** This class's name for `instanceof` across copies of this module (see below). */
  static readonly kind: string = 'HandoffError';

  /**
   * `instanceof` by class kind, not by identity: the CLI is built as one
   * bundle per command (scripts/build.mjs), so an error thrown by one
   * bundle's copy of a class must still match another bundle's copy.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const kinds = (value as { [ERROR_KINDS]?: unknown })[ERROR_KINDS];
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` asks about (a subclass included)
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }

  readonly code: HandoffErrorCode;
  readonly exitCode: number;
  constructor(code: HandoffErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HandoffError';
    this.code = code;
    this.exitCode = EXIT_BY_CODE[code];
    const kinds: string[] = [];
    for (let c = new.target as { kind?: string } | null; c?.kind; c = Object.getPrototypeOf(c)) {
      if (!kinds.includes(c.kind)) kinds.push(c.kind);
    }
    Object.defineProperty(this, ERROR_KINDS, { value: kinds });
  }
}

/** Bad flags, bad arguments, bad input text (exit 2). */
export class UsageError extends HandoffError {
  static override readonly kind: string = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, options);
    this.name = 'UsageError';
  }
}

/** Content that cannot be stored: empty, binary, invalid UTF-8, too large, bad names (exit 2). */
export class InvalidInputError extends HandoffError {
  static override readonly kind: string = 'InvalidInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid-input', message, options);
    this.name = 'InvalidInputError';
  }
}

/** No handoff matches the id, prefix or name (exit 1). */
export class NotFoundError extends HandoffError {
  static override readonly kind: string = 'NotFoundError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('not-found', message, options);
    this.name = 'NotFoundError';
  }
}

/** The handoff exists but its `expires` is in the past (exit 1). `expiredAt` is ISO 8601 UTC. */
export class ExpiredError extends HandoffError {
  static override readonly kind: string = 'ExpiredError';
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
  static override readonly kind: string = 'FrontMatterError';
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
  static override readonly kind: string = 'SecretFoundError';
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
  static override readonly kind: string = 'StoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('store', message, options);
    this.name = 'StoreError';
  }
}

/** Narrowing helper for `catch (e)`. */
export function isHandoffError(e: unknown): e is HandoffError {
  return e instanceof HandoffError;
}
