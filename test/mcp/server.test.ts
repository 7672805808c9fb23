import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, GOOD_HANDOFF, makeGitRepo, makeSandbox, type Sandbox, textOf } from './_harness.js';

const TOOLS = [
  'handoff_check',
  'handoff_decisions',
  'handoff_draft',
  'handoff_list',
  'handoff_resume',
  'handoff_retrieve',
  'handoff_search',
  'handoff_store',
];
const READ_ONLY_TOOLS = TOOLS.filter((t) => t !== 'handoff_store');
const CORPUS_TRANSCRIPTS = '/work/shared/corpus/transcripts';
const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5F6g7H8i9J0'}${'k1L2m3N4o5P6q7R8'}`;

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
});
afterEach(() => sb.cleanup());

type Session = Awaited<ReturnType<typeof connect>>;
async function withSession<T>(fn: (s: Session) => Promise<T>, options: { cwd?: string; global?: boolean } = {}) {
  const s = await connect({ cwd: options.cwd ?? sb.work, env: sb.env, global: options.global });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md')) : [];
}

describe('tool declarations', () => {
  it('lists exactly the eight handoff tools, each titled, described, with described inputs and an output schema', async () => {
    await withSession(async ({ client }) => {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
      for (const tool of tools) {
        expect(tool.title, tool.name).toMatch(/\w/);
        expect(tool.description?.length ?? 0, tool.name).toBeGreaterThan(80);
        const properties = Object.entries(tool.inputSchema.properties ?? {});
        expect(properties.length, tool.name).toBeGreaterThan(0);
        for (const [field, schema] of properties) {
          expect((schema as { description?: string }).description, `${tool.name}.${field}`).toMatch(/\w{3}/);
        }
        expect(tool.outputSchema?.type, tool.name).toBe('object');
        expect(Object.keys(tool.outputSchema?.properties ?? {}).length, tool.name).toBeGreaterThan(0);
      }
    });
  });

  it('marks every tool but handoff_store read-only, and none open-world', async () => {
    await withSession(async ({ client }) => {
      const { tools } = await client.listTools();
      const byName = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
      for (const name of READ_ONLY_TOOLS)
        expect(byName[name], name).toEqual({ readOnlyHint: true, openWorldHint: false });
      expect(byName.handoff_store).toEqual({
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      });
    });
  });

  it('requires only what a call cannot do without', async () => {
    await withSession(async ({ client }) => {
      const { tools } = await client.listTools();
      const required = Object.fromEntries(tools.map((t) => [t.name, t.inputSchema.required ?? []]));
      expect(required).toEqual({
        handoff_store: ['content'],
        handoff_retrieve: [],
        handoff_list: [],
        handoff_search: ['query'],
        handoff_check: [],
        handoff_draft: [],
        handoff_resume: [],
        handoff_decisions: [],
      });
    });
  });

  it('tells a connecting agent when to call which tool', async () => {
    await withSession(async ({ client }) => {
      expect(client.getInstructions()).toMatch(/handoff_resume.*handoff_store/s);
      expect(client.getServerVersion()?.name).toBe('session-handoff');
    });
  });
});

describe('tools on the user store (cwd is not a git repository)', () => {
  it('stores a handoff as a new file and retrieves it by id, prefix, name and as the latest', async () => {
    await withSession(async ({ call }) => {
      const stored = await call('handoff_store', {
        content: GOOD_HANDOFF,
        name: 'todo-api-state',
        summary: 'Task CRUD done, PATCH validation in progress',
        tags: ['api', 'crud'],
        work_type: 'implementation',
      });
      expect(stored.isError, textOf(stored)).toBeFalsy();
      const out = stored.structuredContent as { id: string; path: string; findings: unknown[]; redacted: number };
      expect(out.id).toMatch(/^[0-9a-f]{8}$/);
      expect(out.path.startsWith(sb.home)).toBe(true);
      expect(readFileSync(out.path, 'utf8')).toContain('PostgreSQL over SQLite');
      expect(out.redacted).toBe(0);
      expect(textOf(stored)).toContain(`Stored handoff ${out.id}`);

      for (const args of [{ id: out.id }, { id: out.id.slice(0, 4) }, { name: 'todo-api-state' }, {}]) {
        const r = await call('handoff_retrieve', args);
        expect(r.isError, `${JSON.stringify(args)}: ${textOf(r)}`).toBeFalsy();
        const sc = r.structuredContent as {
          summary: { id: string; name: string };
          handoff: { id: string; tags: string[]; sections: Array<{ canonical: string | null }> };
        };
        expect(sc.summary.id).toBe(out.id);
        expect(sc.handoff.tags).toEqual(['api', 'crud']);
        expect(sc.handoff.sections.map((s) => s.canonical)).toContain('next_steps');
        expect(textOf(r)).toContain('## Decisions');
      }
    });
  });

  it('records the MCP client as the agent unless one is given', async () => {
    await withSession(async ({ call }) => {
      const a = (await call('handoff_store', { content: GOOD_HANDOFF })).structuredContent as { id: string };
      const b = (await call('handoff_store', { content: GOOD_HANDOFF, agent: 'codex' })).structuredContent as {
        id: string;
      };
      const agentOf = async (id: string) =>
        ((await call('handoff_retrieve', { id })).structuredContent as { summary: { agent: string } }).summary.agent;
      expect(await agentOf(a.id)).toBe('mcp-test');
      expect(await agentOf(b.id)).toBe('codex');
    });
  });

  it('lists newest first with filters, and says so when nothing matches', async () => {
    await withSession(async ({ call }) => {
      const ids: string[] = [];
      for (const tag of ['alpha', 'beta', 'alpha']) {
        const r = await call('handoff_store', { content: GOOD_HANDOFF, tags: [tag], summary: `work on ${tag}` });
        ids.push((r.structuredContent as { id: string }).id);
      }
      const all = await call('handoff_list');
      const listed = (all.structuredContent as { handoffs: Array<{ id: string }> }).handoffs.map((h) => h.id);
      expect(new Set(listed)).toEqual(new Set(ids));
      expect(textOf(all).split('\n')).toHaveLength(3);

      const alpha = await call('handoff_list', { tag: 'alpha', since: '2000-01-01' });
      expect((alpha.structuredContent as { handoffs: unknown[] }).handoffs).toHaveLength(2);
      const limited = await call('handoff_list', { limit: 1 });
      expect((limited.structuredContent as { handoffs: unknown[] }).handoffs).toHaveLength(1);

      const none = await call('handoff_list', { tag: 'nope' });
      expect(none.isError).toBeFalsy();
      expect(none.structuredContent).toEqual({ handoffs: [] });
      expect(textOf(none)).toBe('No handoffs found.');
    });
  });

  it('searches the text, ranked, with snippets and a section filter', async () => {
    await withSession(async ({ call }) => {
      await call('handoff_store', { content: GOOD_HANDOFF, name: 'api' });
      await call('handoff_store', { content: '## Accomplished\n- Wrote the README for the CLI\n', name: 'docs' });

      const r = await call('handoff_search', { query: 'row locks' });
      expect(r.isError, textOf(r)).toBeFalsy();
      const hits = (r.structuredContent as { hits: Array<{ name: string; snippet: string; score: number }> }).hits;
      expect(hits.map((h) => h.name)).toEqual(['api']);
      expect(hits[0]?.snippet.toLowerCase()).toContain('lock');
      expect(textOf(r)).toContain('api');

      const inDecisions = await call('handoff_search', { query: 'row locks', section: 'decisions' });
      expect((inDecisions.structuredContent as { hits: Array<{ section: string }> }).hits).toMatchObject([
        { section: 'decisions' },
      ]);
      const notInDecisions = await call('handoff_search', { query: 'README', section: 'decisions' });
      expect((notInDecisions.structuredContent as { hits: unknown[] }).hits).toEqual([]);
      expect(textOf(notInDecisions)).toMatch(/No handoffs match/);
    });
  });

  it('checks text and stored handoffs and scores a vague one lower', async () => {
    await withSession(async ({ call }) => {
      const good = await call('handoff_check', { text: GOOD_HANDOFF });
      const vague = await call('handoff_check', { text: '## Next Steps\n- continue working on stuff, etc.\n' });
      for (const r of [good, vague]) expect(r.isError, textOf(r)).toBeFalsy();
      type Check = { score: number; passed: boolean; errors: number; findings: Array<{ rule: string }> };
      const g = good.structuredContent as Check;
      const v = vague.structuredContent as Check;
      expect(v.score).toBeLessThan(g.score);
      expect(v.passed).toBe(false);
      expect(v.errors).toBeGreaterThan(0);
      expect(v.findings.map((f) => f.rule)).toContain('required-sections');
      expect(textOf(vague)).toMatch(/^Score \d+\/100/);
      expect(textOf(vague)).toContain('required-sections');

      const stored = await call('handoff_store', { content: GOOD_HANDOFF });
      const byId = await call('handoff_check', {
        id: (stored.structuredContent as { id: string }).id,
        profile: 'full',
      });
      expect(byId.isError, textOf(byId)).toBeFalsy();
      expect((byId.structuredContent as { profile: string }).profile).toBe('full');
    });
  });

  it('drafts a document without storing it', async () => {
    await withSession(async ({ call }) => {
      const r = await call('handoff_draft', { work_type: 'testing', name: 'next-session' });
      expect(r.isError, textOf(r)).toBeFalsy();
      const sc = r.structuredContent as { text: string; facts: object };
      expect(sc.text).toMatch(/^---\n/);
      expect(sc.text).toContain('next-session');
      expect(textOf(r)).toBe(sc.text);
      expect(filesIn(sb.home)).toEqual([]);
    });
  });

  it.each([
    ['claude-code', 't4_claude_code_session.jsonl', 1],
    ['codex', 't5_codex_rollout.jsonl', 0], // this rollout has no tool calls
  ])('drafts from a real %s transcript', async (format, file, minCommands) => {
    await withSession(async ({ call }) => {
      const r = await call('handoff_draft', { transcript: join(CORPUS_TRANSCRIPTS, file) });
      expect(r.isError, textOf(r)).toBeFalsy();
      const facts = (r.structuredContent as { facts: { transcript: { format: string; commands: unknown[] } } }).facts;
      expect(facts.transcript.format).toBe(format);
      expect(facts.transcript.commands.length).toBeGreaterThanOrEqual(minCommands);
    });
  });

  it('reports a transcript that does not exist as bad input', async () => {
    await withSession(async ({ call }) => {
      const r = await call('handoff_draft', { transcript: join(sb.root, 'missing.jsonl') });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/^invalid-input: .*missing\.jsonl/);
    });
  });

  it('builds the resume briefing from the newest handoff, within the budget', async () => {
    await withSession(async ({ call }) => {
      const empty = await call('handoff_resume');
      expect(empty.isError, textOf(empty)).toBeFalsy();
      expect((empty.structuredContent as { handoff: unknown }).handoff).toBeNull();

      const id = ((await call('handoff_store', { content: GOOD_HANDOFF })).structuredContent as { id: string }).id;
      const r = await call('handoff_resume', { budget: 400 });
      expect(r.isError, textOf(r)).toBeFalsy();
      const sc = r.structuredContent as { text: string; handoff: { id: string }; tokens: number };
      expect(sc.handoff.id).toBe(id);
      expect(sc.text).toContain('due_date parsing');
      expect(sc.tokens).toBeLessThanOrEqual(400);
      expect(textOf(r)).toBe(sc.text);
    });
  });

  it('lists the decisions across handoffs with their rationale', async () => {
    await withSession(async ({ call }) => {
      await call('handoff_store', { content: GOOD_HANDOFF });
      const r = await call('handoff_decisions');
      expect(r.isError, textOf(r)).toBeFalsy();
      const json = JSON.stringify(r.structuredContent);
      expect(json).toContain('PostgreSQL over SQLite');
      expect(json).toContain('row locks');
      expect(textOf(r)).toContain('PostgreSQL over SQLite');
      const filtered = await call('handoff_decisions', { query: 'router' });
      expect(JSON.stringify(filtered.structuredContent)).not.toContain('PostgreSQL');
    });
  });
});

describe('bad arguments and failures are tool errors, and the server keeps serving', () => {
  it.each([
    ['a missing required field', 'handoff_store', {}, /content/],
    ['a wrong type', 'handoff_list', { limit: 'ten' }, /limit/],
    ['an enum value that does not exist', 'handoff_draft', { work_type: 'napping' }, /work_type/],
    ['a malformed id', 'handoff_retrieve', { id: 'XYZ!' }, /id/],
    ['an unknown id', 'handoff_retrieve', { id: 'deadbeef' }, /^not-found: .*deadbeef/],
    ['neither text nor id', 'handoff_check', {}, /^usage: .*text.*id/],
    ['both text and id', 'handoff_check', { text: 'x', id: 'deadbeef' }, /^usage: /],
    ['a bad ttl', 'handoff_store', { content: GOOD_HANDOFF, ttl: 'soon' }, /^usage: .*ttl/],
    ['an empty document', 'handoff_store', { content: '   \n' }, /^invalid-input: /],
    ['an unknown tool', 'handoff_delete_everything', {}, /not found/],
  ])('%s', async (_what, tool, args, message) => {
    await withSession(async ({ call }) => {
      const r = await call(tool, args);
      expect(r.isError).toBe(true);
      expect(r.structuredContent).toBeUndefined();
      expect(textOf(r)).toMatch(message);
      const after = await call('handoff_list');
      expect(after.isError, textOf(after)).toBeFalsy();
    });
  });

  it('refuses a credential without writing anything, and redacts it when asked', async () => {
    await withSession(async ({ call }) => {
      const content = `${GOOD_HANDOFF}\n## Environment\nGITHUB_TOKEN=${GITHUB_TOKEN}\n`;
      const refused = await call('handoff_store', { content });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/^secret: refusing to store: line \d+/);
      expect(textOf(refused)).not.toContain(GITHUB_TOKEN);
      expect(filesIn(sb.home)).toEqual([]);

      const redacted = await call('handoff_store', { content, redact: true });
      expect(redacted.isError, textOf(redacted)).toBeFalsy();
      const out = redacted.structuredContent as { path: string; redacted: number };
      expect(out.redacted).toBe(1);
      expect(readFileSync(out.path, 'utf8')).not.toContain(GITHUB_TOKEN);
    });
  });

  it('reports an expired handoff as an error unless all is set', async () => {
    mkdirSync(sb.home, { recursive: true });
    const expired =
      '---\nid: abcdef12\ncreated: 2020-01-01T00:00:00Z\nexpires: 2020-01-15T00:00:00Z\n---\n## Next Steps\n1. Old\n';
    writeFileSync(join(sb.home, '20200101-0000-old.md'), expired);
    await withSession(async ({ call }) => {
      const r = await call('handoff_retrieve', { id: 'abcdef12' });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/^expired: .*2020-01-15/);
      const all = await call('handoff_retrieve', { id: 'abcdef12', all: true });
      expect(all.isError, textOf(all)).toBeFalsy();
      expect((all.structuredContent as { summary: { expired: boolean } }).summary.expired).toBe(true);
      expect((await call('handoff_list')).structuredContent).toEqual({ handoffs: [] });
      const listAll = (await call('handoff_list', { all: true })).structuredContent as { handoffs: unknown[] };
      expect(listAll.handoffs).toHaveLength(1);
    });
  });
});

describe('diagnostics', () => {
  it('logs a broken file once (never to the agent) and still serves the others', async () => {
    mkdirSync(sb.home, { recursive: true });
    writeFileSync(join(sb.home, '20200101-0000-broken.md'), '---\nid: [unclosed\n---\n## Next Steps\n1. x\n');
    await withSession(async ({ call, logs }) => {
      await call('handoff_store', { content: GOOD_HANDOFF, name: 'fine' });
      const first = await call('handoff_list');
      const second = await call('handoff_list');
      for (const r of [first, second]) {
        expect((r.structuredContent as { handoffs: Array<{ name: string }> }).handoffs.map((h) => h.name)).toEqual([
          'fine',
        ]);
      }
      expect(logs.filter((l) => l.includes('20200101-0000-broken.md'))).toHaveLength(1);
      expect(textOf(second)).not.toContain('broken');
    });
  });
});

describe('inside a git repository', () => {
  it('uses the user store with the repository as project when the repository has no store', async () => {
    const repo = join(sb.root, 'todo-api');
    makeGitRepo(repo);
    await withSession(
      async ({ call }) => {
        const stored = await call('handoff_store', { content: GOOD_HANDOFF });
        expect(stored.isError, textOf(stored)).toBeFalsy();
        expect((stored.structuredContent as { path: string }).path.startsWith(sb.home)).toBe(true);
        expect(existsSync(join(repo, 'docs'))).toBe(false);
        const listed = (await call('handoff_list')).structuredContent as { handoffs: Array<{ project: string }> };
        expect(listed.handoffs.map((h) => h.project)).toEqual(['todo-api']);
      },
      { cwd: repo },
    );
  });

  it('writes to the repository store when there is one, and to the user store with global', async () => {
    const repo = join(sb.root, 'todo-api');
    makeGitRepo(repo);
    mkdirSync(join(repo, 'docs', 'session_handoffs'), { recursive: true });
    await withSession(
      async ({ call }) => {
        const stored = await call('handoff_store', { content: GOOD_HANDOFF, name: 'in-repo' });
        expect(stored.isError, textOf(stored)).toBeFalsy();
        expect(filesIn(join(repo, 'docs', 'session_handoffs'))).toHaveLength(1);
        const draft = await call('handoff_draft');
        expect(draft.isError, textOf(draft)).toBeFalsy();
        expect((draft.structuredContent as { text: string }).text).toContain('main');
        const resume = await call('handoff_resume');
        expect((resume.structuredContent as { handoff: { name: string } }).handoff.name).toBe('in-repo');
      },
      { cwd: repo },
    );
    await withSession(
      async ({ call }) => {
        await call('handoff_store', { content: GOOD_HANDOFF, name: 'global-one' });
        expect(filesIn(sb.home)).toHaveLength(1);
        expect(filesIn(join(repo, 'docs', 'session_handoffs'))).toHaveLength(1);
      },
      { cwd: repo, global: true },
    );
  });
});

describe('servers share no state', () => {
  it('keeps two servers with different stores apart', async () => {
    const other = makeSandbox();
    try {
      const a = await connect({ cwd: sb.work, env: sb.env });
      const b = await connect({ cwd: other.work, env: other.env });
      await a.call('handoff_store', { content: GOOD_HANDOFF, name: 'only-in-a' });
      const inB = (await b.call('handoff_list')).structuredContent as { handoffs: unknown[] };
      const inA = (await a.call('handoff_list')).structuredContent as { handoffs: unknown[] };
      expect([inA.handoffs.length, inB.handoffs.length]).toEqual([1, 0]);
      await a.close();
      await b.close();
    } finally {
      other.cleanup();
    }
  });

  it('serves concurrent calls, each with its own context', async () => {
    await withSession(async ({ call }) => {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => call('handoff_store', { content: GOOD_HANDOFF, name: `parallel-${i}` })),
      );
      for (const r of results) expect(r.isError, textOf(r)).toBeFalsy();
      const ids = new Set(results.map((r) => (r.structuredContent as { id: string }).id));
      expect(ids.size).toBe(6);
      expect(filesIn(sb.home)).toHaveLength(6);
      const listed = (await call('handoff_list')).structuredContent as { handoffs: unknown[] };
      expect(listed.handoffs).toHaveLength(6);
    });
  });
});
