import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSecrets, redactSecrets } from '../../src/quality/secrets.js';

// Fake credentials are generated from a seeded PRNG so that this file holds no
// scannable literal: a secret scanner run over the repository stays quiet.
function fake(seed: number) {
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
const r = fake(20260321);
const UPPER32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const pem = (label: string, magic: string) =>
  [
    `-----BEGIN ${label}-----`,
    magic + r(64 - magic.length, B64),
    r(64, B64),
    r(64, B64),
    r(40, B64) + '==',
    `-----END ${label}-----`,
  ].join('\n');

/** [description, line of text, the secret inside it, expected kind]. */
const CASES: Array<[string, string, string, RegExp]> = (() => {
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

describe('findSecrets', () => {
  it('covers at least 25 kinds of credentials', () => {
    expect(new Set(CASES.map(([, , , k]) => k.source)).size).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)('finds a %s', async (_name, line, secret, kind) => {
    const text = `## Environment\n\nSet up on the staging box:\n${line}\nThen restart.\n`;
    const found = await findSecrets(text);
    const at = text.indexOf(secret);
    const hit = found.find((f) => f.start <= at && f.end >= at + secret.length);
    expect(hit, JSON.stringify(found)).toBeDefined();
    expect(hit?.kind).toMatch(kind);
    expect(hit?.line).toBe(text.slice(0, hit?.start).split('\n').length);
    expect(JSON.stringify(found)).not.toContain(secret);
  });

  const PLACEHOLDERS = [
    'OPENAI_API_KEY=your_key_here',
    'STRIPE_SECRET_KEY=sk_test_xxxxx',
    'Authorization: Bearer <token>',
    'password: ***',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an env-file reference, on purpose
    'API_KEY=${API_KEY}',
    'TOKEN=$GITHUB_TOKEN',
    'GITHUB_TOKEN=ghp_' + 'x'.repeat(36),
    'DB_PASSWORD=changeme',
    'postgres://user:password@localhost:5432/db',
    'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
    'SECRET=' + 'a'.repeat(24),
    'API_KEY=...',
    'token: sk-...',
    'client_secret: {{ secrets.CLIENT_SECRET }}',
    'SLACK_BOT_TOKEN=xoxb-...',
    'ANTHROPIC_API_KEY=sk-ant-xxxxxxxx',
    'mongodb+srv://<user>:<password>@cluster0.example.mongodb.net',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----',
    'The OAuth token is stored in `backend/token.json`, never committed.',
    'max_tokens: 4096',
    'DEFAULT_MODEL=claude-opus-4-5-20251101',
    'PASSWORD_MIN_LENGTH=12',
    'SESSION_SECRET=process.env.SESSION_SECRET',
    'token = getAccessTokenFromRequest(req)',
    'JWT_SECRET: (generated at deploy, see vault path secret/app/jwt)',
    'Key format `sk-ws-…` is a workspace key.',
  ];
  it.each(PLACEHOLDERS)('does not flag %j', async (line) => {
    expect(await findSecrets(`Setup:\n${line}\n`)).toEqual([]);
  });

  it('ignores secretlint-disable comments written into the handoff', async () => {
    const key = 'ghp_' + r(36);
    const found = await findSecrets(`<!-- secretlint-disable -->\ntoken ${key}\n`);
    expect(found.map((f) => f.kind)).toEqual(['GitHub token']);
  });

  it('reports one finding per credential when detectors overlap, with the vendor kind', async () => {
    const key = 'sk-' + r(48);
    const found = await findSecrets(`OPENAI_API_KEY=${key}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]?.kind).toBe('OpenAI API key');
  });

  it('gives 1-based line and column', async () => {
    const key = 'glpat-' + r(20, URLSAFE);
    const [f] = await findSecrets(`a\nbb ${key}\n`);
    expect([f?.line, f?.column]).toEqual([2, 4]);
  });
});

describe('redactSecrets', () => {
  it('replaces each secret with its kind and leaves every other byte as it was', async () => {
    const gh = 'ghp_' + r(36);
    const pw = r(16);
    const aws = 'AKIA' + r(16, UPPER32);
    const parts = [
      '# Handoff\r\n\r\n- token: ',
      gh,
      '\r\n- db: postgres://app:',
      pw,
      '@db:5432/x\r\n- key ',
      aws,
      ' (rotated)\r\n',
    ];
    const text = parts.join('');
    const { text: out, findings } = await redactSecrets(text);
    expect(findings.map((f) => f.kind)).toEqual([
      'GitHub token',
      expect.stringMatching(/PostgreSQL|connection/),
      'AWS access key ID',
    ]);
    const kinds = findings.map((f) => f.kind);
    expect(out).toBe(
      [
        parts[0],
        `[REDACTED:${kinds[0]}]`,
        parts[2],
        `[REDACTED:${kinds[1]}]`,
        parts[4],
        `[REDACTED:${kinds[2]}]`,
        parts[6],
      ].join(''),
    );
  });

  it('redacts a whole private key block', async () => {
    const block = pem('PRIVATE KEY', 'MIIEvQ');
    const { text } = await redactSecrets(`before\n${block}\nafter\n`);
    expect(text).toBe('before\n[REDACTED:private key]\nafter\n');
  });

  it('returns text without secrets unchanged', async () => {
    const text = '## Decisions\n- SQLite over Postgres — single user\n';
    expect(await redactSecrets(text)).toEqual({ text, findings: [] });
  });
});

describe('secret scan over the real corpus', () => {
  it('finds no credential in any corpus document (all hits were inspected: the corpus holds placeholders only)', async () => {
    const dir = '/work/shared/corpus/docs';
    const files = readdirSync(dir).sort();
    const hits: string[] = [];
    const t0 = performance.now();
    for (const f of files) {
      for (const s of await findSecrets(readFileSync(join(dir, f), 'utf8'))) hits.push(`${f}:${s.line} ${s.kind}`);
    }
    const ms = Math.round(performance.now() - t0);
    console.log(
      `secret scan: ${files.length} documents, ${hits.length} findings, ${ms} ms${hits.length ? `: ${hits.join('; ')}` : ''}`,
    );
    expect(hits).toEqual([]);
  });
});
