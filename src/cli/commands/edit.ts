/**
 * `handoff edit ID`: opens the handoff's file in `$VISUAL`/`$EDITOR`, then
 * validates it again. An edit that breaks the front matter is not kept: the
 * original is restored and the edited text saved next to the temp dir, so
 * nothing stored is damaged and nothing typed is lost.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePaths } from '../../config.js';
import { HandoffError, UsageError } from '../../errors.js';
import { retrieveHandoff } from '../../service/handoffs.js';
import { withContext } from '../_shared.js';
import type { CommandRun } from '../types.js';

export const run: CommandRun = async (io, args) =>
  withContext(io, async (ctx) => {
    if (ctx.store.location.startsWith('memory:')) throw new UsageError('edit works on file stores only');
    const h = await retrieveHandoff(ctx, { id: args[0] ?? '', all: true });
    const file = join(ctx.store.location, h.summary.path);
    const original = readFileSync(file);
    const editor = io.env.VISUAL || io.env.EDITOR || 'vi';
    const r = spawnSync(`${editor} "$1"`, ['sh', file], { stdio: 'inherit', shell: true, env: io.env });
    if (r.status !== 0)
      throw new HandoffError(
        'io',
        `editor '${editor}' exited with ${r.status ?? r.signal}; file left as the editor saved it`,
      );
    const edited = readFileSync(file, 'utf8');
    const { parseHandoff } = await import('../../format/parse.js');
    const { validateFrontMatter } = await import('../../format/validate.js');
    try {
      const parsed = parseHandoff(edited, { path: file });
      if (parsed.frontMatterRaw) await validateFrontMatter(parsed.data, file);
      const st = statSync(file);
      ctx.index.noteWritten({ key: h.summary.path, mtimeMs: st.mtimeMs, size: st.size }, edited, parsed);
    } catch (e) {
      const keep = join(mkdtempSync(join(tmpdir(), 'handoff-edit-')), h.summary.path);
      writeFileSync(keep, edited);
      writeFileSync(file, original);
      throw new HandoffError('front-matter', `${(e as Error).message}; original restored, your edit saved at ${keep}`, {
        cause: e,
      });
    }
    const { checkHandoff } = await import('../../quality/check.js');
    const result = await checkHandoff(
      { text: edited, path: file },
      {
        profile: ctx.config.profile,
        rules: ctx.config.rules,
        lengthBudget: ctx.config.length_budget,
        repoRoot: ctx.repoRoot,
        cacheDir: resolvePaths(io.env).cache,
      },
    );
    for (const f of result.findings)
      io.err(`${f.severity}: ${h.summary.path}${f.line ? `:${f.line}` : ''}: ${f.rule}: ${f.message}`);
    io.out(`Saved ${h.summary.id}; score ${result.score}/100.\n`);
    return 0;
  });
