/**
 * A cheap pre-check that decides whether the full secret scanner (secretlint,
 * ~tens of ms to load) must run on a text. It must be a superset of what
 * `findSecrets` reports: a false alarm only costs time, a miss would let a
 * credential through. test/service/secret-guard.test.ts checks it against
 * every fake credential the scanner's own tests catch.
 */

// Each pattern is deliberately loose; see the module comment.
const CANDIDATES: RegExp[] = [
  /-----BEGIN[ A-Z0-9]*(PRIVATE|KEY|CERTIFICATE)/,
  /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s@/]+@/i,
  /(key|secret|token|passw|pwd|credential|auth|bearer|session|cookie|signature|sig|dsn|conn)[\w.-]*["']?\s*[:=]/i,
  /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{12,}/,
  /\b(gh[pousr]_|github_pat_|glpat-|gldt-|xox[abposr]-|xapp-|sk-|sk_live|sk_test|rk_live|rk_test|pk_live|whsec_|AIza|ya29\.|npm_|SG\.|shpat_|shpss_|dop_v1_|doo_v1_|hf_|pypi-|AccountKey=|SharedAccessKey|key-[0-9a-f]{8}|dapi[0-9a-f]{8}|sbp_|AGE-SECRET-KEY-|gsk_|lin_api_|ntn_|GOCSPX-)/,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
  /hooks\.slack\.com|discord(app)?\.com\/api\/webhooks/i,
  /\bBearer\s+[A-Za-z0-9._~+/-]{8,}/i,
  /\b(AC|SK)[0-9a-f]{32}\b/,
  // Generic high-entropy token: 32+ characters mixing upper case, lower case and digits.
  /(?=[A-Za-z0-9+/_-]{32,})(?=[^\s]*[A-Z])(?=[^\s]*[a-z])(?=[^\s]*[0-9])[A-Za-z0-9+/_=-]{32,}/,
];

/**
 * True when `text` might hold a credential and the full scanner must run.
 * Runs in microseconds on a typical 3 KB handoff.
 */
export function mayContainSecret(text: string): boolean {
  for (const re of CANDIDATES) if (re.test(text)) return true;
  return false;
}
