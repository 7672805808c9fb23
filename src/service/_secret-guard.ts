/**
 * A cheap pre-check that decides whether the full secret scanner (secretlint,
 * ~tens of ms to load) must run on a text. It must be a superset of what
 * `findSecrets` reports: a false alarm only costs time, a miss would let a
 * credential through. test/service/secret-guard.test.ts checks it against
 * every fake credential the scanner's own tests catch.
 */

import { SECRET_KEY_NAME } from '../quality/_secret-key-name.js';

// Each pattern is deliberately loose; see the module comment.
/**
 * The loose patterns that ignore case, as lowercase patterns without the `i`
 * flag, run on the lowercased text: V8 compiles a case-insensitive
 * alternation of credential names ~2.5x slower (~0.3 ms of every cold
 * `store`), and lowercasing can only add matches (a superset is what this
 * pre-check must be).
 */
const CANDIDATES_LOWERCASE: readonly RegExp[] = [
  /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s@/]+@/,
  // A credential-named setting (the scanner's own list of names) given a value of 8+ characters.
  new RegExp(String.raw`(${SECRET_KEY_NAME})["']?[ \t]*(?::=|=>|=|:)[ \t]*["'\`]?[^\s"'\`,;]{8,}`),
  /\b(bearer\s+[a-z0-9._~+/=-]{16,}|basic\s+[a-z0-9+/=]{12,})/,
  /hooks\.slack\.com|discord(app)?\.com\/api\/webhooks/,
];

/** The loose patterns where case matters, run on the text as it is. */
const CANDIDATES: readonly RegExp[] = [
  /-----BEGIN[ A-Z0-9]*(PRIVATE|KEY|CERTIFICATE)/,
  /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{12,}/,
  /\b(gh[pousr]_|github_pat_|glpat-|gldt-|xox[abposr]-|xapp-|sk-|sk_live|sk_test|rk_live|rk_test|pk_live|whsec_|AIza|ya29\.|npm_|SG\.|shpat_|shpss_|dop_v1_|doo_v1_|hf_|pypi-|AccountKey=|SharedAccessKey|key-[0-9a-f]{8}|dapi[0-9a-f]{8}|sbp_|AGE-SECRET-KEY-|gsk_|lin_api_|ntn_|GOCSPX-)/,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
  /\b(AC|SK)[0-9a-f]{32}\b/,
  // Generic high-entropy token: 32+ characters mixing upper case, lower case and digits. No `/`:
  // paths matched it in a fifth of real handoffs, and base64 secrets with `/` come with a keyword above.
  /(?<![A-Za-z0-9+_=-])(?=[A-Za-z0-9+_=-]{32,})(?=[A-Za-z0-9+_=-]*[A-Z])(?=[A-Za-z0-9+_=-]*[a-z])(?=[A-Za-z0-9+_=-]*[0-9])[A-Za-z0-9+_=-]{32,}/,
];

/**
 * True when `text` might hold a credential and the full scanner must run.
 * Runs in microseconds on a typical 3 KB handoff once its patterns are
 * compiled (~0.5 ms, once per process).
 */
export function mayContainSecret(text: string): boolean {
  for (const re of CANDIDATES) if (re.test(text)) return true;
  const lower = text.toLowerCase();
  for (const re of CANDIDATES_LOWERCASE) if (re.test(lower)) return true;
  return false;
}
