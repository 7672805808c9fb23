/**
 * Names in a store: handoff ids, file names (`YYYYMMDD-HHMM-<slug>.md`, UTC)
 * and the guards every name built from user input goes through
 * (design.md, "Stores and the index").
 */
import { randomHex } from '../_crypto.js';
import { InvalidInputError } from '../errors.js';

/** Extensions a store lists as handoffs (design.md: markdown and YAML handoffs). */
export const HANDOFF_EXTENSIONS = ['.md', '.markdown', '.yaml', '.yml'] as const;

/** Longest slug in a file name, in characters. */
export const MAX_SLUG_LENGTH = 50;

/** Slug used when the source text has nothing left after transliteration. */
export const FALLBACK_SLUG = 'handoff';

/**
 * A new random handoff id: 8 lowercase hex characters (32 bits from the OS CSPRNG).
 * Collisions are possible in principle; stores never overwrite, and the index reports duplicate ids.
 * @example newHandoffId() // 'a3f9c12e'
 */
export function newHandoffId(): string {
  return randomHex(4);
}

// Letters that NFKD does not decompose into ASCII + combining marks.
const TRANSLITERATION: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŋ: 'ng',
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  α: 'a',
  β: 'b',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};

/**
 * A file-name-safe slug: lowercase `a-z0-9` words joined by `-`, at most
 * {@link MAX_SLUG_LENGTH} characters, cut at a word boundary when possible.
 * Accented Latin, Cyrillic and Greek letters are transliterated; scripts
 * without a simple transliteration (CJK, Arabic, ...) are dropped. Returns
 * {@link FALLBACK_SLUG} when nothing is left.
 * @example slugify('Auth: JWT über Cookies!') // 'auth-jwt-uber-cookies'
 */
export function slugify(text: string): string {
  // ASCII text is its own NFKD form and has nothing to transliterate (and no `\p{M}` regex to build cold).
  const ascii = !/[\u0080-\uffff]/.test(text)
    ? text.toLowerCase()
    : [...text.normalize('NFKD').toLowerCase()]
        .map((ch) => TRANSLITERATION[ch] ?? ch)
        .join('')
        // Combining marks left by NFKD (é -> e + U+0301).
        .replace(/\p{M}+/gu, '');
  const words = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!words) return FALLBACK_SLUG;
  if (words.length <= MAX_SLUG_LENGTH) return words;
  const cut = words.slice(0, MAX_SLUG_LENGTH);
  const lastDash = cut.lastIndexOf('-');
  // Cut at a word boundary unless that would throw away most of the slug.
  const slug = lastDash >= MAX_SLUG_LENGTH / 2 ? cut.slice(0, lastDash) : cut.replace(/-+$/, '');
  return slug || FALLBACK_SLUG;
}

/**
 * The file name of a new handoff: `YYYYMMDD-HHMM-<slug>.md`, time in UTC
 * (design.md: sortable, and two branches adding handoffs never touch the same file).
 * @param createdIso ISO 8601 date-time (any offset) of the handoff's `created`.
 * @param slugSource the name, else the summary, else anything; slugified.
 * @throws InvalidInputError when `createdIso` is not a date.
 * @example handoffFileName('2026-11-21T14:30:00Z', 'todo-api state') // '20261121-1430-todo-api-state.md'
 */
export function handoffFileName(createdIso: string, slugSource: string): string {
  const ms = Date.parse(createdIso);
  if (Number.isNaN(ms)) {
    throw new InvalidInputError(
      `invalid created date ${JSON.stringify(createdIso)}: expected ISO 8601 such as 2026-11-21T14:30:00Z`,
    );
  }
  const iso = new Date(ms).toISOString(); // 2026-11-21T14:30:00.000Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
  return `${stamp}-${slugify(slugSource)}.md`;
}

/**
 * `<stem>-<suffix><ext>`: the fallback name when `key` is taken.
 * @example withSuffix('20261121-1430-x.md', 'a3f9c12e') // '20261121-1430-x-a3f9c12e.md'
 */
export function withSuffix(key: string, suffix: string): string {
  const dot = key.lastIndexOf('.');
  return dot > 0 ? `${key.slice(0, dot)}-${suffix}${key.slice(dot)}` : `${key}-${suffix}`;
}

/**
 * Guards a name that becomes part of a path or a file (handoff name, project, store key).
 * @param what what the value is, for the message (`name`, `project`, ...).
 * @throws InvalidInputError for an empty value, `/`, `\`, `..` or control characters.
 * @example assertSafeName('todo-api', 'name') // ok; assertSafeName('../x', 'name') throws
 */
export function assertSafeName(value: string, what: string): void {
  let reason: string | null = null;
  if (value.length === 0) reason = 'must not be empty';
  else if (value.includes('/') || value.includes('\\')) reason = "must not contain '/' or '\\'";
  else if (value.includes('..')) reason = "must not contain '..'";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  else if (/[\u0000-\u001f\u007f]/.test(value)) reason = 'must not contain control characters';
  if (reason) {
    throw new InvalidInputError(
      `invalid ${what} ${JSON.stringify(value)}: ${reason}; use letters, digits, '-', '_' or '.'`,
    );
  }
}

/**
 * True for a file name a store lists as a handoff: a markdown or YAML
 * extension, not a dot-file (temp files, `.gitignore`), not a README.
 */
export function isHandoffFileName(name: string): boolean {
  // Called for every name in the store directory on each listing: one slice and a Set lookup.
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.charCodeAt(0) === 46 /* . */) return false;
  const ext = name.slice(dot).toLowerCase();
  if (!EXTENSIONS.has(ext)) return false;
  return !(dot === 6 && (ext === '.md' || ext === '.markdown') && name.slice(0, 6).toLowerCase() === 'readme');
}

const EXTENSIONS: ReadonlySet<string> = new Set(HANDOFF_EXTENSIONS);

/**
 * Guards a store key (a file name directly in the store directory).
 * @throws InvalidInputError when the key could escape the directory or is not a handoff file name.
 */
export function assertStoreKey(key: string): void {
  assertSafeName(key, 'store key');
  if (!isHandoffFileName(key)) {
    throw new InvalidInputError(
      `invalid store key ${JSON.stringify(key)}: expected a file name ending in ${HANDOFF_EXTENSIONS.join(', ')} that does not start with '.'`,
    );
  }
}
