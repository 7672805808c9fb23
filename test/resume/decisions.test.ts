import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { extractDecisions, listDecisions } from '../../src/resume/decisions.js';
import { addCorpusDoc, corpus, daysFromNow, makeWorld, type World, withFrontMatter, writeFiles } from './_fixtures.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

/** A handoff with only a decisions section. */
function decisionsDoc(
  key: string,
  id: string,
  daysAgo: number,
  lines: string[],
  extra: { project?: string; expires?: string } = {},
) {
  writeFiles(w.storeDir, {
    [key]: withFrontMatter(
      {
        id,
        created: daysFromNow(-daysAgo),
        project: extra.project ?? 'todo-api',
        expires: extra.expires,
        name: key.replace('.md', ''),
      },
      `## Decisions\n${lines.join('\n')}\n\n## Next Steps\n1. Run \`npm test\`\n`,
    ),
  });
}

describe('listDecisions', () => {
  test('shows a reversal beside the decision it reverses, newest first', async () => {
    decisionsDoc('a.md', 'aaaa0001', 10, ['- PostgreSQL over SQLite — concurrent multi-user access needs row locks']);
    decisionsDoc('b.md', 'bbbb0002', 5, ['- Render markdown with markdown-it — CommonMark compliant']);
    decisionsDoc('c.md', 'cccc0003', 1, ['- Switch back to SQLite over PostgreSQL — single user, no server to run']);
    const rows = await listDecisions(await w.open());
    expect(rows.map((r) => r.decision)).toEqual([
      'Switch back to SQLite over PostgreSQL',
      'Render markdown with markdown-it',
      'PostgreSQL over SQLite',
    ]);
    expect(rows[0]).toMatchObject({
      rationale: 'single user, no server to run',
      handoffId: 'cccc0003',
      handoffName: 'c',
      path: 'c.md',
      related: [{ handoffId: 'aaaa0001', decision: 'PostgreSQL over SQLite', relation: 'reverses' }],
    });
    expect(rows[0]!.subject).toBe('postgresql sqlite');
    expect(rows[1]!.related).toEqual([]);
    expect(rows[2]).toMatchObject({ rationale: 'concurrent multi-user access needs row locks', related: [] });
  });

  test('a later decision on the same subject that keeps the choice revisits it', async () => {
    decisionsDoc('a.md', 'aaaa0001', 10, ['- PostgreSQL over SQLite — row locks']);
    decisionsDoc('b.md', 'bbbb0002', 1, [
      '- Use PostgreSQL instead of SQLite in tests too, because they must match production',
    ]);
    const [latest] = await listDecisions(await w.open());
    expect(latest).toMatchObject({
      decision: 'Use PostgreSQL instead of SQLite in tests too',
      rationale: 'they must match production',
      related: [{ handoffId: 'aaaa0001', relation: 'revisits' }],
    });
  });

  test('"drop X" reverses an earlier "use X"; one shared generic word links nothing', async () => {
    decisionsDoc('a.md', 'aaaa0001', 10, [
      '- Cache sessions with Redis — shared across pods',
      '- BUY decision logic on the Buyer tab',
    ]);
    decisionsDoc('b.md', 'bbbb0002', 1, [
      '- Drop Redis — sessions fit in the database',
      '- Root cause is a design decision, not a bug in logic',
    ]);
    const rows = await listDecisions(await w.open());
    const byText = (t: string) => rows.find((r) => r.decision.startsWith(t))!;
    expect(byText('Drop Redis').related).toMatchObject([
      { decision: 'Cache sessions with Redis', relation: 'reverses' },
    ]);
    expect(byText('Root cause').related).toEqual([]);
  });

  test('reversal words are data per language: German', async () => {
    decisionsDoc('a.md', 'aaaa0001', 10, ['- PostgreSQL statt SQLite — wegen Zeilensperren']);
    decisionsDoc('b.md', 'bbbb0002', 1, ['- Zurück zu SQLite, nicht mehr PostgreSQL — nur ein Nutzer']);
    const [latest] = await listDecisions(await w.open());
    expect(latest!.related).toMatchObject([{ handoffId: 'aaaa0001', relation: 'reverses' }]);
  });

  test('filters by query words (all, case-insensitive) and by project; skips expired unless all', async () => {
    decisionsDoc('a.md', 'aaaa0001', 10, ['- PostgreSQL over SQLite — row locks', '- Tabs over spaces — team habit']);
    decisionsDoc('b.md', 'bbbb0002', 5, ['- Switch back to SQLite — single user'], { expires: daysFromNow(-1) });
    decisionsDoc('c.md', 'cccc0003', 1, ['- Deploy with Fly.io — cheapest'], { project: 'other' });
    const ctx = await w.open();
    expect((await listDecisions(ctx, { query: 'ROW sqlite' })).map((r) => r.decision)).toEqual([
      'PostgreSQL over SQLite',
    ]);
    expect((await listDecisions(ctx, { query: 'sqlite' })).map((r) => r.handoffId)).toEqual(['aaaa0001']);
    expect((await listDecisions(ctx, { query: 'sqlite', all: true })).map((r) => r.handoffId)).toEqual([
      'bbbb0002',
      'aaaa0001',
    ]);
    expect((await listDecisions(ctx, { project: 'other' })).map((r) => r.decision)).toEqual(['Deploy with Fly.io']);
    expect(await listDecisions(ctx, { query: 'nothing-matches-this' })).toEqual([]);
  });

  test('a decision carried forward from handoff to handoff is listed once, under the first', async () => {
    decisionsDoc('a.md', 'aaaa0001', 10, ['- PostgreSQL over SQLite — row locks']);
    decisionsDoc('b.md', 'bbbb0002', 5, [
      '- PostgreSQL over SQLite — row locks',
      '- Cache with Redis — shared across pods',
    ]);
    const rows = await listDecisions(await w.open());
    expect(rows.map((r) => [r.decision, r.handoffId, r.occurrences])).toEqual([
      ['Cache with Redis', 'bbbb0002', 1],
      ['PostgreSQL over SQLite', 'aaaa0001', 2],
    ]);
  });

  test('reads real corpus decision sections: lists, tables, sub-headings with Decision/Rationale lines', async () => {
    const docs: Array<[string, number]> = [
      ['125.md', 4],
      ['161.md', 3],
      ['153.md', 2],
      ['081.md', 1],
      ['087.md', 5],
      ['046.md', 6],
    ];
    docs.forEach(([file, daysAgo], i) => {
      addCorpusDoc(w.storeDir, file, file, { id: `0000000${i}`, created: daysFromNow(-daysAgo), project: 'todo-api' });
    });
    const rows = await listDecisions(await w.open());
    const find = (start: string) => rows.find((r) => r.decision.startsWith(start));

    // 125: a `| Decision | Rationale |` table.
    expect(find('Edit `vscode.nix`, not the live `settings.json`')?.rationale).toBe(
      'settings.json is a read-only Nix store symlink',
    );
    // 161: a list; the why after a dash.
    expect(find('No file replacement on edit')?.rationale).toBe('delete + re-upload workflow instead');
    // 153: `### Decision N: topic` + `**Chosen Approach**:` + `**Rationale**:`.
    expect(find('Database Technology Choice: Option B - Raw sqlite3 with helper functions')?.rationale).toMatch(
      /^Explicit SQL visibility for audit trail/,
    );
    // 081: `**Decision:**` line and a `**Rationale:**` list.
    expect(find('Texture Resolution Strategy: Extract textures from .unitypackage to temp files')?.rationale).toMatch(
      /^GUID-to-filename resolution fails/,
    );
    // 087: table with a Rationale column.
    expect(find('DNS: Quad9')?.rationale).toBe('Malware blocking, Swiss jurisdiction, no account');

    // 046: `### Decisions made (and why)` nested inside a `## Part 1` section, bold leads.
    expect(find('Stacked PRs merged with merge-commits, not squash')?.rationale).toMatch(/^#37 \(agenda\) was stacked/);

    // Newest first by handoff date.
    const order = rows.map((r) => r.handoffId).filter((id, k, all) => all.indexOf(id) === k);
    expect(order).toEqual(['00000003', '00000002', '00000001', '00000000', '00000004', '00000005']);
    for (const r of rows) expect(corpus(r.path)).toBeTruthy();
  });
});

describe('extractDecisions', () => {
  test('a decision without a reason has a null rationale; an empty answer is no decision', () => {
    expect(extractDecisions('- Rust-only rewrite\n- None\n')).toEqual([
      { decision: 'Rust-only rewrite', rationale: null, oneLine: 'Rust-only rewrite' },
    ]);
  });

  test('a Why sub-item and a reason word are rationales; `A instead of B` keeps its alternative', () => {
    const d = extractDecisions(
      [
        '1. Keep the index in SQLite',
        '   - Why: FTS5 ships with it',
        '2. Load zod lazily since the CLI cold start matters',
        '3. `smithay` instead of `wlroots`',
        '',
        '### Use esbuild',
        '**Rationale:** one bundle, fast startup',
      ].join('\n'),
    );
    expect(d.map((x) => [x.decision, x.rationale])).toEqual([
      ['Keep the index in SQLite', 'FTS5 ships with it'],
      ['Load zod lazily', 'the CLI cold start matters'],
      ['`smithay`', 'instead of `wlroots`'],
      ['Use esbuild', 'one bundle, fast startup'],
    ]);
    expect(d[2]!.oneLine).toBe('`smithay` instead of `wlroots`');
  });
});
