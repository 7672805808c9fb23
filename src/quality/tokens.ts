/**
 * Token counting with a real tokenizer (OpenAI's o200k_base via
 * gpt-tokenizer), loaded lazily: importing it costs ~300 ms cold on the
 * reference machine, so hot paths first try the free byte bound.
 *
 * Why the byte bound holds: o200k_base is a byte-level BPE, every token
 * covers at least one UTF-8 byte, so `tokens <= Buffer.byteLength(text)`
 * (design.md, "Decisions" > "Stores, index, speed").
 */

type Tokenizer = typeof import('gpt-tokenizer/encoding/o200k_base');

let tokenizer: Promise<Tokenizer> | null = null;

/**
 * Special-token markers such as `<|endoftext|>` are ordinary text inside a
 * handoff; the tokenizer throws on them by default.
 */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

function loadTokenizer(): Promise<Tokenizer> {
  tokenizer ??= import('gpt-tokenizer/encoding/o200k_base');
  return tokenizer;
}

/**
 * An upper bound on the token count of `text` that costs nothing:
 * its UTF-8 size in bytes (tokens never outnumber bytes).
 *
 * @example tokenUpperBound('héllo') // 6
 */
export function tokenUpperBound(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The number of o200k_base tokens in `text` (GPT-4o / GPT-5 family; a
 * close proxy for other models' tokenizers). Loads the tokenizer on first use.
 * Special-token markers in the text are counted as plain text, never rejected.
 *
 * @example await countTokens('hello world') // 2
 */
export async function countTokens(text: string): Promise<number> {
  if (text.length === 0) return 0;
  const { countTokens: count } = await loadTokenizer();
  return count(text, PLAIN_TEXT);
}

/**
 * Whether `text` fits in `limit` tokens. Skips loading the tokenizer when
 * the byte bound already fits, and stops encoding once the limit is passed.
 *
 * @param limit maximum number of tokens, inclusive
 */
export async function withinTokenLimit(text: string, limit: number): Promise<boolean> {
  if (tokenUpperBound(text) <= limit) return true;
  if (limit < 0) return false;
  const { isWithinTokenLimit } = await loadTokenizer();
  return isWithinTokenLimit(text, limit, PLAIN_TEXT) !== false;
}

/** Whether the tokenizer has been requested in this process (for tests and benchmarks of cold paths). */
export function isTokenizerLoaded(): boolean {
  return tokenizer !== null;
}
