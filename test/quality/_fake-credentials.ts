/** Fake credentials shared by the secret scanner's tests and the service's pre-check test. */
// Fake credentials are generated from a seeded PRNG so that this file holds no
// scannable literal: a secret scanner run over the repository stays quiet.
export function fake(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s;
  };
  return (n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') => {
    let out = '';
    while (out.length < n) out += alphabet[next() % alphabet.length];
    return out;
  };
}
export const r = fake(20260321);
export const UPPER32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const HEX = '0123456789abcdef';
export const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const pem = (label: string, magic: string) =>
  [
    `-----BEGIN ${label}-----`,
    magic + r(64 - magic.length, B64),
    r(64, B64),
    r(64, B64),
    r(40, B64) + '==',
    `-----END ${label}-----`,
  ].join('\n');

/** [description, line of text, the secret inside it, expected kind]. */
export const CASES: Array<[string, string, string, RegExp]> = (() => {
  const c: Array<[string, string, string, RegExp]> = [];
  const add = (name: string, secret: string, kind: RegExp, wrap = (s: string) => `value: ${s}`) =>
    c.push([name, wrap(secret), secret, kind]);
  add('AWS access key id', 'AKIA' + r(16, UPPER32), /AWS access key/);
  add(
    'AWS secret access key',
    r(40, B64.replace('+', '')),
    /AWS secret access key/,
    (s) => `aws_secret_access_key = ${s}`,
  );
  add('GitHub classic token', 'ghp_' + r(36), /GitHub token/);
  add('GitHub fine-grained token', 'github_pat_' + r(22) + '_' + r(59), /GitHub token/);
  add('GitLab PAT', 'glpat-' + r(20, URLSAFE), /GitLab token/);
  add('Slack bot token', ['xoxb', r(12, '0123456789'), r(13, '0123456789'), r(24)].join('-'), /Slack token/);
  add('Slack webhook', 'https://hooks.slack.com/services/T' + r(8) + '/B' + r(10) + '/' + r(24), /Slack webhook/);
  add('Stripe live secret key', 'sk_' + 'live_' + r(24), /Stripe/);
  add('Stripe webhook secret', 'whsec_' + r(32), /Stripe webhook/);
  add('OpenAI project key', 'sk-proj-' + r(74, URLSAFE) + 'T3Blbk' + 'FJ' + r(74, URLSAFE), /OpenAI/);
  add('OpenAI legacy key', 'sk-' + r(48), /OpenAI/);
  add('Anthropic key', 'sk-ant-' + 'api03-' + r(93, URLSAFE) + 'AA', /Anthropic/);
  add('Google API key', 'AIza' + r(35, URLSAFE), /Google API key/);
  add('Google OAuth client secret', 'GOCSPX-' + r(28, URLSAFE), /Google OAuth/);
  add('npm token', 'npm_' + r(36), /npm token/);
  add('PyPI token', 'pypi-' + 'AgEIcHlwaS5vcmc' + r(70, URLSAFE), /PyPI/);
  add('Hugging Face token', 'hf_' + r(34), /Hugging Face/);
  add('SendGrid key', 'SG.' + r(22, URLSAFE) + '.' + r(43, URLSAFE), /SendGrid/);
  add('Twilio API key', 'SK' + r(32, HEX), /Twilio/);
  add('Mailgun key', 'key-' + r(32, HEX), /Mailgun/);
  add('DigitalOcean token', 'dop_v1_' + r(64, HEX), /DigitalOcean/);
  add(
    'Discord webhook',
    'https://discord.com/api/webhooks/' + r(18, '0123456789') + '/' + r(68, URLSAFE),
    /Discord webhook/,
  );
  add('Telegram bot token', r(10, '123456789') + ':AA' + r(33, URLSAFE), /Telegram/);
  add('Groq key', 'gsk_' + r(52), /Groq/);
  add('Shopify token', 'shpat_' + r(32, HEX), /Shopify/);
  add('Linear key', 'lin_api_' + r(40), /Linear/);
  add('Databricks token', 'dapi' + r(32, HEX), /Databricks/);
  add('Supabase access token', 'sbp_' + r(40, HEX), /Supabase/);
  add('OpenRouter key', 'sk-or-v1-' + r(64, HEX), /OpenRouter/);
  add('Notion token', 'ntn_' + r(46), /Notion/);
  add('age secret key', 'AGE-SECRET-KEY-1' + r(58, UPPER32), /age secret key/);
  add('JWT', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.' + 'eyJ' + r(40, URLSAFE) + '.' + r(43, URLSAFE), /JSON Web Token/);
  add('RSA private key block', pem('RSA PRIVATE KEY', 'MIIEow'), /private key/, (s) => `key:\n${s}\n`);
  add(
    'OpenSSH private key block',
    pem('OPENSSH PRIVATE KEY', 'b3BlbnNzaC1' + 'rZXktdjEAAAA'),
    /private key/,
    (s) => `\n${s}\n`,
  );
  add(
    'PostgreSQL URL',
    r(16),
    /connection string|PostgreSQL/,
    (s) => `DATABASE_URL=postgres://app_rw:${s}@db.internal:5432/app`,
  );
  add(
    'MongoDB SRV URL',
    r(14),
    /connection string|MongoDB/,
    (s) => `mongodb+srv://svc:${s}@cluster0.ab1cd.mongodb.net/prod`,
  );
  add('MySQL URL', r(12), /connection string|MySQL/, (s) => `mysql://deploy:${s}@10.0.0.12:3306/shop`);
  add('Redis URL', r(20), /connection string/, (s) => `REDIS_URL=rediss://:${s}@cache.internal:6380/0`);
  add('AMQP URL', r(18), /connection string/, (s) => `amqp://worker:${s}@mq.internal:5672/vhost`);
  add('.env API key', r(40, HEX), /credential assignment/, (s) => `WEATHER_API_KEY=${s}`);
  add('.env password', 'Qz7' + r(6) + '!x', /credential assignment/, (s) => `DB_PASSWORD="${s}"`);
  add('YAML token', r(32), /credential assignment/, (s) => `  auth_token: ${s}`);
  add(
    'Bearer token in curl',
    r(48, URLSAFE),
    /Bearer token/,
    (s) => `curl -H "Authorization: Bearer ${s}" https://api.internal/v1`,
  );
  add(
    'Basic auth header',
    r(32, B64.replace('+', '').replace('/', '')),
    /Basic/,
    (s) => `-H 'Authorization: Basic ${s}'`,
  );
  add(
    'Azure storage key',
    r(86, B64) + '==',
    /Azure/,
    (s) => `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${s};`,
  );
  return c;
})();
