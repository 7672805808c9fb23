import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { carryOpenItems, draftHandoff, openItems } from '../../src/capture/draft.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import type { HandoffSummary } from '../../src/format/schema.js';
import { parseHandoff } from '../../src/format/parse.js';
import type { HandoffContext } from '../../src/service/context.js';
import { createMemoryStore, type MemoryHandoffStore } from '../../src/store/memory-store.js';
import type { HandoffFilter, HandoffIndex, IndexedSection } from '../../src/store/types.js';
import { commitFiles, sh, writeFiles } from './_repo.js';

let dir: string;
let repo: string;
let store: MemoryHandoffStore;
let index: HandoffIndex;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-'));
  repo = join(dir, 'todo-api');
  sh(dir, 'init', '-q', '-b', 'main', repo);
  store = createMemoryStore();
  index = fakeIndex(store);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The two index methods `draftHandoff` reads (list, sections), over the
 * memory store and the real parser. The SQLite index cannot index yet in
 * this tree (src/format/validate.ts is still being written); swap in
 * `openIndex(store, {cacheDir})` once it can.
 */
function fakeIndex(s: MemoryHandoffStore): HandoffIndex {
  let rows: Array<{ summary: HandoffSummary; sections: IndexedSection[] }> = [];
  const unused = () => {
    throw new Error('not used by draftHandoff');
  };
  return {
    async sync() {
      rows = [];
      for (const key of await s.keys()) {
        const doc = parseHandoff(await s.read(key), { path: key });
        const d = doc.data;
        rows.push({
          summary: {
            id: String(d.id),
            name: d.name ?? null,
            project: d.project ?? null,
            summary: d.summary ?? null,
            tags: d.tags ?? [],
            created: String(d.created),
            expires: d.expires ?? null,
            work_type: d.work_type ?? null,
            agent: d.agent ?? null,
            branch: d.git?.branch ?? null,
            commit: d.git?.commit ?? null,
            parent: d.parent ?? null,
            auto: d.auto === true,
            expired: false,
            path: key,
          },
          sections: doc.sections.map((x) => ({
            heading: x.heading,
            canonical: x.canonical,
            text: x.text,
            tokens: null,
          })),
        });
      }
      rows.sort((a, b) => b.summary.created.localeCompare(a.summary.created));
      return { added: rows.length, updated: 0, removed: 0, scanned: true, errors: [], duplicates: [] };
    },
    list(filter: HandoffFilter = {}) {
      return rows
        .map((r) => r.summary)
        .filter(
          (r) =>
            (filter.project === undefined || r.project === filter.project) && (filter.includeAuto !== false || !r.auto),
        )
        .slice(0, filter.limit ?? Number.POSITIVE_INFINITY);
    },
    sections: (key: string) => rows.find((r) => r.summary.path === key)?.sections ?? [],
    findById: unused,
    search: unused,
    setSectionTokens: unused,
    content: unused,
    hasFrontMatter: unused,
    listTable: unused,
    count: () => rows.length,
    noteWritten: unused,
    noteRemoved: unused,
    path: null,
    close() {},
  };
}

/** A context as `openContext` would give it, over the memory store (the lead's openContext is not used here). */
function context(cwd = repo, repoRoot: string | null = repo): HandoffContext {
  const env = { ...process.env, HANDOFF_CACHE: join(dir, 'cache'), XDG_CACHE_HOME: join(dir, 'xdg') };
  const ctx: HandoffContext = {
    cwd,
    repoRoot,
    repoName: repoRoot ? 'todo-api' : null,
    store,
    index,
    project: 'todo-api',
    config: DEFAULT_CONFIG,
    env,
    warnings: [],
    ready: () => index.sync(),
    userContext: async () => ctx,
    close: () => {},
  };
  return ctx;
}

/** Puts a handoff file into the store as `store` would have written it. */
function putHandoff(key: string, frontMatter: string, body: string): void {
  store.put(key, `---\n${frontMatter}\n---\n${body}`);
}

const PREVIOUS_BODY = `## Accomplished
- Task CRUD endpoints

## In Progress
- PATCH /tasks/:id validation in internal/task/handler.go — title works, due date not yet
- [x] Pagination — done on Tuesday

## Deferred
- Rate limiting: not needed before the beta

## Blocked
None

## Next Steps
1. Finish PATCH validation in internal/task/handler.go
2. (carried from 11111111) Add an index on tasks.owner_id
3. TODO(handoff): <imperative sentence naming a file, command or test>
`;

describe('draftHandoff', () => {
  it('writes every section in canonical order with judgement markers, and front matter without an id', async () => {
    const head = commitFiles(repo, { 'main.go': 'package main\n' }, 'Initial commit');
    const { text, facts } = await draftHandoff(context(), {});
    const doc = parseHandoff(text);
    expect(doc.data).toMatchObject({
      handoff: 1,
      project: 'todo-api',
      work_type: 'implementation',
      git: { branch: 'main', commit: head, dirty: false },
    });
    expect(doc.data.id).toBeUndefined();
    expect(doc.data.parent).toBeUndefined();
    expect(doc.sections.map((s) => s.heading)).toEqual([
      'Context',
      'Accomplished',
      'Decisions',
      'In Progress',
      'Deferred',
      'Blocked',
      'Next Steps',
      'Gotchas',
      'Files of Note',
      'Metrics',
    ]);
    expect(doc.sections.map((s) => s.canonical)).toEqual([
      'context',
      'accomplished',
      'decisions',
      'in_progress',
      'deferred',
      'blocked',
      'next_steps',
      'gotchas',
      'files',
      'metrics',
    ]);
    const section = (name: string) => doc.sections.find((s) => s.canonical === name)!.text;
    expect(section('decisions')).toMatch(/<!-- handoff:fill: .*why.* -->\n- TODO\(handoff\): /);
    expect(section('in_progress')).toContain('TODO(handoff):');
    expect(section('next_steps')).toMatch(/<!-- handoff:fill: next step 1: .* -->\n1\. TODO\(handoff\): /);
    expect(section('accomplished')).toContain('No earlier handoff commit to compare with; the last 1 commits:');
    expect(section('accomplished')).toContain(`- \`${head.slice(0, 7)}\` Initial commit`);
    expect(section('files')).toContain('- `main.go` (+1 −0)');
    expect(facts.previous).toBeNull();
  });

  it('reports commits and changed files since the previous handoff and carries its open items', async () => {
    const base = commitFiles(repo, { 'internal/task/handler.go': 'package task\n' }, 'Task CRUD');
    putHandoff(
      '20260101-1000-state.md',
      `id: 9b1d0e44\ncreated: 2026-01-01T10:00:00Z\nproject: todo-api\nsummary: CRUD done, validation next\ngit: {branch: main, commit: ${base}}`,
      PREVIOUS_BODY,
    );
    // A newer automatic checkpoint is not "the previous handoff".
    putHandoff(
      '20260102-1000-checkpoint.md',
      'id: aaaaaaaa\ncreated: 2026-01-02T10:00:00Z\nproject: todo-api\nauto: true',
      '## In Progress\n- checkpoint item\n',
    );
    const c1 = commitFiles(
      repo,
      { 'internal/task/handler.go': 'package task\n\nfunc Patch() {}\n' },
      'Validate PATCH title',
    );
    const c2 = commitFiles(repo, { 'docs/api.md': '# API\n' }, 'Document the API');
    writeFiles(repo, { 'internal/task/due.go': 'package task\n' });

    const { text, facts } = await draftHandoff(context(), {
      name: 'todo-api-state',
      summary: 'Validation in progress',
    });
    const doc = parseHandoff(text);
    expect(doc.data).toMatchObject({ name: 'todo-api-state', summary: 'Validation in progress', parent: '9b1d0e44' });
    expect(doc.data.git).toMatchObject({ commit: c2, dirty: true });
    expect(facts.previous).toEqual({ id: '9b1d0e44', key: '20260101-1000-state.md' });
    expect(facts.git?.sinceFound).toBe(true);

    const section = (name: string) => doc.sections.find((s) => s.canonical === name)!.text;
    expect(section('accomplished')).toContain(
      `- \`${c2.slice(0, 7)}\` Document the API\n- \`${c1.slice(0, 7)}\` Validate PATCH title`,
    );
    expect(section('files')).toContain('- `internal/task/handler.go` (+2 −0)');
    expect(section('files')).toContain('- `docs/api.md` (+1 −0)');
    expect(section('in_progress')).toContain('- Uncommitted changes: `internal/task/due.go` (new)');
    expect(section('in_progress')).toContain(
      '- [ ] (carried from 9b1d0e44) PATCH /tasks/:id validation in internal/task/handler.go — title works, due date not yet  <!-- confirm or drop -->',
    );
    expect(section('in_progress')).not.toContain('Pagination');
    expect(section('deferred')).toContain(
      '- [ ] (carried from 9b1d0e44) Rate limiting: not needed before the beta  <!-- confirm or drop -->',
    );
    expect(section('blocked')).not.toContain('(carried from');
    expect(section('next_steps')).toContain(
      '- [ ] (carried from 9b1d0e44) Finish PATCH validation in internal/task/handler.go',
    );
    expect(section('next_steps')).toContain('- [ ] (carried from 9b1d0e44) Add an index on tasks.owner_id');
    expect(section('next_steps').match(/TODO\(handoff\)/g)).toHaveLength(1);
    expect(section('context')).toContain('- Previous handoff: 9b1d0e44 — CRUD done, validation next');
    expect(section('metrics')).toContain('- Git: 2 commits since the previous handoff, 2 files changed (+3 −0)');
  });

  it('says so when the previous handoff commit was rebased away', async () => {
    for (let i = 1; i <= 3; i++) commitFiles(repo, { [`f${i}.txt`]: `${i}\n` }, `commit ${i}`);
    putHandoff(
      '20260101-1000-state.md',
      'id: 9b1d0e44\ncreated: 2026-01-01T10:00:00Z\nproject: todo-api\ngit: {branch: main, commit: 0123456789abcdef0123456789abcdef01234567}',
      '## Next Steps\n1. Ship it\n',
    );
    const { text, facts } = await draftHandoff(context(), {});
    expect(facts.git?.sinceFound).toBe(false);
    expect(text).toContain(
      "The previous handoff's commit `0123456` is not in this repository (rebased away?); the last 3 commits:",
    );
  });

  it('runs the tests command and puts counts under Metrics and failing tests under Blocked', async () => {
    commitFiles(
      repo,
      {
        'a.test.mjs':
          "import { test } from 'node:test';\nimport assert from 'node:assert';\n" +
          "test('creates a task', () => {});\ntest('rejects an empty title', () => assert.equal(1, 2));\n",
      },
      'Tests',
    );
    const { text, facts } = await draftHandoff(context(), {
      workType: 'testing',
      tests: 'node --test --test-reporter=tap a.test.mjs',
    });
    expect(facts.tests).toMatchObject({ exitCode: 1, summary: { runner: 'node', passed: 1, failed: 1 } });
    expect(text).toContain(
      '- Tests (`node --test --test-reporter=tap a.test.mjs`, node): 1 passed, 1 failed, 0 skipped (50% passing); exit code 1',
    );
    expect(text).toContain('  - failing: `rejects an empty title`');
    expect(text).toContain('- [ ] 1 failing test: `rejects an empty title`  <!-- blocked? confirm or drop -->');
    expect(text).toMatch(/## Metrics\n<!-- handoff:fill: pass rate, failing tests by name, flaky tests, coverage/);
    expect(text).toMatch(/## Gotchas\n<!-- handoff:fill: flaky tests/);
  });

  it('takes requests, edited files and failed commands from the transcript', async () => {
    commitFiles(repo, { 'README.md': 'x\n' }, 'Initial');
    const line = (o: object) => JSON.stringify({ sessionId: 's-9', cwd: repo, uuid: 'u', ...o });
    const transcript = join(dir, 'session.jsonl');
    writeFileSync(
      transcript,
      [
        line({ type: 'user', message: { role: 'user', content: 'Add due dates to tasks' } }),
        line({
          type: 'assistant',
          message: {
            content: [
              {
                type: 'tool_use',
                id: 't1',
                name: 'Write',
                input: { file_path: join(repo, 'internal/task/due.go'), content: '' },
              },
            ],
          },
        }),
        line({
          type: 'assistant',
          message: { content: [{ type: 'tool_use', id: 't2', name: 'Bash', input: { command: 'go test ./...' } }] },
        }),
        line({
          type: 'user',
          message: {
            content: [{ type: 'tool_result', tool_use_id: 't2', content: 'Exit code 1\nFAIL', is_error: true }],
          },
        }),
        line({
          type: 'assistant',
          message: { content: [{ type: 'tool_use', id: 't3', name: 'Bash', input: { command: 'go vet ./...' } }] },
        }),
        line({
          type: 'user',
          message: { content: [{ type: 'tool_result', tool_use_id: 't3', content: 'Exit code 2', is_error: true }] },
        }),
        line({
          type: 'assistant',
          message: { content: [{ type: 'tool_use', id: 't4', name: 'Bash', input: { command: 'go test ./...' } }] },
        }),
        line({
          type: 'user',
          message: { content: [{ type: 'tool_result', tool_use_id: 't4', content: 'ok', is_error: false }] },
        }),
      ].join('\n') + '\n',
    );
    writeFiles(repo, { 'internal/task/due.go': 'package task\n' });
    const { text, facts } = await draftHandoff(context(), { transcript });
    const doc = parseHandoff(text);
    expect(doc.data.agent).toBe('claude-code');
    expect(facts.transcript?.sessionId).toBe('s-9');
    const section = (name: string) => doc.sections.find((s) => s.canonical === name)!.text;
    expect(section('context')).toContain('- Requested: "Add due dates to tasks"');
    expect(section('gotchas')).toContain('- `go test ./...` failed, then passed');
    expect(section('gotchas')).toContain('- `go vet ./...` failed');
    // git lists a wholly untracked directory, not its files (--untracked-files=normal)
    expect(section('in_progress')).toContain('- Uncommitted changes: `internal/` (new)');
    expect(section('metrics')).toContain('- Session: 3 commands run (2 failed), 1 file edited');
  });

  it('writes an automatic checkpoint with facts only, auto: true and a 7-day expiry', async () => {
    const base = commitFiles(repo, { 'a.go': 'package a\n' }, 'Base');
    putHandoff(
      '20260101-1000-state.md',
      `id: 9b1d0e44\ncreated: 2026-01-01T10:00:00Z\nproject: todo-api\ngit: {branch: main, commit: ${base}}`,
      PREVIOUS_BODY,
    );
    commitFiles(repo, { 'a.go': 'package a\n\nvar x = 1\n' }, 'Add x');
    const now = new Date('2026-03-01T12:00:00Z');
    const { text } = await draftHandoff(context(), { auto: true, now });
    expect(text).not.toContain('handoff:fill');
    expect(text).not.toContain('TODO(handoff)');
    expect(text).not.toContain('<!--');
    const doc = parseHandoff(text);
    expect(doc.data).toMatchObject({ auto: true, expires: '2026-03-08T12:00:00Z', parent: '9b1d0e44' });
    expect(doc.data.summary).toBe('Automatic checkpoint on main: 1 commit, 1 file changed');
    expect(doc.sections.map((s) => s.canonical)).toEqual([
      'context',
      'accomplished',
      'in_progress',
      'deferred',
      'next_steps',
      'files',
      'metrics',
    ]);
    expect(text).toContain('- [ ] (carried from 9b1d0e44) Rate limiting: not needed before the beta\n');
  });

  it.each([
    [
      'planning',
      /## Decisions\n<!-- handoff:fill: options considered and the chosen direction/,
      ['metrics', 'environment'],
    ],
    ['infrastructure', /## Environment\n<!-- handoff:fill: environments touched .*roll back/, []],
    ['documentation', /## In Progress\n<!-- handoff:fill: pages half-written/, ['metrics', 'environment']],
    ['quality', /## Metrics\n<!-- handoff:fill: before\/after/, ['environment']],
  ] as const)('uses the %s template', async (workType, pattern, absent) => {
    commitFiles(repo, { 'a.txt': 'a\n' }, 'a');
    const { text } = await draftHandoff(context(), { workType });
    expect(text).toMatch(pattern);
    const canonical = parseHandoff(text).sections.map((s) => s.canonical);
    for (const s of absent) expect(canonical).not.toContain(s);
    expect(parseHandoff(text).data.work_type).toBe(workType);
  });

  it('drafts outside a git repository without git facts', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'handoff-'));
    try {
      const { text, facts } = await draftHandoff(context(outside, null), {});
      expect(facts.git).toBeNull();
      expect(parseHandoff(text).data.git).toBeUndefined();
      expect(text).toContain('## Next Steps');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('openItems / carryOpenItems', () => {
  it.each([
    ['- one\n- two', ['one', 'two']],
    ['1. first\n   more about first\n2. second', ['first more about first', 'second']],
    ['- [ ] open\n- [x] done\n- [X] also done', ['open']],
    ['- parent\n  - child detail', ['parent child detail']],
    ['Remaining work:\n\n- a', ['a']],
    ['Just a paragraph\nthat wraps.\n\nAnother one.', ['Just a paragraph that wraps.', 'Another one.']],
    ['| Item | Owner |\n|---|---|\n| Migrate DB | ana |', ['Migrate DB — ana']],
    ['None', []],
    ['- N/A', []],
    ['- (carried from 1234abcd) old item', ['old item']],
    ['<!-- handoff:fill: x -->\n- TODO(handoff): <decision>', []],
    ['- run\n```sh\nnpm test\n```\n- ship', ['run', 'ship']],
  ])('%j', (text, expected) => {
    expect(openItems(text)).toEqual(expected);
  });

  it('collects items of the four open sections only, in section order', () => {
    const sections = [
      { heading: 'Accomplished', canonical: 'accomplished', text: '- done\n', tokens: null },
      { heading: 'Blockers', canonical: 'blocked', text: '- waiting on API keys\n', tokens: null },
      { heading: 'Current State', canonical: 'in_progress', text: '- half of it\n', tokens: null },
    ];
    expect(carryOpenItems(sections)).toEqual([
      { section: 'in_progress', text: 'half of it' },
      { section: 'blocked', text: 'waiting on API keys' },
    ]);
  });
});
