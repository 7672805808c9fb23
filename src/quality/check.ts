/**
 * `checkHandoff`: runs the quality rules of `rules.ts` over one handoff and
 * scores it (design.md, "Quality rules (`check`)" and "Decisions" >
 * "Quality": 100 minus documented weights per finding, floored at 0).
 *
 * Score = 100 − Σ over rules of `weight × min(findings, counted)`, floored
 * at 0. A rule re-graded in `options.rules` costs its new severity's
 * default weight (`SEVERITY_WEIGHTS`: error 20, warning 5, info 1) per
 * counted finding; a rule set to `off` does not run.
 */
import { UsageError } from '../errors.js';
import type { CheckResult, Finding } from '../format/schema.js';
import type { ParsedHandoff } from '../format/types.js';
import { createRuleContext, PROFILES, RULES, type Rule, SEVERITY_WEIGHTS, type Severity } from './rules.js';

// Declared once, as zod schemas in src/format/schema.ts (type-only: no zod at runtime).
export type { CheckResult, Finding };

/** Options of {@link checkHandoff}; every field optional. */
export interface CheckOptions {
  /** Required-sections profile: `five-field` (default), `six-section`, `package`, `full`. */
  profile?: string;
  /** Per-rule severity override or `off`, e.g. `{ metrics: 'off', vague: 'warning' }`. */
  rules?: Record<string, Severity | 'off'>;
  /** `length` budget in tokens (default 3000). */
  lengthBudget?: number;
  /** Repository the handoff was written in (for `stale-reference`); null or absent skips that rule. */
  repoRoot?: string | null;
  /**
   * Handoff cache directory (`resolvePaths(env).cache`): when set, `length`
   * keeps token counts under `<cacheDir>/tokens/` (see `countTokensCached`),
   * so checking the same body again does not load the tokenizer.
   */
  cacheDir?: string;
}

/** Input of {@link checkHandoff}: the file's text, optionally its path and an already parsed form. */
export interface CheckInput {
  text: string;
  /** File path, for YAML detection and resolving relative links; also named in front matter errors. */
  path?: string;
  /** `parseHandoff(text, {path})`, when the caller has it already. */
  parsed?: ParsedHandoff;
}

/** Default profile (config `profile`). */
export const DEFAULT_PROFILE = 'five-field';
/** Default `length` budget in tokens (design.md: "length warns above 3,000 tokens by default"). */
export const DEFAULT_LENGTH_BUDGET = 3000;

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);

/**
 * Checks a handoff against the quality rules and scores it.
 *
 * @returns score 0-100, counts per severity, findings with fix-it messages and lines.
 * @throws UsageError for an unknown profile, rule id or severity in `options`.
 * @throws FrontMatterError when `input.text` has invalid YAML front matter (from `parseHandoff`).
 * @example
 *   const r = await checkHandoff({ text }, { profile: 'six-section', rules: { metrics: 'off' } });
 *   if (r.errors > 0) process.exitCode = 1; // the CLI's job
 */
export async function checkHandoff(input: CheckInput, options: CheckOptions = {}): Promise<CheckResult> {
  const profile = options.profile ?? DEFAULT_PROFILE;
  if (!(profile in PROFILES)) {
    throw new UsageError(`unknown profile "${profile}": use one of ${Object.keys(PROFILES).join(', ')}`);
  }
  const overrides = options.rules ?? {};
  for (const [id, setting] of Object.entries(overrides)) {
    if (!RULES.some((r) => r.id === id)) {
      throw new UsageError(`unknown rule "${id}" in rules: known rules are ${RULES.map((r) => r.id).join(', ')}`);
    }
    if (!SEVERITIES.has(setting)) {
      throw new UsageError(`rule "${id}" set to "${setting}": use error, warning, info or off`);
    }
  }
  const lengthBudget = options.lengthBudget ?? DEFAULT_LENGTH_BUDGET;
  if (!Number.isFinite(lengthBudget) || lengthBudget <= 0) {
    throw new UsageError(`length budget must be a positive number of tokens, got ${lengthBudget}`);
  }

  let doc = input.parsed;
  if (!doc) {
    const { parseHandoff } = await import('../format/parse.js');
    doc = parseHandoff(input.text, input.path === undefined ? {} : { path: input.path });
  }
  const ctx = createRuleContext({
    text: input.text,
    doc,
    path: input.path ?? null,
    profile,
    lengthBudget,
    repoRoot: options.repoRoot ?? null,
    cacheDir: options.cacheDir ?? null,
  });

  const active: Array<{ rule: Rule; severity: Severity; weight: number }> = [];
  for (const rule of RULES) {
    const setting = overrides[rule.id];
    if (setting === 'off') continue;
    const severity = setting ?? rule.severity;
    const weight = severity === rule.severity ? rule.weight : SEVERITY_WEIGHTS[severity];
    active.push({ rule, severity, weight });
  }
  const results = await Promise.all(active.map(({ rule }) => rule.run(ctx)));

  const findings: Array<Finding & { order: number }> = [];
  let penalty = 0;
  results.forEach((found, i) => {
    const { rule, severity, weight } = active[i]!;
    penalty += weight * Math.min(found.length, rule.counted);
    for (const f of found) findings.push({ rule: rule.id, severity, message: f.message, line: f.line, order: i });
  });
  findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.order - b.order);

  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    score: Math.max(0, Math.round(100 - penalty)),
    profile,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    findings: findings.map(({ order: _, ...f }) => f),
  };
}
