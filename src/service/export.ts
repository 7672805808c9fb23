/**
 * `export`: every handoff of a store as JSON lines (one `HandoffJson` plus
 * `body` a line, the shape `retrieve --json` gives) or as one markdown bundle.
 */
import type { HandoffFilter } from '../store/types.js';
import type { HandoffContext } from './context.js';

/** Output formats of `export`. */
export type ExportFormat = 'jsonl' | 'md';

/**
 * Yields the export chunk by chunk (one handoff a chunk), newest first,
 * so a 100k store is never held in memory at once.
 * Files that cannot be read are skipped and reported through `onSkip`.
 */
export async function* exportHandoffs(
  ctx: HandoffContext,
  options: { format: ExportFormat; filter?: HandoffFilter; onSkip?: (path: string, reason: string) => void },
): AsyncGenerator<string> {
  await ctx.ready();
  const { parseHandoff } = await import('../format/parse.js');
  const { toHandoffJson } = await import('../format/render.js');
  const rows = ctx.index.list({ all: true, ...options.filter });
  if (options.format === 'md')
    yield `<!-- session-handoff export: ${rows.length} handoff(s) from ${ctx.store.location} -->\n`;
  for (const row of rows) {
    let text: string;
    try {
      text = await ctx.store.read(row.path);
    } catch (e) {
      options.onSkip?.(row.path, (e as Error).message);
      continue;
    }
    if (options.format === 'md') {
      yield `\n<!-- handoff id=${row.id} path=${row.path} -->\n${text}${text.endsWith('\n') ? '' : '\n'}<!-- /handoff -->\n`;
    } else {
      const parsed = parseHandoff(text, { path: row.path });
      const json = { ...toHandoffJson(parsed, { path: row.path }), id: row.id, created: row.created };
      yield `${JSON.stringify({ ...json, body: text.slice(parsed.frontMatterRaw.length) })}\n`;
    }
  }
}
