import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSecrets, redactSecrets, SECRET_DETECTORS } from '../../src/quality/secrets.js';
import { CASES, pem, r, UPPER32, URLSAFE } from './_fake-credentials.js';

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

describe('detector literals: a text without them is not scanned', () => {
  it('holds for every match over the fake credentials, the corpus and generated text', () => {
    const texts: string[] = CASES.map(([, line]) => line);
    for (const [, line, secret] of CASES) texts.push(line.toUpperCase(), line.toLowerCase(), `x${secret}x`, secret);
    const dir = '/work/shared/corpus/docs';
    for (const name of readdirSync(dir)) texts.push(readFileSync(join(dir, name), 'utf8'));
    // Vendor prefixes glued to generated bodies, so that every pattern gets matches.
    const prefixes = ['sk-', 'sk-ant-api03-', 'sk-or-v1-', 'ghp_', 'github_pat_', 'glpat-', 'xoxb-', 'AKIA', 'AIza'];
    prefixes.push(
      'GOCSPX-',
      'npm_',
      'hf_',
      'SG.',
      'SK',
      'key-',
      'dop_v1_',
      'sbp_',
      'dapi',
      'gsk_',
      'xai-',
      'r8_',
      'ntn_',
    );
    prefixes.push(
      'secret_',
      'lin_api_',
      'ATATT3',
      'shpat_',
      'sq0atp-',
      'EAAA-',
      'AccountKey=',
      'eyJ',
      'whsec_',
      'rk_live_',
    );
    for (const p of prefixes) {
      for (const n of [16, 24, 32, 36, 40, 48, 64, 80, 160])
        texts.push(`${p}${r(n)}`, `token: ${p}${r(n, '0123456789abcdef')}`);
    }
    texts.push('Authorization: BASIC dXNlcjpwYXNzd29yZDEyMw==', 'AWS_SECRET = x');
    texts.push(`TWILIO_AUTH_TOKEN="${r(32, '0123456789abcdef')}"`, `${r(32, '0123456789abcdef')}-us12`);
    texts.push(`r8_${r(37)}`, `key: R8_${r(37)}`);
    let matches = 0;
    const unmatched: string[] = [];
    for (const d of SECRET_DETECTORS) {
      if (!d.literals) continue;
      const before = matches;
      const caseless = d.pattern.flags.includes('i');
      for (const text of texts) {
        const re = new RegExp(d.pattern.source, d.pattern.flags);
        if (!re.test(text)) continue;
        matches++;
        const haystack = caseless ? text.toLowerCase() : text;
        expect(
          d.literals.some((l) => haystack.includes(l)),
          `${d.id}: ${text.slice(0, 80)}`,
        ).toBe(true);
      }
      if (matches === before) unmatched.push(d.id);
      // Literals of a case-insensitive pattern are looked up in lower-cased text.
      if (caseless) for (const l of d.literals) expect(l).toBe(l.toLowerCase());
    }
    expect(matches).toBeGreaterThan(200);
    // Every detector with literals met text it matches.
    expect(unmatched).toEqual([]);
  });
});

describe('line-local detectors: scanning line by line finds what scanning the whole text finds', () => {
  /** [start, end] of the secret group of every match, over the text or over each of its lines. */
  function spans(pattern: RegExp, group: number, text: string, byLine: boolean): string[] {
    const re = new RegExp(pattern.source, `${pattern.flags.replace(/[gd]/g, '')}gd`);
    const out: string[] = [];
    const parts = byLine
      ? text.split('\n').map((line, i, all) => ({ line, offset: all.slice(0, i).join('\n').length + (i > 0 ? 1 : 0) }))
      : [{ line: text, offset: 0 }];
    for (const { line, offset } of parts) {
      for (const m of line.matchAll(re)) {
        const span = m.indices?.[group];
        if (span) out.push(`${offset + span[0]}-${offset + span[1]}`);
      }
    }
    return out;
  }

  it('holds for the corpus, the fake credentials and assignments at line edges', () => {
    const texts: string[] = [];
    const dir = '/work/shared/corpus/docs';
    for (const name of readdirSync(dir)) texts.push(readFileSync(join(dir, name), 'utf8'));
    texts.push(CASES.map(([, line]) => line).join('\n'), CASES.map(([, line]) => line).join('\r\n'));
    const value = r(24);
    texts.push(`API_KEY=${value}\nx.api_key: "${value}"\r\npassword = ${value}\n-TOKEN:${value}\nkey\n=${value}`);
    texts.push(`db.password\n:${value}\n"client_secret": "${value}",\nexport GITHUB_TOKEN=${value}`);
    const local = SECRET_DETECTORS.filter((d) => d.lineLocal);
    expect(local.length).toBeGreaterThan(0);
    let found = 0;
    for (const d of local) {
      for (const text of texts) {
        const whole = spans(d.pattern, d.group ?? 0, text, false);
        found += whole.length;
        expect(spans(d.pattern, d.group ?? 0, text, true), d.id).toEqual(whole);
      }
    }
    expect(found).toBeGreaterThan(20);
  });
});
