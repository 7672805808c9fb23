/**
 * Pure helpers for JSON files we merge into (agent settings, `.mcp.json`):
 * parse strictly with an error that names the file, and serialise in the
 * file's own indentation and line endings so that an untouched setting
 * shows no diff.
 */
import { UsageError } from '../errors.js';

/** A parsed JSON object (never an array or a scalar). */
export type JsonObject = { [key: string]: unknown };

/** True for a plain JSON object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses the text of a JSON settings file. Empty (or whitespace-only) text is `{}`.
 * @throws UsageError naming `path` when the text is not JSON or not an object; the caller writes nothing then.
 */
export function parseJsonObject(text: string, path: string): JsonObject {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    throw new UsageError(`${path}: invalid JSON (${(e as Error).message}); fix the file and run again`, { cause: e });
  }
  if (!isJsonObject(value)) {
    throw new UsageError(`${path}: expected a JSON object at the top level; fix the file and run again`);
  }
  return value;
}

/**
 * Serialises `value` the way `original` was written: same indentation (tabs
 * or N spaces, default 2), same line endings, a final line break when the
 * original had one (and always for a new file).
 */
export function stringifyJsonLike(value: unknown, original: string | null): string {
  let indent: string | number = 2;
  let eol = '\n';
  let finalBreak = true;
  if (original !== null && original.trim() !== '') {
    const m = /\n([ \t]+)\S/.exec(original);
    if (m?.[1]) indent = m[1].startsWith('\t') ? '\t' : m[1].length;
    if (original.includes('\r\n')) eol = '\r\n';
    finalBreak = /\n\s*$/.test(original);
  }
  const text = JSON.stringify(value, null, indent).replace(/\n/g, eol);
  return finalBreak ? text + eol : text;
}

/** Structural equality of two JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
