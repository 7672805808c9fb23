/**
 * `handoff draft` (design.md, "Capture"): a handoff document prefilled with
 * the facts a machine can collect, so the writer only adds the judgement.
 *
 * - Facts: git (branch, HEAD, commits and changed files since the previous
 *   handoff's commit), test results from `--tests CMD`, the agent's
 *   transcript (`--transcript`: files edited, commands and failures, the
 *   user's requests), and the previous handoff's open items (in progress,
 *   next steps, deferred, blocked) carried forward to confirm or drop.
 * - Judgement slots carry `<!-- handoff:fill: … -->` comments and
 *   `TODO(handoff): …` lines; `check`'s `placeholder` rule flags both, so an
 *   unfilled draft does not pass (on purpose).
 * - `auto: true` (hooks' automatic checkpoints, design.md "Resume and
 *   hooks"): facts only, no markers, `auto: true` and `expires` 7 days out.
 */
import { CANONICAL_SECTIONS } from '../format/constants.js';
import { isAbsolute, join, relative } from 'node:path';
import { resolvePaths } from '../config.js';
import { FORMAT_VERSION } from '../format/constants.js';
import { composeHandoff } from '../format/render.js';
import type {
  CanonicalSection,
  CarriedItem,
  DraftFacts,
  DraftResult,
  DraftTestFacts,
  WorkType,
} from '../format/schema.js';
import type { HandoffContext } from '../service/context.js';
import type { IndexedSection } from '../store/types.js';
import { digestTranscriptCached } from './digest-cache.js';
import { collectGitFacts } from './git.js';
import { runTestCommand } from './tests.js';

/** What `draftHandoff` takes (the `draft` command's flags). */
export interface DraftOptions {
  /** Picks the prompts and sections; default `implementation`. */
  workType?: WorkType;
  /** Test command to run through `sh -c` in the repository root (or cwd), e.g. `npm test`. */
  tests?: string;
  /** Path of the session transcript (Claude Code or Codex JSONL). */
  transcript?: string;
  name?: string;
  summary?: string;
  /** Automatic checkpoint: facts only, no fill markers, `auto: true`, `expires` in 7 days. */
  auto?: boolean;
  /** Clock for `expires` (tests). Default now. */
  now?: Date;
}

// The result shapes are declared once, as zod schemas in src/format/schema.ts
// (`DraftResultSchema`, the output of `handoff_draft`); type-only import.
export type { CarriedItem, DraftFacts, DraftResult, DraftTestFacts };

/** Automatic checkpoints expire after this long (design.md, "Resume and hooks"). */
export const CHECKPOINT_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Marker of a judgement slot; `check`'s `placeholder` rule flags it. */
export const FILL_MARKER = 'handoff:fill:';
/** Prefix of a line the writer must replace; `check`'s `placeholder` rule flags it. */
export const TODO_MARKER = 'TODO(handoff):';

const MAX_COMMITS_SHOWN = 20;
const MAX_FILES_SHOWN = 30;
const MAX_REQUESTS_SHOWN = 10;
const MAX_FAILED_COMMANDS_SHOWN = 10;
const MAX_CARRIED_PER_SECTION = 15;
const MAX_ITEM_CHARS = 300;

/**
 * Collects the facts and writes the draft.
 * @throws InvalidInputError when `transcript` does not exist; UsageError for an empty `tests` command.
 * @example
 * const { text, facts } = await draftHandoff(ctx, { workType: 'testing', tests: 'npm test' });
 */
export async function draftHandoff(ctx: HandoffContext, options: DraftOptions = {}): Promise<DraftResult> {
  await ctx.ready();
  const previousRow =
    ctx.index.list({ ...(ctx.project ? { project: ctx.project } : {}), includeAuto: false, limit: 1 })[0] ?? null;
  const previousSections = previousRow ? ctx.index.sections(previousRow.path) : [];

  const transcriptPath = options.transcript
    ? isAbsolute(options.transcript)
      ? options.transcript
      : join(ctx.cwd, options.transcript)
    : null;
  const [git, tests, transcript] = await Promise.all([
    collectGitFacts(ctx.cwd, previousRow?.commit ? { sinceCommit: previousRow.commit } : {}),
    options.tests ? runTests(options.tests, ctx.repoRoot ?? ctx.cwd) : Promise.resolve(null),
    transcriptPath ? digestTranscriptCached(transcriptPath, resolvePaths(ctx.env).cache) : Promise.resolve(null),
  ]);

  const facts: DraftFacts = {
    git,
    tests,
    transcript,
    previous: previousRow ? { id: previousRow.id, key: previousRow.path } : null,
    carried: carryOpenItems(previousSections),
  };
  const workType = options.workType ?? 'implementation';
  const auto = options.auto === true;
  const now = options.now ?? new Date();
  const body = renderBody(facts, workType, auto, previousRow?.summary ?? null);
  const frontMatter: Record<string, unknown> = {
    handoff: FORMAT_VERSION,
    name: options.name,
    project: ctx.project ?? undefined,
    summary: options.summary ?? (auto ? autoSummary(facts) : undefined),
    expires: auto ? isoSeconds(new Date(now.getTime() + CHECKPOINT_TTL_MS)) : undefined,
    work_type: workType,
    agent: transcript?.format === 'claude-code' ? 'claude-code' : transcript?.format === 'codex' ? 'codex' : undefined,
    git: git ? { branch: git.branch, ...(git.head ? { commit: git.head } : {}), dirty: git.dirty } : undefined,
    parent: previousRow?.id,
    auto: auto ? true : undefined,
  };
  return { text: composeHandoff(frontMatter, body), facts };
}

async function runTests(command: string, cwd: string): Promise<DraftTestFacts> {
  const r = await runTestCommand(command, cwd);
  const lines = r.output.replace(/\s+$/, '').split('\n').slice(-20).join('\n');
  return {
    command,
    exitCode: r.exitCode,
    timedOut: r.timedOut,
    durationMs: r.durationMs,
    summary: r.summary,
    outputTail: lines.length > 2000 ? lines.slice(-2000) : lines,
  };
}

// ---------------------------------------------------------------- carried items

const CARRIED_SECTIONS: ReadonlyArray<CarriedItem['section']> = ['in_progress', 'next_steps', 'deferred', 'blocked'];

/** Open items of the previous handoff's in-progress, next-steps, deferred and blocked sections. */
export function carryOpenItems(sections: IndexedSection[]): CarriedItem[] {
  const out: CarriedItem[] = [];
  for (const name of CARRIED_SECTIONS) {
    const items: string[] = [];
    for (const s of sections) {
      if (s.canonical === name) items.push(...openItems(s.text));
    }
    for (const text of [...new Set(items)].slice(0, MAX_CARRIED_PER_SECTION)) out.push({ section: name, text });
  }
  return out;
}

const LIST_ITEM = /^(\s*)(?:[-*+•]|\d+[.)])\s+(?:\[([ xX~/-])\]\s*)?(.*)$/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const HEADING_LINE = /^\s{0,3}#{1,6}\s/;
const EMPTY_ITEM = /^(?:none|n\/a|na|nothing|-|—|–|tbd|\(none\)|keine|aucun|ninguno|なし|无|없음)\.?$/i;

/**
 * The open items of one section's text, one string each: list items
 * (continuation and nested lines joined; checked `[x]` items are done and
 * dropped), table rows (cells joined with " — ", header skipped), and
 * paragraphs. Labels ending in ":", unfilled `TODO(handoff)` lines and
 * "None" answers are dropped; a `(carried from …)` prefix is removed so
 * items do not pile up prefixes from handoff to handoff.
 */
export function openItems(text: string): string[] {
  const lines = text.replace(/<!--[\s\S]*?-->/g, '').split(/\r?\n/);
  let indent = Number.POSITIVE_INFINITY;
  for (const l of lines) {
    const m = LIST_ITEM.exec(l);
    if (m) indent = Math.min(indent, m[1]!.replace(/\t/g, '    ').length);
  }
  const items: Array<{ text: string; done: boolean; kind: 'list' | 'paragraph' | 'table' }> = [];
  let current: (typeof items)[number] | null = null;
  let blank = false;
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(raw);
    if (fence !== null || fenceMatch) {
      // Code is detail, not an item; the fence closes on the same marker.
      if (fence === null) fence = fenceMatch![1]!;
      else if (fenceMatch && fenceMatch[1]!.startsWith(fence)) fence = null;
      continue;
    }
    if (raw.trim() === '') {
      blank = true;
      continue;
    }
    if (HEADING_LINE.test(raw)) {
      current = null;
      blank = false;
      continue;
    }
    if (TABLE_ROW.test(raw)) {
      current = null;
      blank = false;
      if (TABLE_SEPARATOR.test(raw) || TABLE_SEPARATOR.test(lines[i + 1] ?? '')) continue;
      const cells = raw
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim())
        .filter((c) => c !== '');
      items.push({ text: cells.join(' — '), done: false, kind: 'table' });
      continue;
    }
    const m = LIST_ITEM.exec(raw);
    if (m && m[1]!.replace(/\t/g, '    ').length <= indent) {
      current = { text: m[3]!.trim(), done: m[2] === 'x' || m[2] === 'X', kind: 'list' };
      items.push(current);
    } else if (current && (!blank || /^\s/.test(raw))) {
      current.text += ` ${(m ? m[3]! : raw).trim()}`;
    } else {
      current = { text: raw.trim(), done: false, kind: 'paragraph' };
      items.push(current);
    }
    blank = false;
  }
  return items
    .filter((i) => !i.done && !(i.kind === 'paragraph' && /[:：]$/.test(i.text.trim())))
    .map((i) =>
      i.text
        .replace(/^\(carried from [0-9a-f]{8}\)\s*/, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((t) => t !== '' && !t.includes(TODO_MARKER) && !EMPTY_ITEM.test(t))
    .map((t) =>
      Array.from(t).length > MAX_ITEM_CHARS
        ? `${Array.from(t)
            .slice(0, MAX_ITEM_CHARS - 1)
            .join('')}…`
        : t,
    );
}

// ---------------------------------------------------------------- rendering

type DraftSection = Extract<
  CanonicalSection,
  | 'context'
  | 'accomplished'
  | 'decisions'
  | 'in_progress'
  | 'deferred'
  | 'blocked'
  | 'next_steps'
  | 'gotchas'
  | 'files'
  | 'metrics'
  | 'environment'
>;

const HEADINGS: Record<DraftSection, string> = {
  context: 'Context',
  accomplished: 'Accomplished',
  decisions: 'Decisions',
  in_progress: 'In Progress',
  deferred: 'Deferred',
  blocked: 'Blocked',
  next_steps: 'Next Steps',
  gotchas: 'Gotchas',
  files: 'Files of Note',
  metrics: 'Metrics',
  environment: 'Environment',
};

/** Canonical order (design.md); Lessons Learned is left to the writer. */
const ORDER = CANONICAL_SECTIONS.filter((s): s is DraftSection => s !== 'lessons');

/**
 * Sections every template has: the union of the `five-field`, `six-section`
 * and `package` profiles, so a filled draft passes whichever one is configured.
 */
const CORE = ORDER.filter((s) => s !== 'metrics' && s !== 'environment');

/** Per work type: extra sections (beyond CORE) and the prompt of each judgement slot. */
interface Template {
  extra: DraftSection[];
  prompts: Record<DraftSection, string>;
}

const BASE_PROMPTS: Record<DraftSection, string> = {
  context: 'the goal of this work in one or two sentences: what is being built, for whom, and where it stands',
  accomplished: 'what now works, as outcomes (one bullet per result); the commits below are the raw material',
  decisions: 'each decision on one line: what was chosen — why, and over which alternative',
  in_progress:
    'what is half-done: name the file, function or endpoint, and say which part works and which does not yet',
  deferred: 'what was put off on purpose, and why it can wait',
  blocked: 'what cannot go on until something outside changes, and who or what it waits on (or "None")',
  next_steps:
    'next step 1: one imperative sentence naming a concrete target (file, command, test, endpoint); then the rest in order',
  gotchas: 'traps the next session would fall into: surprising behaviour, commands that fail and why',
  files: 'the files the next session should read first, and why each matters; drop the ones that do not',
  metrics: 'quantities that show where things stand: tests passing, counts, timings',
  environment: 'environments touched and their state: versions deployed, config changed, how to roll back',
};

const TEMPLATES: Record<WorkType, Template> = {
  implementation: { extra: ['metrics'], prompts: BASE_PROMPTS },
  testing: {
    extra: ['metrics'],
    prompts: {
      ...BASE_PROMPTS,
      context: 'what is under test and why now: the feature, the bug, or the coverage gap',
      accomplished: 'tests added or fixed, and what they now prove',
      in_progress: 'tests half-written or failing: name the test file and case, and what it still gets wrong',
      gotchas: 'flaky tests (name them, how often they fail, the suspected cause) and fixtures or setup that surprise',
      metrics: 'pass rate, failing tests by name, flaky tests, coverage before and after (tool and number)',
    },
  },
  documentation: {
    extra: [],
    prompts: {
      ...BASE_PROMPTS,
      context: 'which documents, for which readers, and what they need to be able to do after reading',
      accomplished: 'pages written or revised, and what each now covers',
      in_progress: 'pages half-written: name the file and the sections still missing',
      gotchas: 'doc build quirks, generated files not to edit by hand, examples that must stay in sync with code',
    },
  },
  quality: {
    extra: ['metrics'],
    prompts: {
      ...BASE_PROMPTS,
      context: 'what is being improved (lint, types, performance, refactor) and the target',
      accomplished: 'what was cleaned up or made faster, with before/after numbers',
      in_progress: 'the refactor or fix half-done: name the module and what still uses the old way',
      metrics: 'before/after: lint warnings, type errors, benchmark timings, bundle size, complexity',
    },
  },
  infrastructure: {
    extra: ['metrics', 'environment'],
    prompts: {
      ...BASE_PROMPTS,
      context: 'which systems and environments this touches (dev, staging, production) and the goal',
      accomplished: 'what was provisioned, changed or deployed, and where',
      in_progress: 'changes applied to some environments but not others: name each environment and its state',
      blocked: 'access, approvals or upstream changes this waits on (or "None")',
      gotchas: 'what breaks if done in the wrong order, manual steps, and how to roll back each change',
      metrics: 'deploy state per environment, error rates, latency, costs',
    },
  },
  planning: {
    extra: [],
    prompts: {
      ...BASE_PROMPTS,
      context: 'the problem being planned for, its constraints, and who decides',
      accomplished: 'what was settled: requirements agreed, designs written, questions answered',
      decisions: 'options considered and the chosen direction: what was chosen — why, and why not the others',
      in_progress: 'open questions still being worked out: name the document or section',
      next_steps:
        'next step 1: one imperative sentence naming the first concrete deliverable (document, spike, ticket)',
    },
  },
};

/** One-line summary of an automatic checkpoint. */
function autoSummary(f: DraftFacts): string {
  const parts: string[] = [];
  if (f.git) {
    if (f.git.sinceFound) parts.push(plural(f.git.commitsTotal, 'commit'));
    parts.push(`${plural(f.git.files.length, 'file')} changed`);
  }
  if (f.transcript) {
    const failed = f.transcript.commands.filter((c) => c.failed).length;
    parts.push(`${plural(f.transcript.commands.length, 'command')}${failed ? ` (${failed} failed)` : ''}`);
  }
  if (f.tests?.summary) parts.push(`tests ${f.tests.summary.passed} passed, ${f.tests.summary.failed} failed`);
  const where = f.git ? ` on ${f.git.branch}` : '';
  return `Automatic checkpoint${where}: ${parts.join(', ') || 'no changes recorded'}`;
}

function renderBody(f: DraftFacts, workType: WorkType, auto: boolean, previousSummary: string | null): string {
  const template = TEMPLATES[workType];
  const fill = (s: DraftSection) => (auto ? [] : [`<!-- ${FILL_MARKER} ${template.prompts[s]} -->`]);
  const prevId = f.previous?.id ?? '';
  const carried = (section: CarriedItem['section']) =>
    f.carried
      .filter((c) => c.section === section)
      .map((c) =>
        auto
          ? `- [ ] (carried from ${prevId}) ${inline(c.text)}`
          : `- [ ] (carried from ${prevId}) ${inline(c.text)}  <!-- confirm or drop -->`,
      );

  const facts: Record<DraftSection, string[]> = {
    context: contextFacts(f, previousSummary),
    accomplished: commitFacts(f),
    decisions: [],
    in_progress: [...uncommittedFacts(f), ...carried('in_progress')],
    deferred: carried('deferred'),
    blocked: [...failingTestFacts(f, auto), ...carried('blocked')],
    next_steps: carried('next_steps'),
    gotchas: failedCommandFacts(f),
    files: fileFacts(f),
    metrics: metricFacts(f),
    environment: [],
  };
  const todos: Partial<Record<DraftSection, string[]>> = auto
    ? {}
    : {
        decisions: [`- ${TODO_MARKER} <what was decided> — <why, over which alternative>`],
        in_progress: [`- ${TODO_MARKER} <file or component> — <what works, what does not yet>`],
        next_steps: [`1. ${TODO_MARKER} <imperative sentence naming a file, command or test>`],
      };

  const wanted = new Set<DraftSection>([...CORE, ...template.extra]);
  // A test run gets a Metrics section whatever the work type; a checkpoint keeps every fact it has.
  if (f.tests || (auto && facts.metrics.length > 0)) wanted.add('metrics');
  const blocks: string[] = [];
  for (const s of ORDER) {
    if (!wanted.has(s)) continue;
    // Judgement first, then facts, so next step 1 is the TODO line and carried items follow it.
    const lines = [...(todos[s] ?? []), ...facts[s]];
    if (auto && lines.length === 0) continue;
    blocks.push([`## ${HEADINGS[s]}`, ...fill(s), ...lines].join('\n'));
  }
  if (auto && blocks.length === 0)
    blocks.push('## Context\n- Automatic checkpoint: nothing recorded since the last handoff.');
  return `${blocks.join('\n\n')}\n`;
}

function contextFacts(f: DraftFacts, previousSummary: string | null): string[] {
  const out: string[] = [];
  const requests = f.transcript?.userRequests ?? [];
  const shown =
    requests.length > MAX_REQUESTS_SHOWN
      ? [...requests.slice(0, MAX_REQUESTS_SHOWN / 2), ...requests.slice(-MAX_REQUESTS_SHOWN / 2)]
      : requests;
  shown.forEach((r, i) => {
    if (i === MAX_REQUESTS_SHOWN / 2 && requests.length > MAX_REQUESTS_SHOWN) {
      out.push(`- … ${requests.length - MAX_REQUESTS_SHOWN} more requests`);
    }
    out.push(`- Requested: "${inline(r)}"`);
  });
  if (f.git) {
    const g = f.git;
    const where = g.detached
      ? `detached HEAD at ${code(short(g.head))}`
      : `branch ${code(g.branch)}${g.head ? ` at ${code(short(g.head))}` : ' (no commits yet)'}`;
    const upstream = g.upstream ? `, ${g.ahead} ahead / ${g.behind} behind ${code(g.upstream)}` : '';
    out.push(
      `- Git: ${where}${upstream}${g.dirty ? `, ${plural(g.uncommitted.length, 'uncommitted file')}` : ', clean'}`,
    );
  }
  if (f.previous) {
    out.push(`- Previous handoff: ${f.previous.id}${previousSummary ? ` — ${inline(previousSummary)}` : ''}`);
  }
  return out;
}

function commitFacts(f: DraftFacts): string[] {
  const g = f.git;
  if (!g || g.commits.length === 0) return [];
  const out: string[] = [];
  if (!g.sinceFound && g.sinceCommit) {
    out.push(
      `- The previous handoff's commit ${code(short(g.sinceCommit))} is not in this repository (rebased away?); the last ${g.commits.length} commits:`,
    );
  } else if (!g.sinceFound) {
    out.push(`- No earlier handoff commit to compare with; the last ${g.commits.length} commits:`);
  }
  for (const c of g.commits.slice(0, MAX_COMMITS_SHOWN)) out.push(`- ${code(short(c.hash))} ${inline(c.subject)}`);
  const more = (g.sinceFound ? g.commitsTotal : g.commits.length) - Math.min(g.commits.length, MAX_COMMITS_SHOWN);
  if (more > 0) {
    out.push(`- … and ${plural(more, 'more commit')} (${code(`git log ${short(g.sinceCommit ?? '')}..HEAD`)})`);
  }
  return out;
}

function uncommittedFacts(f: DraftFacts): string[] {
  const files = f.git?.uncommitted ?? [];
  if (files.length === 0) return [];
  const names = files.slice(0, 10).map((u) => `${code(u.path)}${u.status === '??' ? ' (new)' : ''}`);
  const more = files.length > 10 ? ` and ${files.length - 10} more` : '';
  return [`- Uncommitted changes: ${names.join(', ')}${more}`];
}

function failingTestFacts(f: DraftFacts, auto: boolean): string[] {
  const s = f.tests?.summary;
  if (!s || s.failed === 0) return [];
  const names = s.failures.slice(0, 5).map((n) => code(n));
  const line = `- [ ] ${plural(s.failed, 'failing test')}${names.length ? `: ${names.join(', ')}` : ''}`;
  return [auto ? line : `${line}  <!-- blocked? confirm or drop -->`];
}

function failedCommandFacts(f: DraftFacts): string[] {
  const commands = f.transcript?.commands ?? [];
  const byText = new Map<string, { failures: number; passedLater: boolean }>();
  for (const c of commands) {
    const entry = byText.get(c.command);
    if (c.failed) {
      if (entry) {
        entry.failures++;
        entry.passedLater = false;
      } else byText.set(c.command, { failures: 1, passedLater: false });
    } else if (entry) entry.passedLater = true;
  }
  const out: string[] = [];
  for (const [command, e] of byText) {
    if (out.length === MAX_FAILED_COMMANDS_SHOWN) {
      out.push(`- … and ${byText.size - MAX_FAILED_COMMANDS_SHOWN} more failed commands`);
      break;
    }
    const times = e.failures > 1 ? ` ${e.failures} times` : '';
    out.push(`- ${code(oneLine(command, 120))} failed${times}${e.passedLater ? ', then passed' : ''}`);
  }
  return out;
}

function fileFacts(f: DraftFacts): string[] {
  const out: string[] = [];
  const git = f.git;
  const inGit = new Set<string>();
  for (const file of git?.files ?? []) inGit.add(file.path);
  for (const file of (git?.files ?? []).slice(0, MAX_FILES_SHOWN)) {
    const counts = file.added === null ? 'binary' : `+${file.added} −${file.removed}`;
    const name = file.from ? `${code(file.from)} → ${code(file.path)}` : code(file.path);
    out.push(`- ${name} (${counts})`);
  }
  const total = git?.files.length ?? 0;
  if (total > MAX_FILES_SHOWN) out.push(`- … and ${plural(total - MAX_FILES_SHOWN, 'more file')}`);
  // Edited in the session but not among git's changes: committed before the previous handoff, or outside the repository.
  const extra: string[] = [];
  for (const p of f.transcript?.filesEdited ?? []) {
    const rel = git ? repoRelative(p, f.transcript?.cwd ?? null, git.root) : p;
    if (!inGit.has(rel) && !git?.uncommitted.some((u) => u.path === rel)) extra.push(rel);
  }
  for (const p of extra.slice(0, 10)) out.push(`- ${code(p)} (edited this session)`);
  if (extra.length > 10) out.push(`- … and ${extra.length - 10} more files edited this session`);
  return out;
}

function metricFacts(f: DraftFacts): string[] {
  const out: string[] = [];
  const t = f.tests;
  if (t) {
    const s = t.summary;
    if (s) {
      const run = s.passed + s.failed;
      const rate = run > 0 ? ` (${Math.round((s.passed / run) * 1000) / 10}% passing)` : '';
      const unit = s.unit === 'packages' ? 'packages' : 'tests';
      out.push(
        `- ${capitalise(unit)} (${code(t.command)}, ${s.runner}): ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped${rate}; exit code ${t.exitCode}`,
      );
      for (const name of s.failures.slice(0, 10)) out.push(`  - failing: ${code(name)}`);
    } else {
      out.push(
        `- Tests (${code(t.command)}): ${t.timedOut ? 'timed out' : `exit code ${t.exitCode}`}, no summary recognised`,
      );
    }
  }
  const g = f.git;
  if (g && (g.commits.length > 0 || g.files.length > 0)) {
    let added = 0;
    let removed = 0;
    for (const file of g.files) {
      added += file.added ?? 0;
      removed += file.removed ?? 0;
    }
    const commits = g.sinceFound ? `${plural(g.commitsTotal, 'commit')} since the previous handoff, ` : '';
    out.push(`- Git: ${commits}${plural(g.files.length, 'file')} changed (+${added} −${removed})`);
  }
  const d = f.transcript;
  if (d && d.commands.length > 0) {
    const failed = d.commands.filter((c) => c.failed).length;
    out.push(
      `- Session: ${plural(d.commands.length, 'command')} run (${failed} failed), ${plural(d.filesEdited.length, 'file')} edited`,
    );
  }
  return out;
}

// ---------------------------------------------------------------- helpers

function repoRelative(path: string, cwd: string | null, root: string): string {
  const abs = isAbsolute(path) ? path : cwd ? join(cwd, path) : null;
  if (!abs) return path;
  const rel = relative(root, abs);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel.split('\\').join('/');
}

function short(hash: string | null): string {
  return (hash ?? '').slice(0, 7);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

function oneLine(text: string, max: number): string {
  const first = text.split('\n')[0]!.trim();
  const cut = first.length > max ? `${first.slice(0, max - 1)}…` : first;
  return cut !== text.trim() && !cut.endsWith('…') ? `${cut} …` : cut;
}

/**
 * Text from the transcript or the previous handoff, made safe for one
 * markdown line: no comment delimiters (they would end our markers early).
 */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/<!--/g, '<!‐‐').replace(/-->/g, '‐‐>').trim();
}

/** A code span that survives backticks inside `text`. */
function code(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\s+/g, ' ')}${pad}${fence}`;
}
