import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { type CheckOptions, checkHandoff, type Finding } from '../../src/quality/check.js';
import {
  _LETTER_CLASSES,
  compilePhrases,
  RATIONALE_MARKERS,
  STATUS_WORDS,
  VAGUE_PHRASES,
  PATH_CHANGE_WORDS,
} from '../../src/quality/lexicon.js';
import { PLACEHOLDER_PATTERNS, RULES } from '../../src/quality/rules.js';

const { ASCII_LETTERS_ONLY, NON_ASCII_LETTER } = _LETTER_CLASSES;

/** Options that run one rule alone. */
function only(rule: string, extra: CheckOptions = {}): CheckOptions {
  const rules = Object.fromEntries(RULES.filter((r) => r.id !== rule).map((r) => [r.id, 'off' as const]));
  return { ...extra, rules: { ...rules, ...extra.rules } };
}

async function run(rule: string, text: string, extra: CheckOptions = {}): Promise<Finding[]> {
  return (await checkHandoff({ text }, only(rule, extra))).findings;
}

/** A section body under a heading, as a whole document. */
const doc = (heading: string, body: string) => `# Handoff\n\n## Accomplished\n- x\n\n## ${heading}\n${body}\n`;

const GOOD = `---
id: a3f9c12e
created: 2026-11-21T14:30:00Z
---
# Handoff: todo-api

## Accomplished
- Task CRUD endpoints in \`internal/task/handler.go\`; 42/42 tests pass

## Decisions
- PostgreSQL over SQLite — concurrent multi-user access needs row locks
- Keep handlers thin because the service layer is shared with the CLI

## In Progress
- PATCH /tasks/:id validation: title length checked, due date not yet

## Deferred
- Pagination — no client needs it before v2

## Next Steps
1. Finish PATCH /tasks/:id validation in \`internal/task/handler.go\` and run \`go test ./internal/task\`
`;

describe('checkHandoff scoring', () => {
  it('gives a complete, specific handoff 100 with no findings', async () => {
    const r = await checkHandoff({ text: GOOD });
    expect(r.findings).toEqual([]);
    expect(r).toMatchObject({ score: 100, profile: 'five-field', errors: 0, warnings: 0, infos: 0 });
  });

  it('subtracts each rule weight per counted finding and floors at 0', async () => {
    const r = await checkHandoff({ text: '# Notes\n\nnothing here\n' });
    // five missing sections (error, weight 10 each, 5 counted) + metrics (info, 3)
    expect(r.findings.map((f) => f.rule)).toEqual([...Array(5).fill('required-sections'), 'metrics']);
    expect(r.score).toBe(100 - 50 - 3);
    expect(r.errors).toBe(5);
    expect(r.infos).toBe(1);
  });

  it('counts at most `counted` findings of one rule', async () => {
    const many = doc('Decisions', Array.from({ length: 9 }, (_, i) => `- Option ${'ABCDEFGHI'[i]}`).join('\n'));
    const r = await checkHandoff({ text: many }, only('decision-rationale'));
    expect(r.findings).toHaveLength(9);
    expect(r.score).toBe(100 - 3 * 5);
  });

  it('re-grades a rule with options.rules and uses the new severity weight', async () => {
    const text = doc('Decisions', '- Use PostgreSQL');
    const r = await checkHandoff({ text }, only('decision-rationale', { rules: { 'decision-rationale': 'error' } }));
    expect(r.findings[0]?.severity).toBe('error');
    expect(r.score).toBe(80);
  });

  it('turns a rule off', async () => {
    const r = await checkHandoff({ text: '# x\n' }, { rules: { 'required-sections': 'off', metrics: 'off' } });
    expect(r.findings).toEqual([]);
  });

  it('gives the same findings and lines for CRLF line endings', async () => {
    const text = `${doc('Decisions', '- Use PostgreSQL')}\n## Next Steps\n1. Maybe look at things\n`;
    const lf = await checkHandoff({ text });
    const crlf = await checkHandoff({ text: text.replace(/\n/g, '\r\n') });
    expect(crlf).toEqual(lf);
    expect(lf.findings.length).toBeGreaterThan(2);
  });

  it.each([
    ['a 500 KB line', 'x'.repeat(500_000)],
    ['unclosed brackets', `## In Progress\n- ${'[your '.repeat(30_000)}\n- ${'('.repeat(100_000)}\n`],
    ['unclosed comments', `## Decisions\n- ${'<!--'.repeat(30_000)}\n`],
    ['a line of spaces', `## Decisions\n- a${' '.repeat(200_000)}b\n## Next Steps\n1. a${' '.repeat(200_000)}b\n`],
    ['a 20,000-row table', `## Decisions\n| a | b |\n|---|---|\n${'| x | y |\n'.repeat(20_000)}`],
  ])('checks hostile input (%s) in linear time', async (_name, text) => {
    const t0 = performance.now();
    await checkHandoff({ text }, { rules: { secret: 'off', length: 'off' } });
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('sorts findings by line, whole-document findings first', async () => {
    const text = `${doc('Decisions', '- Use PostgreSQL')}\n## Next Steps\n1. Maybe look at things\n`;
    const lines = (await checkHandoff({ text })).findings.map((f) => f.line);
    expect(lines).toEqual([...lines].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(lines[0]).toBeNull();
  });

  it.each([
    [{ profile: 'nope' }, /unknown profile "nope"/],
    [{ rules: { speling: 'off' } }, /unknown rule "speling"/],
    [{ rules: { vague: 'loud' } }, /rule "vague" set to "loud"/],
    [{ lengthBudget: 0 }, /length budget/],
  ] as Array<[CheckOptions, RegExp]>)('rejects bad options %j', async (options, message) => {
    const err = await checkHandoff({ text: GOOD }, options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('required-sections', () => {
  const names = (fs: Finding[]) => fs.map((f) => /"([^"]+)"/.exec(f.message)?.[1]);
  it.each([
    ['five-field', []],
    ['six-section', ['Blocked', 'Gotchas']],
    ['package', ['Context', 'Gotchas', 'Files of Note']],
    ['full', ['Context', 'Blocked', 'Gotchas', 'Lessons Learned', 'Files of Note', 'Metrics', 'Environment']],
  ])('profile %s reports what GOOD lacks', async (profile, missing) => {
    expect(names(await run('required-sections', GOOD, { profile }))).toEqual(missing);
  });
  it('lists every missing section of the profile', async () => {
    expect(names(await run('required-sections', '# x\n\n## Accomplished\n- a\n'))).toEqual([
      'Decisions',
      'In Progress',
      'Deferred',
      'Next Steps',
    ]);
  });
  it('reports an empty section at its heading line', async () => {
    const text = GOOD.replace('- Pagination — no client needs it before v2\n', '');
    const found = await run('required-sections', text);
    const line = text.split('\n').indexOf('## Deferred') + 1;
    expect(found).toEqual([expect.objectContaining({ line, message: expect.stringContaining('"Deferred" is empty') })]);
  });
  it.each(['None', 'N/A', '—', '- None yet', '无', 'なし', 'нет', 'Keine'])(
    'accepts %j as a deliberate empty answer',
    async (answer) => {
      expect(
        await run('required-sections', GOOD.replace('- Pagination — no client needs it before v2', answer)),
      ).toEqual([]);
    },
  );
  it('finds a section nested under another heading or written as a bold label', async () => {
    const text = GOOD.replace('## Decisions', '## Summary\n\n### Decisions').replace(
      '## Deferred\n',
      '**Deferred:**\n',
    );
    expect(await run('required-sections', text)).toEqual([]);
  });
  it('counts a combined heading for each section it names', async () => {
    const text = GOOD.replace('## Next Steps', '## Deferred / Next Steps').replace(
      '## Deferred\n- Pagination — no client needs it before v2\n',
      '',
    );
    expect(await run('required-sections', text)).toEqual([]);
  });
  it('understands headings in other languages', async () => {
    const zh =
      '## 已完成\n- 登录\n## 决策\n- SQLite，因为单用户\n## 进行中\n- `a.ts` 一半\n## 延后\n无\n## 下一步\n1. 运行 `make`\n';
    expect(await run('required-sections', zh)).toEqual([]);
  });
});

describe('decision-rationale', () => {
  const ok = (body: string) => run('decision-rationale', doc('Decisions', body)).then((f) => f.length === 0);
  it.each([
    '- PostgreSQL over SQLite — concurrent writes need row locks',
    '- Use SQLite: single user, no server to run',
    '- Chose Redis because sessions expire',
    '- Switched to pnpm (faster installs in CI)',
    '- Use zod\n  Why: one schema for the CLI and the MCP tools',
    '- `a` instead of `b`',
    '- Keep files as the source of truth -> the index can always be rebuilt',
    '**Decision:** texture presence enables the flag\n\n**Rationale:**\n- artists expect it\n- manual toggles get forgotten',
    '### D1: SQLite\nOne user per machine, so a server would be pure overhead.',
    '| Decision | Rationale |\n|---|---|\n| SQLite | single user |',
    '**Problem:** buttons hide under the notch.\n**Решение:** added `env(safe-area-inset-top)`.',
    'None',
    '- 使用 SQLite，因为只有单用户',
    '- SQLiteを採用（サーバー不要のため）',
    '- SQLite 사용 — 서버가 필요 없기 때문',
    '- SQLite вместо Postgres, потому что один пользователь',
    '- SQLite em vez de Postgres porque há um único usuário',
    '- SQLite statt Postgres, weil es nur einen Nutzer gibt',
    '- SQLite en lugar de Postgres porque hay un solo usuario',
    '- SQLite plutôt que Postgres car il y a un seul utilisateur',
    '- SQLite invece di Postgres perché c’è un solo utente',
    '- Postgres yerine SQLite, çünkü tek kullanıcı var',
    '- SQLite daripada Postgres karena hanya satu pengguna',
  ])('accepts %j', async (body) => {
    expect(await ok(body)).toBe(true);
  });
  it.each([
    '- Use PostgreSQL',
    '- MIT license',
    '- **Database**: PostgreSQL',
    '| Decision | Rationale |\n|---|---|\n| SQLite | |',
    '- 使用 SQLite',
    '- SQLite 사용',
    '- Лицензия MIT',
    '- Banco de dados PostgreSQL',
  ])('flags %j', async (body) => {
    expect(await ok(body)).toBe(false);
  });
  it('reads YAML handoffs: a key with a folded explanation has a reason, a bare value does not', async () => {
    const yaml = [
      'goal: ship auth',
      'decisions:',
      '  - use_jwt: >',
      '      stateless sessions scale across the API pods',
      '  - sqlite',
      'next:',
      '  - Run `npm test -- auth`',
    ].join('\n');
    const r = await checkHandoff({ text: yaml, path: 'handoff.yaml' }, only('decision-rationale'));
    expect(r.findings.map((f) => [f.line, /"([^"]+)"/.exec(f.message)?.[1]])).toEqual([[5, 'sqlite']]);
  });
  it('points at the decision line and names the decision', async () => {
    const found = await run('decision-rationale', doc('Decisions', '- SQLite — one user\n- Use PostgreSQL'));
    expect(found).toHaveLength(1);
    const f = found[0];
    expect(f).toMatchObject({ line: 8, severity: 'warning' });
    expect(f?.message).toContain('"Use PostgreSQL" says what but not why');
  });
});

describe('specific-in-progress', () => {
  const ok = (body: string) => run('specific-in-progress', doc('In Progress', body)).then((f) => f.length === 0);
  it.each([
    '- Parser: `src/format/parse.ts` handles ATX headings, setext pending',
    '- Auth refactor: login works, token refresh fails',
    '- 3 of 7 endpoints migrated',
    '- refreshToken() retry loop',
    '- migrate_users job',
    '### Room creation ✅\n- Swipe gestures with animations',
    '- Build: CLEAN',
    '- 认证模块：登录可用，刷新令牌失败',
    '- Парсер работает, экспорт ещё не готов',
    'None',
  ])('accepts %j', async (body) => {
    expect(await ok(body)).toBe(true);
  });
  it.each([
    '- Refactoring the thing',
    '- Error handling improvements',
    '- Working on the thing',
    '- 改进一些东西',
    '- Verbesserungen am Design',
  ])('flags %j', async (body) => {
    expect(await ok(body)).toBe(false);
  });
});

describe('actionable-next-step', () => {
  const ok = (body: string) => run('actionable-next-step', doc('Next Steps', body)).then((f) => f.length === 0);
  it.each([
    '1. Run `npm test` and fix the failing auth test',
    '1. Fix PATCH /tasks/:id validation in internal/task/handler.go',
    '1. Add retry to fetchTasks()',
    '- [x] Merged the parser\n- [ ] Run `make check`',
    'In priority order:\n\n1. Run `make check`\n2. stuff',
    '1. 运行 `pnpm test` 并修复失败的用例',
    '1. Запустить `npm test` и починить тест авторизации',
    'None',
  ])('accepts %j', async (body) => {
    expect(await ok(body)).toBe(true);
  });
  it.each([
    '1. Continue working on the API',
    '1. We should look at `src/perf.ts`',
    '1. Maybe refactor `src/a.ts`',
    '1. Investigating the flaky test',
    '1. 继续完善功能',
    '1. Weiter am Design arbeiten',
  ])('flags %j', async (body) => {
    expect(await ok(body)).toBe(false);
  });
  it('judges only the first step', async () => {
    expect(await ok('1. Run `make`\n2. stuff and things')).toBe(true);
  });
});

describe('vague', () => {
  const hit = (heading: string, body: string) =>
    run('vague', doc(heading, body)).then((f) => f.map((x) => /"([^"]+)"/.exec(x.message)?.[1]));
  it.each([
    ['Next Steps', '1. Continue working on the API', 'Continue working on'],
    ['Next Steps', '1. Fix stuff in the UI', 'Fix stuff'],
    ['In Progress', '- Parsers for YAML, TOML, etc.', 'etc'],
    ['Blocked', '- Some issues with CI', 'Some issues'],
    ['Deferred', '- Misc cleanup', 'Misc'],
    ['Next Steps', '- Парсеры, экспорт и т.д.', 'и т.д'],
    ['Next Steps', '- Parser, Export usw.', 'usw'],
    ['Next Steps', '- パーサーなど', 'など'],
    ['Next Steps', '- 解析器等等', '等等'],
  ])('in %s flags %j', async (heading, body, phrase) => {
    expect(await hit(heading, body)).toEqual([phrase]);
  });
  it.each([
    ['Context', '- Parsers for YAML, TOML, etc.'],
    ['Next Steps', '- Run `grep etc. -r .`'],
    ['Next Steps', '1. Run `make check` and fix `parse.test.ts`'],
  ])('in %s leaves %j alone', async (heading, body) => {
    expect(await hit(heading, body)).toEqual([]);
  });
});

describe('metrics', () => {
  const ok = (body: string) => run('metrics', doc('In Progress', body)).then((f) => f.length === 0);
  it.each([
    '- 42/42 tests pass',
    '- coverage 81%',
    '- cold start 2.5s',
    '- 3 files changed',
    '- `npm test` runs 40 tests',
    '- 测试 12个 全部通过',
    '- 7 из 9 тестов проходят',
  ])('accepts %j', async (body) => {
    expect(await ok(body)).toBe(true);
  });
  it.each([
    '- all good',
    '- updated 2026-01-05, v1.2.3, commit a3f9c12e',
    '- Phase 2 of the plan, see #123',
    '- run `npm test -- --shard 3/4`',
  ])('flags %j', async (body) => {
    expect(await ok(body)).toBe(false);
  });
  it('accepts a Metrics section', async () => {
    expect(await run('metrics', `${doc('In Progress', '- x')}\n## Metrics\n- see the CI dashboard\n`)).toEqual([]);
  });
});

describe('stale-reference', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'handoff-'));
    for (const f of ['src/a.ts', 'src/lib/deep.ts', 'docs/guide.md', 'docs/session_handoffs/x.md', 'README.md']) {
      mkdirSync(dirname(join(root, f)), { recursive: true });
      writeFileSync(join(root, f), '');
    }
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const stale = (body: string, path?: string) =>
    checkHandoff(
      { text: doc('In Progress', body), ...(path ? { path } : {}) },
      only('stale-reference', { repoRoot: root }),
    ).then((r) => r.findings.map((f) => /`([^`]+)`/.exec(f.message)?.[1]));
  it.each([
    ['- `src/a.ts` done', []],
    ['- `src/b.ts` half done', ['src/b.ts']],
    ['- see [guide](docs/missing.md)', ['docs/missing.md']],
    ['- `src/a.ts:12-40` and `src/a.ts#L3`', []],
    ['- `src\\a.ts` on Windows', []],
    ['- `docs/gone` folder', ['docs/gone']],
    ['- branch `feat/login`, package `@scope/pkg/sub`, module `zod/v4`', []],
    ['- https://example.com/x.ts and `https://example.com/y.ts`', []],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable in a handoff, on purpose
    ['- `src/**/*.ts`, `<dir>/x.ts`, `${HOME}/x.ts`, `src/.../x.ts`', []],
    ['- `/etc/hosts`, `~/notes.md`, `C:\\Users\\me\\x.ts`', []],
    ['- Removed `src/old.ts`', []],
    ['- `deep.ts` exists under src/lib', []],
    ['- `nowhere.ts` is cited', ['nowhere.ts']],
    ['- `npm run build` passes', []],
  ] as Array<[string, string[]]>)('%j -> %j', async (body, expected) => {
    expect(await stale(body)).toEqual(expected);
  });
  it('resolves links relative to the handoff file', async () => {
    expect(await stale('- [guide](../guide.md)', join(root, 'docs/session_handoffs/x.md'))).toEqual([]);
  });
  it('reports an absolute path inside the repository', async () => {
    expect(await stale(`- \`${root}/src/zz.ts\``)).toEqual(['src/zz.ts']);
  });
  it('ignores paths planned in Next Steps', async () => {
    const text =
      '## In Progress\n- `src/a.ts` half done\n\n## Next Steps\n1. Write `src/new.ts`\n2. Wire `src/also-new.ts` into `src/a.ts`\n';
    const r = await checkHandoff({ text }, only('stale-reference', { repoRoot: root }));
    expect(r.findings).toEqual([]);
  });
  it('in a git repository, looks names up among files git knows, not ignored output', async () => {
    execFileSync('git', ['init', '-q'], { cwd: root });
    writeFileSync(join(root, '.gitignore'), 'out/\n');
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'out/bundle.js'), '');
    expect(await stale('- `deep.ts` and `bundle.js`')).toEqual(['bundle.js']);
  });
  it('is skipped when the repository is unknown', async () => {
    expect(await run('stale-reference', doc('In Progress', '- `src/b.ts`'))).toEqual([]);
  });
});

describe('code-excerpt', () => {
  const block = (lang: string, lines: string[]) => `\`\`\`${lang}\n${lines.join('\n')}\n\`\`\``;
  const code = (n: number) => Array.from({ length: n }, (_, i) => `const v${i} = ${i};`);
  it.each([
    [block('ts', code(15)), []],
    [block('ts', code(16)), [/16 lines \(ts\): code belongs in the codebase/]],
    [block('', ['x'.repeat(1100)]), [/1 lines: code belongs/]],
    [block('bash', code(20)), [/script or the README/]],
    [block('', ['src/', ...Array.from({ length: 16 }, (_, i) => `├── f${i}.ts`)]), [/layout/]],
  ] as Array<[string, RegExp[]]>)('%#', async (body, expected) => {
    const found = await run('code-excerpt', doc('Context', body));
    expect(found.map((f) => f.message)).toEqual(expected.map((re) => expect.stringMatching(re)));
    if (expected.length) expect(found[0]?.line).toBe(7);
  });
});

describe('placeholder', () => {
  const hits = (body: string) => run('placeholder', doc('In Progress', body)).then((f) => f.length);
  it.each([
    '<!-- handoff:fill why each decision was made -->',
    'TODO(handoff): say what is half done',
    '- TODO: fill in',
    '- <describe what is half done>',
    '- [Your text here]',
    '- Owner: TBD',
    '- {{in_progress}}',
    '...',
    '- ',
    '1.',
  ])('flags %j', async (body) => {
    expect(await hits(body)).toBe(1);
  });
  it.each([
    '- `TBD` is a column value in `status.csv`',
    '- Update TodoWrite with the plan',
    '- Header `Authorization: Bearer <token>`',
    '- see [the guide](docs/guide.md)',
    '- [x] done',
    '- prompt uses {{mode}} parameterization',
    '<!-- a normal comment -->',
    '```\n...\n```',
  ])('leaves %j alone', async (body) => {
    expect(await hits(body)).toBe(0);
  });
});

describe('secret', () => {
  it('reports a credential as an error at its line without the value', async () => {
    const token = 'ghp_' + 'Zq8rT2vLm4Np6Xs0Wd3Ke5Hf7Jb9Cy1Ga2Uo';
    const found = await run('secret', doc('Context', `- token ${token}`));
    expect(found).toEqual([
      { rule: 'secret', severity: 'error', line: 7, message: expect.stringContaining('GitHub token') },
    ]);
    expect(found[0]?.message).not.toContain(token.slice(4));
  });
});

describe('length', () => {
  it('warns above the budget with the token count', async () => {
    const found = await run('length', doc('Context', 'word '.repeat(200)), { lengthBudget: 100 });
    expect(found).toEqual([
      {
        rule: 'length',
        severity: 'warning',
        line: null,
        message: expect.stringMatching(/^2\d\d tokens, over the budget of 100/),
      },
    ]);
  });
  it('is quiet under the budget', async () => {
    expect(await run('length', GOOD)).toEqual([]);
  });
});

describe('cheap tests in front of the regexes (cold-start speed, same findings)', () => {
  it('allows no letter or digit but ASCII ones in ASCII_LETTERS_ONLY text', () => {
    const allowed: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      if (c < 0xd800 || c > 0xdfff) if (ASCII_LETTERS_ONLY.test(ch)) allowed.push(ch);
    }
    expect(allowed.length).toBeGreaterThan(128);
    for (const ch of allowed) {
      if (/[\p{L}\p{M}\p{N}]/u.test(ch))
        expect(/[A-Za-z0-9]/.test(ch), `U+${ch.charCodeAt(0).toString(16)}`).toBe(true);
    }
    // And every character taken as a non-ASCII letter is a letter or a mark.
    let letters = 0;
    for (let c = 0x80; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      if (NON_ASCII_LETTER.test(ch)) {
        letters++;
        expect(/[\p{L}\p{M}]/u.test(ch), `U+${c.toString(16)}`).toBe(true);
      }
    }
    expect(letters).toBeGreaterThan(30000);
  });

  it('finds the same phrases as a matcher that splits every phrase and text with the Unicode word regex', () => {
    const WORD = /[\p{L}\p{M}\p{N}_]+/gu;
    const NO_SPACES = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/;
    const listsOf = (phrases: string[]) =>
      phrases
        .filter((p) => !NO_SPACES.test(p))
        .map((p) => (p.match(WORD) ?? []).map((w) => w.toLowerCase()))
        .filter((w) => w.length > 0)
        .sort((a, b) => b.length - a.length);
    /** compilePhrases as it was, without ASCII paths: the reference. */
    const reference = (phrases: string[]) => (text: string) => {
      let best: { index: number; text: string } | null = null;
      const subs = phrases.filter((p) => NO_SPACES.test(p)).map((p) => p.toLowerCase());
      if (NO_SPACES.test(text)) {
        const lower = text.toLowerCase();
        for (const sub of subs) {
          const at = lower.indexOf(sub);
          if (at !== -1 && (best === null || at < best.index))
            best = { index: at, text: text.slice(at, at + sub.length) };
        }
      }
      const lists = listsOf(phrases);
      const tokens = [...text.matchAll(WORD)].map((m) => ({
        word: m[0].toLowerCase(),
        start: m.index,
        end: m.index + m[0].length,
      }));
      for (let i = 0; i < tokens.length; i++) {
        if (best !== null && tokens[i]!.start >= best.index) break;
        for (const words of lists) {
          if (words[0] !== tokens[i]!.word) continue;
          if (words.every((w, k) => tokens[i + k]?.word === w)) {
            return { index: tokens[i]!.start, text: text.slice(tokens[i]!.start, tokens[i + words.length - 1]!.end) };
          }
        }
      }
      return best;
    };
    const lines: string[] = [];
    const dir = '/work/shared/corpus/docs';
    for (const name of readdirSync(dir)) {
      lines.push(
        ...readFileSync(join(dir, name), 'utf8')
          .split('\n')
          .filter((l, i) => i % 3 === 0 && l.trim() !== ''),
      );
    }
    for (const lexicon of [RATIONALE_MARKERS, STATUS_WORDS, VAGUE_PHRASES, PATH_CHANGE_WORDS]) {
      const phrases = [...new Set(Object.values(lexicon).flat())];
      // Every phrase inside ASCII and non-ASCII sentences, in other cases too.
      const texts = [...lines];
      for (const p of phrases) texts.push(`We ${p} now — ok`, `${p.toUpperCase()}!`, `Ещё ${p} 完成`, `x${p}`);
      const ref = reference(phrases);
      const m = compilePhrases(lexicon);
      for (const t of texts) expect(m.find(t), t).toStrictEqual(ref(t));
      // A fresh matcher that meets non-ASCII text only after ASCII text agrees too (phrases added late).
      const late = compilePhrases(lexicon);
      for (const t of [...texts].sort(
        (a, b) => Number(ASCII_LETTERS_ONLY.test(b)) - Number(ASCII_LETTERS_ONLY.test(a)),
      )) {
        expect(late.find(t), t).toStrictEqual(ref(t));
      }
    }
  });

  it('skips a placeholder regex only where it cannot match (corpus lines and generated lines)', () => {
    const lines: string[] = [];
    const dir = '/work/shared/corpus/docs';
    for (const name of readdirSync(dir)) lines.push(...readFileSync(join(dir, name), 'utf8').split('\n'));
    const bits = [
      'TODO',
      'todo',
      'ToDo(HandOff)',
      'FIXME',
      ': fill',
      ' write',
      '<',
      '>',
      '<!--',
      ' handoff:fill',
      '-->',
    ];
    bits.push(
      '[',
      ']',
      '(',
      '{{',
      '}}',
      'TBD',
      'TBA',
      'tbc',
      'lorem',
      ' ipsum',
      'LOREM IPSUM',
      '...',
      '…',
      '- ',
      '1. ',
    );
    bits.push('* ', ' [ ]', '[x]', ' ', '\t', '\u00a0', 'your', 'describe', 'e.g.', 'x', 'İ', 'ſ', 'K', 'ı', 'é', '\r');
    let seed = 7;
    for (let i = 0; i < 20000; i++) {
      let line = '';
      for (let k = 1 + (i % 7); k > 0; k--) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        line += bits[seed % bits.length];
      }
      lines.push(line);
    }
    let matched = 0;
    for (const line of lines) {
      for (const [label, re, , mayMatch] of PLACEHOLDER_PATTERNS) {
        if (re.test(line)) {
          matched++;
          expect(mayMatch(line), `${label}: ${JSON.stringify(line)}`).toBe(true);
        }
      }
    }
    expect(matched).toBeGreaterThan(1000);
  });
});
