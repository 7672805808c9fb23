/**
 * session-handoff: the public library API. Everything the CLI and the MCP
 * server do is available here as functions that take data and return data;
 * nothing here prints or exits.
 *
 * @example
 * import { openContext, storeHandoff, listHandoffs } from 'session-handoff';
 * const ctx = await openContext({ cwd: process.cwd() });
 * try {
 *   const { id } = await storeHandoff(ctx, { content: '## Next Steps\n1. Run `npm test`\n', name: 'demo' });
 *   console.log(id, await listHandoffs(ctx));
 * } finally {
 *   ctx.close();
 * }
 */
export * from './errors.js';
export type * from './format/schema.js';
export type * from './format/types.js';
export type * from './store/types.js';
export type { ContextOptions, HandoffContext } from './service/context.js';
export { CANONICAL_SECTIONS, WORK_TYPES } from './format/constants.js';
export { loadConfig, resolvePaths, DEFAULT_CONFIG, type HandoffConfig } from './config.js';
export { parseHandoff } from './format/parse.js';
export { renderHandoff, toHandoffJson } from './format/render.js';
export { canonicalSection } from './format/sections.js';
export { openContext } from './service/open-context.js';
export { storeHandoff, type StoreInput, type StoreResult } from './service/store.js';
export {
  readHandoff,
  retrieveHandoff,
  listHandoffs,
  searchHandoffs,
  gcHandoffs,
  removeHandoff,
  type RetrieveQuery,
  type RetrievedHandoff,
  type ReadHandoff,
} from './service/handoffs.js';
export { importHandoffs, type ImportOptions, type ImportReport } from './service/import.js';
export { exportHandoffs, type ExportFormat } from './service/export.js';
export { createFileStore } from './store/file-store.js';
export { createMemoryStore } from './store/memory-store.js';
export { openIndex } from './store/index-db.js';
export { checkHandoff } from './quality/check.js';
export { findSecrets, redactSecrets } from './quality/secrets.js';
export { countTokens } from './quality/tokens.js';
export { draftHandoff } from './capture/draft.js';
export { digestTranscript } from './capture/transcript.js';
export { parseTestOutput } from './capture/tests.js';
export { collectGitFacts } from './capture/git.js';
export { buildResume } from './resume/resume.js';
export { listDecisions } from './resume/decisions.js';
