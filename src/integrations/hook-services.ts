/**
 * The real modules behind `HookServices` (hook.ts), each imported on first
 * use so that a hook pays only for what its event needs: SessionStart loads
 * the index and resume, never the drafter, the tokenizer or zod unless resume
 * itself needs them.
 */
import { gitOutput } from '../_git.js';
import { resolvePaths } from '../config.js';
import type { HookServices } from './hook.js';

/** Wires `HookServices` to the library modules. */
export function defaultHookServices(): HookServices {
  return {
    async openContext(options) {
      const { openContext } = await import('../service/open-context.js');
      return openContext({ cwd: options.cwd, env: options.env });
    },
    async buildResume(ctx, options) {
      const { buildResume } = await import('../resume/resume.js');
      return buildResume(ctx, options);
    },
    async draftHandoff(ctx, options) {
      const { draftHandoff } = await import('../capture/draft.js');
      return draftHandoff(ctx, options);
    },
    async storeHandoff(ctx, input) {
      const { storeHandoff } = await import('../service/store.js');
      return storeHandoff(ctx, input);
    },
    async listHandoffs(ctx, filter) {
      const { listHandoffs } = await import('../service/handoffs.js');
      return listHandoffs(ctx, filter);
    },
    async readHandoff(ctx, row) {
      return ctx.store.read(row.path);
    },
    async checkHandoff(input, options) {
      const { checkHandoff } = await import('../quality/check.js');
      return checkHandoff(input, options);
    },
    async digestTranscript(path, env, fromOffset) {
      if (fromOffset !== undefined) {
        // Only the tail since a known point (the handoff stored this session): no cache needed.
        const { digestTranscript } = await import('../capture/transcript.js');
        const tail = await digestTranscript(path, { fromOffset });
        return { filesEdited: tail.filesEdited.length, commands: tail.commands.length };
      }
      const { digestTranscriptCached } = await import('../capture/digest-cache.js');
      const digest = await digestTranscriptCached(path, resolvePaths(env).cache);
      return { filesEdited: digest.filesEdited.length, commands: digest.commands.length };
    },
    async countCommitsSince(repoRoot, sinceIso) {
      const out = await gitOutput(['rev-list', '--count', `--since=${sinceIso}`, 'HEAD'], repoRoot);
      const n = out === null ? 0 : Number.parseInt(out, 10);
      return Number.isFinite(n) ? n : 0;
    },
  };
}
