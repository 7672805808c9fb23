/**
 * Credential detection for handoff text: secretlint's maintained
 * recommended preset (design.md, "Quality rules" > `secret`) plus our own
 * detectors, kept as data, for what the preset misses or leaves off by
 * default (AWS key ids, Stripe, Google API keys, GitLab, `.env` assignments,
 * Bearer headers, JWTs, redis/amqp URLs, short PEM blocks, ...).
 *
 * Placeholders are not secrets (design.md, "Decisions" > "Quality"): every
 * candidate value is checked against `PLACEHOLDER_PATTERNS` first.
 *
 * No finding, kind or message ever holds the secret value itself; callers
 * get offsets and a human kind ("GitHub token"), so that error messages,
 * logs and `--json` output cannot leak what they warn about.
 *
 * secretlint costs ~50 ms to import, so it is loaded on first use only.
 */

import { SECRET_KEY_NAME } from './_secret-key-name.js';

export { SECRET_KEY_NAME };

/**
 * One credential found in a text.
 * `start`/`end` are string offsets (UTF-16 code units, as `text.slice`
 * takes them) of the part to redact; `line` is 1-based, `column` 1-based
 * (in code units) at `start`. `kind` is a human name such as
 * `"AWS access key ID"`; `ruleId` names the detector
 * (`@secretlint/secretlint-rule-github`, `handoff/stripe-key`, ...).
 */
export interface SecretFinding {
  line: number;
  column: number;
  kind: string;
  ruleId: string;
  start: number;
  end: number;
}

/** One detector of our own. */
export interface SecretDetector {
  /** Stable id; findings carry `handoff/<id>` as `ruleId`. */
  id: string;
  /** Human name of what was found; never the value. */
  kind: string;
  /** Global regex. The secret is capture group `group` (default: the whole match). */
  pattern: RegExp;
  group?: number;
  /**
   * Extra check on the captured value (after the placeholder check).
   * Used by the generic detectors to demand a random-looking value.
   */
  accept?: (value: string, match: RegExpExecArray) => boolean;
  /** Specific detectors (a vendor prefix) win over generic ones on overlap. */
  specific: boolean;
  /**
   * Strings every match contains (one of them): a text holding none is not
   * scanned, which spares compiling the regex on a cold start. Lower case
   * for a case-insensitive pattern (`i`), which is then tested on the
   * lower-cased text. test/quality/secrets.test.ts checks them.
   */
  literals?: readonly string[];
  /**
   * Every match lies within one line (no pattern part matches a newline, and
   * a look-behind at the line start sees a newline as it sees no character):
   * with `literals`, only the lines holding one are scanned. For patterns
   * slow on long texts (the generic assignment detector).
   */
  lineLocal?: boolean;
}

/**
 * Values that are template text, not credentials. Tested against the
 * candidate value only (not its surroundings), case-insensitively where
 * marked. Sources: design.md ("your_key_here", "sk_test_xxxxx", "<token>",
 * "***"), and what docs, READMEs and the corpus use for "put yours here".
 */
export const PLACEHOLDER_PATTERNS: readonly RegExp[] = [
  /your[_-]?(?:own[_-]?)?(?:api[_-]?)?(?:key|token|secret|password|pass|pw)/i,
  /[_-]here$/i,
  /^<[^>]*>$/,
  /<[a-z_ -]{2,40}>/i,
  /^\[[^\]]*\]$/,
  /^\*+$/,
  /\*{3,}/,
  /\$\{[^}]*\}?/,
  /\{\{[^}]*\}\}/,
  /^\{[^}]*\}$/,
  /^\$[A-Za-z_][A-Za-z0-9_]*$/,
  /^\$\(.*\)$/,
  /%[A-Z_]+%/,
  /x{4,}/i,
  /changeme|change[_-]me|replace[_-]?(?:me|with|this)/i,
  /example/i,
  /placeholder/i,
  /dummy/i,
  /redacted/i,
  /sample/i,
  /not[_-]?a[_-]?real/i,
  /^(.)\1+$/,
  /(.)\1{7,}/,
  /\.\.\./,
  /…/,
  /0123456789|1234567890|abcdefgh|abcdef123456/i,
  /^(?:null|none|undefined|true|false|secret|password|passw0rd|token|test|admin|root|guest)$/i,
  /^(?:sk|pk|rk)_(?:test|live)_(?:[x0-9]{1,4}|x+)$/i,
];

/**
 * Known published example values (documentation samples), not secrets.
 * Compared whole, after trimming quotes.
 */
const KNOWN_EXAMPLES: ReadonlySet<string> = new Set([
  // The JWT on jwt.io's front page ("John Doe").
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
]);

/** Whether `value` is template text rather than a credential. */
export function isPlaceholder(value: string): boolean {
  const v = value.replace(/^["'`]+|["'`,;]+$/g, '');
  if (v.length === 0) return true;
  if (KNOWN_EXAMPLES.has(v)) return true;
  return PLACEHOLDER_PATTERNS.some((p) => p.test(v));
}

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  const n = value.length;
  for (const c of counts.values()) {
    const p = c / n;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A value that looks generated rather than written: long enough, mixes
 * letters and digits (or is a long hex/base64 run), high entropy, and is
 * not a path, URL, version, code expression or identifier. Used by the
 * generic `.env`/Bearer detectors, where the key name alone proves nothing.
 */
export function looksRandom(value: string, minLength = 16): boolean {
  const v = value.replace(/^["'`]+|["'`,;]+$/g, '');
  if (v.length < minLength) return false;
  if (/\s/.test(v)) return false;
  if (/^[\d.,:_/+-]+$/.test(v)) return false; // numbers, dates, versions
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return false; // URLs
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v)) return false; // paths
  if (/\/[\w-]+\.[a-z]{1,5}$/i.test(v)) return false; // dir/file.ext
  if (/[()[\]{}<>]|process\.env|os\.environ|getenv|env\(/i.test(v)) return false; // code
  if (/^[A-Za-z_]+(?:\.[A-Za-z_]+)+$/.test(v)) return false; // dotted identifiers
  const hasLetter = /[A-Za-z]/.test(v);
  const hasDigit = /\d/.test(v);
  const longEncoded = /^[A-Fa-f0-9]{32,}$/.test(v) || /^[A-Za-z0-9+/_=-]{32,}$/.test(v);
  if (!(hasLetter && hasDigit) && !longEncoded) return false;
  if (isWordy(v)) return false;
  const minEntropy = v.length >= 24 ? 3.5 : 3.0;
  return entropy(v) >= minEntropy;
}

/**
 * Made of words and numbers (`claude-opus-4-5-20251101`, `getAccessToken2`,
 * `API_V2_HANDLER`): nearly every letter sits in a run of 3+ that reads as
 * one word. Generated strings break into many 1-2 letter runs.
 */
function isWordy(v: string): boolean {
  const tokens = v.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [];
  const letters = tokens.reduce((n, t) => n + t.length, 0);
  if (letters === 0) return false;
  const inWords = tokens.filter((t) => t.length >= 3).reduce((n, t) => n + t.length, 0);
  return inWords / letters >= 0.9;
}

/** Shorter threshold for values assigned to a *password*: people choose them. */
function looksLikePassword(value: string): boolean {
  const v = value.replace(/^["'`]+|["'`,;]+$/g, '');
  if (v.length < 8 || /\s/.test(v)) return false;
  if (looksRandom(v)) return true;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(v)).length;
  if (classes < 3) return false;
  if (/[()[\]{}<>]|process\.env|os\.environ/.test(v)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /\//.test(v)) return false;
  return entropy(v) >= 2.5;
}

/**
 * Our detectors, as data. Vendor formats come from each vendor's published
 * token format (prefix + length); the generic ones demand a random-looking
 * value. Order does not matter: overlaps are resolved in `mergeFindings`.
 */
export const SECRET_DETECTORS: readonly SecretDetector[] = [
  {
    id: 'private-key-block',
    kind: 'private key',
    // PEM / OpenSSH / PGP private key with a body (a bare BEGIN line in prose is not a key);
    // shorter bodies than secretlint's 100-char minimum count too (truncated keys still leak).
    pattern:
      /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----\r?\n(?:[A-Za-z0-9+/=:\\ -]*\r?\n)*?(?:[A-Za-z0-9+/=]{40,}\r?\n)(?:[A-Za-z0-9+/=\\ ]*\r?\n)*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?=\r?\n\r?\n|```|$))/g,
    specific: true,
    literals: ['-----BEGIN '],
  },
  {
    id: 'aws-access-key-id',
    kind: 'AWS access key ID',
    pattern: /\b(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z2-7]{16}\b/g,
    specific: true,
    literals: ['A3T', 'AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA'],
  },
  {
    id: 'aws-secret-access-key',
    kind: 'AWS secret access key',
    pattern: /aws.{0,20}?(?:secret|private).{0,20}?["'=:\s]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    group: 1,
    accept: (v) => looksRandom(v, 40),
    specific: true,
    literals: ['aws'],
  },
  {
    id: 'anthropic-key',
    kind: 'Anthropic API key',
    pattern: /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|oat|sid)\d{2}-[A-Za-z0-9_-]{32,}/g,
    specific: true,
    literals: ['sk-ant-'],
  },
  {
    id: 'openai-key',
    kind: 'OpenAI API key',
    pattern:
      /(?<![A-Za-z0-9_-])sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{32,}|(?<![A-Za-z0-9_-])sk-[A-Za-z0-9]{48}(?![A-Za-z0-9_-])/g,
    specific: true,
    literals: ['sk-'],
  },
  {
    id: 'openrouter-key',
    kind: 'OpenRouter API key',
    pattern: /(?<![A-Za-z0-9_-])sk-or-v1-[a-f0-9]{64}/g,
    specific: true,
    literals: ['sk-or-v1-'],
  },
  {
    id: 'stripe-key',
    kind: 'Stripe secret key',
    pattern: /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g,
    specific: true,
    literals: ['_live_', '_test_'],
  },
  {
    id: 'stripe-webhook-secret',
    kind: 'Stripe webhook secret',
    pattern: /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9]{24,}/g,
    specific: true,
    literals: ['whsec_'],
  },
  {
    id: 'google-api-key',
    kind: 'Google API key',
    pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
    specific: true,
    literals: ['AIza'],
  },
  {
    id: 'google-oauth-secret',
    kind: 'Google OAuth client secret',
    pattern: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/g,
    specific: true,
    literals: ['GOCSPX-'],
  },
  {
    id: 'github-token',
    kind: 'GitHub token',
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  },
  {
    id: 'gitlab-token',
    kind: 'GitLab token',
    pattern: /(?<![A-Za-z0-9_-])(?:glpat|gldt|glptt|glrt|glcbt|glsoat|glffct)-[A-Za-z0-9_-]{20,}/g,
    specific: true,
    literals: ['glpat-', 'gldt-', 'glptt-', 'glrt-', 'glcbt-', 'glsoat-', 'glffct-'],
  },
  {
    id: 'slack-token',
    kind: 'Slack token',
    pattern: /(?<![A-Za-z0-9_-])xox[abposr]-(?:\d+-)?[A-Za-z0-9-]{10,}/g,
    specific: true,
    literals: ['xox'],
  },
  {
    id: 'slack-webhook',
    kind: 'Slack webhook URL',
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{20,}/g,
    specific: true,
    literals: ['https://hooks.slack.com/'],
  },
  {
    id: 'discord-webhook',
    kind: 'Discord webhook URL',
    pattern: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{5,}\/[A-Za-z0-9_-]{30,}/g,
    specific: true,
    literals: ['/api/webhooks/'],
  },
  {
    id: 'discord-bot-token',
    kind: 'Discord bot token',
    pattern: /(?<![A-Za-z0-9_.-])[MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}(?![A-Za-z0-9_.-])/g,
    accept: (v) => /\d/.test(v) && entropy(v) >= 4,
    specific: true,
  },
  {
    id: 'telegram-bot-token',
    kind: 'Telegram bot token',
    pattern: /(?<![A-Za-z0-9_:])\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
    specific: true,
    literals: [':AA'],
  },
  {
    id: 'npm-token',
    kind: 'npm token',
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['npm_'],
  },
  {
    id: 'pypi-token',
    kind: 'PyPI token',
    pattern: /(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g,
    specific: true,
    literals: ['pypi-AgEIcHlwaS5vcmc'],
  },
  {
    id: 'huggingface-token',
    kind: 'Hugging Face token',
    pattern: /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{34,}(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['hf_'],
  },
  {
    id: 'sendgrid-key',
    kind: 'SendGrid API key',
    pattern: /(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
    specific: true,
    literals: ['SG.'],
  },
  {
    id: 'twilio-api-key',
    kind: 'Twilio API key',
    pattern: /(?<![A-Za-z0-9_])SK[0-9a-f]{32}(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['SK'],
  },
  {
    id: 'twilio-auth-token',
    kind: 'Twilio auth token',
    pattern: /twilio.{0,20}?(?:auth|token|secret).{0,20}?["'=:\s]\s*["']?([0-9a-f]{32})(?![0-9a-f])/gi,
    group: 1,
    specific: true,
    literals: ['twilio'],
  },
  {
    id: 'mailgun-key',
    kind: 'Mailgun API key',
    pattern: /(?<![A-Za-z0-9_-])key-[0-9a-f]{32}(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['key-'],
  },
  {
    id: 'mailchimp-key',
    kind: 'Mailchimp API key',
    pattern: /(?<![A-Za-z0-9_-])[0-9a-f]{32}-us\d{1,2}(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['-us'],
  },
  {
    id: 'digitalocean-token',
    kind: 'DigitalOcean token',
    pattern: /(?<![A-Za-z0-9_])do[opr]_v1_[a-f0-9]{64}(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['_v1_'],
  },
  {
    id: 'supabase-token',
    kind: 'Supabase access token',
    pattern: /(?<![A-Za-z0-9_])sb(?:p|_secret)_[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['sbp_', 'sb_secret_'],
  },
  {
    id: 'databricks-token',
    kind: 'Databricks token',
    pattern: /(?<![A-Za-z0-9_])dapi[a-f0-9]{32}(?:-\d)?(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['dapi'],
  },
  {
    id: 'groq-key',
    kind: 'Groq API key',
    pattern: /(?<![A-Za-z0-9_])gsk_[A-Za-z0-9]{48,}(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['gsk_'],
  },
  {
    id: 'xai-key',
    kind: 'xAI API key',
    pattern: /(?<![A-Za-z0-9_-])xai-[A-Za-z0-9]{70,}(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['xai-'],
  },
  {
    id: 'replicate-token',
    kind: 'Replicate API token',
    pattern: /(?<![A-Za-z0-9_])r8_[A-Za-z0-9]{37}(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['r8_'],
  },
  {
    id: 'notion-token',
    kind: 'Notion integration token',
    pattern: /(?<![A-Za-z0-9_])(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{46})(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['secret_', 'ntn_'],
  },
  {
    id: 'linear-key',
    kind: 'Linear API key',
    pattern: /(?<![A-Za-z0-9_])lin_(?:api|oauth)_[A-Za-z0-9]{32,}(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['lin_api_', 'lin_oauth_'],
  },
  {
    id: 'atlassian-token',
    kind: 'Atlassian API token',
    pattern: /(?<![A-Za-z0-9_])ATATT3[A-Za-z0-9_=-]{150,}(?![A-Za-z0-9_=-])/g,
    specific: true,
    literals: ['ATATT3'],
  },
  {
    id: 'shopify-token',
    kind: 'Shopify token',
    pattern: /(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9_])/g,
    specific: true,
    literals: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
  },
  {
    id: 'square-token',
    kind: 'Square token',
    pattern: /(?<![A-Za-z0-9_-])(?:sq0atp|sq0csp|EAAA)[-_][A-Za-z0-9_-]{22,}(?![A-Za-z0-9_-])/g,
    specific: true,
    literals: ['sq0atp', 'sq0csp', 'EAAA'],
  },
  {
    id: 'azure-storage-key',
    kind: 'Azure storage account key',
    pattern: /AccountKey=([A-Za-z0-9+/]{80,}={0,2})/g,
    group: 1,
    specific: true,
    literals: ['AccountKey='],
  },
  {
    id: 'age-secret-key',
    kind: 'age secret key',
    pattern: /AGE-SECRET-KEY-1[0-9A-Z]{58}/g,
    specific: true,
    literals: ['AGE-SECRET-KEY-1'],
  },
  {
    id: 'jwt',
    kind: 'JSON Web Token',
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g,
    specific: true,
    literals: ['eyJ'],
  },
  {
    id: 'connection-string',
    kind: 'connection string with a password',
    // scheme://user:password@host for any scheme (postgres, mongodb+srv, mysql, redis, rediss,
    // amqp, amqps, mssql, ...); the user may be empty (`redis://:password@host`).
    // Only the password is redacted, so the host stays readable.
    pattern: /\b(?:[a-z][a-z0-9+.-]{1,20}):\/\/[^\s:/@'"`<>]{0,100}:([^\s@/'"`<>]{3,200})@[A-Za-z0-9.-]+[A-Za-z0-9]/gi,
    group: 1,
    accept: (v) => !/^(?:pass(?:word)?|secret|pwd|pw|user|admin|root|postgres|guest|test)$/i.test(v),
    specific: true,
    literals: ['://'],
  },
  {
    id: 'bearer-token',
    kind: 'Bearer token',
    pattern: /\b(?:Bearer|Token)\s+([A-Za-z0-9._~+/=-]{20,})/g,
    group: 1,
    accept: (v) => looksRandom(v, 20),
    specific: false,
    literals: ['Bearer', 'Token'],
  },
  {
    id: 'basic-auth-header',
    kind: 'HTTP Basic credentials',
    pattern: /Authorization:\s*Basic\s+([A-Za-z0-9+/]{12,}={0,2})/gi,
    group: 1,
    accept: (v) => looksRandom(v, 12),
    specific: false,
    literals: ['basic'],
  },
  {
    id: 'env-assignment',
    kind: 'credential assignment',
    // `API_KEY=...`, `export GITHUB_TOKEN=...`, `"client_secret": "..."`, `password: ...`.
    // The key name only nominates the value; the value must look generated.
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9_.-])["']?(${SECRET_KEY_NAME})["']?[ \t]*(?::=|=>|=|:)[ \t]*["'\`]?([^\s"'\`,;]+)`,
      'gi',
    ),
    group: 2,
    accept: (v, m) => (/pass|pwd/i.test(m[1] ?? '') ? looksLikePassword(v) : looksRandom(v)),
    specific: false,
    // Its optional `name.` / `name_` prefixes make V8 try the key names at every position: ~1 ms
    // over a 3 KB handoff, a few microseconds over the lines that name a key.
    lineLocal: true,
    literals: ['key', 'secret', 'token', 'passw', 'pwd', 'credential'],
  },
];

/** Human names for secretlint's message ids. */
const SECRETLINT_KINDS: Readonly<Record<string, string>> = {
  AWSAccessKeyID: 'AWS access key ID',
  AWSSecretAccessKey: 'AWS secret access key',
  AWSAccountID: 'AWS account ID',
  PrivateKeyP12: 'GCP service account key',
  PrivateKeyJSON: 'GCP service account key',
  PackageJSON_xOauthToken: 'GitHub OAuth token',
  Npmrc_authToken: 'npm token',
  NPM_ACCESS_TOKEN: 'npm token',
  SLACK_TOKEN: 'Slack token',
  IncomingWebhook: 'Slack webhook URL',
  BasicAuth: 'URL with a password',
  OPENAI_TOKEN: 'OpenAI API key',
  ANTHROPIC_API_KEY: 'Anthropic API key',
  LINEAR_API_TOKEN: 'Linear API key',
  PrivateKey: 'private key',
  SENDGRID_KEY: 'SendGrid API key',
  SHOPIFY_KEY: 'Shopify token',
  GITHUB_TOKEN: 'GitHub token',
  OPS_TOKEN: '1Password service account token',
  MongoDBConnection: 'MongoDB connection string',
  MySQLConnection: 'MySQL connection string',
  PostgreSQLConnection: 'PostgreSQL connection string',
};

interface RawFinding {
  kind: string;
  ruleId: string;
  start: number;
  end: number;
  specific: boolean;
}

type SecretlintCore = typeof import('@secretlint/core');
type SecretlintPreset = typeof import('@secretlint/secretlint-rule-preset-recommend');
let secretlint: Promise<[SecretlintCore, SecretlintPreset]> | null = null;

function loadSecretlint(): Promise<[SecretlintCore, SecretlintPreset]> {
  secretlint ??= Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]);
  return secretlint;
}

/** Whether secretlint has been requested in this process (for tests and benchmarks of cold paths). */
export function isSecretlintLoaded(): boolean {
  return secretlint !== null;
}

/**
 * Connection-string and Basic-auth messages cover the whole URL; narrow the
 * range to the password so a redacted handoff still names the host.
 */
function narrowToPassword(text: string, start: number, end: number): [number, number] {
  const slice = text.slice(start, end);
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s@]+)@/i.exec(slice);
  if (!m || m[1] === undefined) return [start, end];
  const at = start + m[0].length - 1 - m[1].length;
  return [at, at + m[1].length];
}

async function runSecretlint(text: string): Promise<RawFinding[]> {
  const [{ lintSource }, preset] = await loadSecretlint();
  const result = await lintSource({
    source: { content: text, filePath: 'handoff.md', ext: '.md', contentType: 'text' },
    options: {
      maskSecrets: true,
      // Never let the scanner read a file from disk (its P12 check does when given a real path).
      noPhysicFilePath: true,
      config: {
        rules: [
          {
            id: '@secretlint/secretlint-rule-preset-recommend',
            rule: preset.creator,
            rules: [
              // Key ids are off by default in the preset; an AKIA id next to its secret is the usual leak.
              // Account ids are not secret (AWS says so), so that message stays off.
              {
                id: '@secretlint/secretlint-rule-aws',
                options: { enableIDScanRule: true },
                allowMessageIds: ['AWSAccountID'],
              },
              // A handoff is someone else's text: a `secretlint-disable` comment in it must not blind the scan.
              { id: '@secretlint/secretlint-rule-filter-comments', disabled: true },
            ],
          },
        ],
      },
    },
  });
  const out: RawFinding[] = [];
  for (const m of result.messages) {
    if (m.type !== 'message') continue;
    let [start, end] = m.range;
    if (/connection|BasicAuth/i.test(m.messageId)) [start, end] = narrowToPassword(text, start, end);
    if (m.messageId !== 'PrivateKey' && m.messageId !== 'PrivateKeyJSON' && isPlaceholder(text.slice(start, end))) {
      continue;
    }
    out.push({
      kind: SECRETLINT_KINDS[m.messageId] ?? 'secret',
      ruleId: m.ruleId,
      start,
      end,
      specific: true,
    });
  }
  return out;
}

const COMPILED = new WeakMap<SecretDetector, RegExp>();

/** The detector's pattern with `g` and `d` (`d` gives capture offsets, so the redacted span is exactly the value). */
function compiled(d: SecretDetector): RegExp {
  let re = COMPILED.get(d);
  if (!re) {
    re = new RegExp(d.pattern.source, [...new Set([...d.pattern.flags, 'g', 'd'])].join(''));
    COMPILED.set(d, re);
  }
  return re;
}

function runDetectors(text: string, detectors: readonly SecretDetector[]): RawFinding[] {
  const out: RawFinding[] = [];
  let lower: string | undefined;
  for (const d of detectors) {
    const caseless = d.pattern.flags.includes('i');
    if (d.literals) {
      if (caseless) lower ??= text.toLowerCase();
      const haystack = caseless ? (lower as string) : text;
      if (!d.literals.some((l) => haystack.includes(l))) continue;
    }
    const re = compiled(d);
    const parts = d.lineLocal && d.literals ? linesWith(text, d.literals, caseless) : [{ text, offset: 0 }];
    for (const part of parts) {
      re.lastIndex = 0;
      for (let m = re.exec(part.text); m !== null; m = re.exec(part.text)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const group = d.group ?? 0;
        const value = m[group];
        const span = m.indices?.[group];
        if (value === undefined || span === undefined) continue;
        const at = part.offset + span[0];
        if (d.id !== 'private-key-block' && isPlaceholder(value)) continue;
        if (d.id === 'private-key-block' && isPlaceholderKeyBlock(value)) continue;
        if (d.accept && !d.accept(value, m)) continue;
        out.push({ kind: d.kind, ruleId: `handoff/${d.id}`, start: at, end: at + value.length, specific: d.specific });
      }
    }
  }
  return out;
}

/** The lines of `text` (without their `\n`) that hold one of `literals`, with their offsets. */
function linesWith(
  text: string,
  literals: readonly string[],
  caseless: boolean,
): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    const haystack = caseless ? line.toLowerCase() : line;
    if (literals.some((l) => haystack.includes(l))) out.push({ text: line, offset: start });
    start = end + 1;
  }
  return out;
}

/** `-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END...` and friends are documentation. */
function isPlaceholderKeyBlock(block: string): boolean {
  const body = block
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => !l.startsWith('-----'))
    .join('');
  return /\.\.\.|…|x{6,}|<[^>]+>|example|placeholder|redacted/i.test(body) || entropy(body) < 4;
}

/**
 * Sorts and merges overlapping findings into one per region: a vendor
 * detector's kind wins over a generic one (an `OPENAI_API_KEY=sk-...` line
 * is an "OpenAI API key", not a "credential assignment"), and the merged
 * range is the union, so redaction covers everything any detector saw.
 */
function mergeFindings(raw: RawFinding[]): RawFinding[] {
  raw.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: RawFinding[] = [];
  for (const f of raw) {
    const last = merged[merged.length - 1];
    if (last && f.start < last.end) {
      const keep = !last.specific && f.specific ? { ...f } : last;
      keep.start = Math.min(last.start, f.start);
      keep.end = Math.max(last.end, f.end);
      merged[merged.length - 1] = keep;
    } else {
      merged.push({ ...f });
    }
  }
  return merged;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function locate(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
}

/** Options of {@link findSecrets}. */
export interface FindSecretsOptions {
  /**
   * A cheap test that must be true for every text secretlint could flag
   * (`mayContainSecret` of src/service/_secret-guard.ts). When it is false
   * and our own detectors find nothing, secretlint is neither loaded nor
   * run; when our detectors do find something, secretlint runs anyway, so
   * merged ranges and kinds are those of the full scan.
   */
  prefilter?: (text: string) => boolean;
}

/**
 * Every credential in `text`, in order of position, overlapping detections
 * merged. Placeholders (`your_key_here`, `sk_test_xxxxx`, `<token>`, `***`,
 * `${VAR}`, ...) are skipped. Loads secretlint on first call (~50 ms),
 * unless `options.prefilter` rules it out.
 *
 * @returns findings with offsets into `text`; never the secret value.
 * @example
 *   const [f] = await findSecrets('token: ghp_...');
 *   // { line: 1, column: 8, kind: 'GitHub token', ruleId: '@secretlint/secretlint-rule-github', start: 7, end: 47 }
 */
export async function findSecrets(text: string, options: FindSecretsOptions = {}): Promise<SecretFinding[]> {
  if (text.length === 0) return [];
  const own = runDetectors(text, SECRET_DETECTORS);
  const scan = own.length > 0 || options.prefilter === undefined || options.prefilter(text);
  const raw = scan ? [...(await runSecretlint(text)), ...own] : own;
  const starts = lineStarts(text);
  return mergeFindings(raw).map((f) => ({
    ...locate(starts, f.start),
    kind: f.kind,
    ruleId: f.ruleId,
    start: f.start,
    end: f.end,
  }));
}

/**
 * `text` with every credential replaced by `[REDACTED:<kind>]`; everything
 * else byte-identical.
 *
 * @returns the redacted text and the findings (offsets into the original text).
 * @example
 *   (await redactSecrets('key AKIA...')).text // 'key [REDACTED:AWS access key ID]'
 */
export async function redactSecrets(text: string): Promise<{ text: string; findings: SecretFinding[] }> {
  const findings = await findSecrets(text);
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + `[REDACTED:${f.kind}]`;
    at = f.end;
  }
  out += text.slice(at);
  return { text: out, findings };
}
