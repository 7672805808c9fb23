/**
 * The file I/O of `init` and `hooks install`: read what is there, write
 * atomically (write-file-atomic: temp file, fsync, rename), and never write
 * at all in a dry run. Planning and applying are separate so that an error
 * found while planning (invalid JSON, a broken marker) leaves every file as
 * it was.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StoreError } from '../errors.js';
import type { EditAction } from './marked-block.js';

/**
 * How a file's text maps to bytes. Shared text files (CLAUDE.md, .gitignore)
 * are handled as latin1, which maps every byte to one character and back, so
 * any encoding survives an edit byte for byte; what we add is ASCII.
 * JSON files are UTF-8 (the JSON spec).
 */
export type TextEncoding = 'latin1' | 'utf8';

/** One file a command means to write. */
export interface PlannedWrite {
  /** Absolute path. */
  path: string;
  before: string | null;
  after: string;
  action: EditAction;
  encoding: TextEncoding;
  /** File mode for a new file (e.g. 0o600 in the user store). */
  mode?: number;
  /** Directory mode for directories created on the way (0o700 for the user store). */
  dirMode?: number;
}

/** The file's text, or null when it does not exist. @throws StoreError for other read failures. */
export function readTextOrNull(path: string, encoding: TextEncoding): string | null {
  try {
    return readFileSync(path, encoding);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') throw new StoreError(`${path}: is a directory, expected a file`, { cause: e });
    throw new StoreError(`${path}: cannot read (${code ?? (e as Error).message})`, { cause: e });
  }
}

/**
 * Writes every planned change whose action is not `unchanged`, atomically.
 * @throws StoreError naming the file when a directory cannot be created or the file cannot be written.
 */
export async function applyWrites(writes: readonly PlannedWrite[]): Promise<void> {
  const { default: writeFileAtomic } = await import('write-file-atomic');
  for (const w of writes) {
    if (w.action === 'unchanged') continue;
    try {
      await mkdir(dirname(w.path), { recursive: true, ...(w.dirMode ? { mode: w.dirMode } : {}) });
      await writeFileAtomic(
        w.path,
        Buffer.from(w.after, w.encoding),
        w.mode && w.before === null ? { mode: w.mode } : {},
      );
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new StoreError(`${w.path}: cannot write (${code ?? (e as Error).message}); nothing after it was written`, {
        cause: e,
      });
    }
  }
}
