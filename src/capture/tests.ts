/**
 * Test results for `draft --tests CMD` (design.md, "Capture": "pass/fail
 * counts parsed from common runners"). Parsing is a pure function over the
 * runner's console output; running the command is separate.
 *
 * Summary formats recognised (colour codes are stripped first):
 * - vitest:  ` Tests  1 failed | 3 passed | 1 skipped | 1 todo (6)`, failures from ` FAIL  file > suite > test`
 * - jest:    `Tests:       1 failed, 1 skipped, 5 passed, 7 total`, failures from `● Suite › test`
 * - cargo:   `test result: FAILED. 8 passed; 1 failed; 2 ignored; …` (summed over targets), `test x ... FAILED`
 * - pytest:  `=== 2 failed, 10 passed, 1 skipped, 1 error in 0.12s ===` (or `-q` without `=`), `FAILED a.py::t - …`
 * - go test: `--- PASS|FAIL|SKIP: TestX` (with `-v`), else package lines `ok  pkg 0.1s` / `FAIL pkg` counted as packages
 * - node:    TAP `# pass N` / `# fail N` or spec reporter `ℹ pass N`, `not ok N - name` / `✖ name (1ms)`
 * - mocha:   `5 passing (20ms)`, `2 pending`, `1 failing`, then `1) Suite test:` entries
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { UsageError } from '../errors.js';
import type { TestRunner, TestSummary } from '../format/schema.js';

// Declared once, as zod schemas in src/format/schema.ts (type-only: no zod at runtime).
export type { TestRunner, TestSummary };

/** Most failing test names kept. */
export const MAX_FAILURES = 20;

/**
 * Parses a test runner's console output into counts and failing test names.
 * @returns null when no known runner's summary is found.
 * @example
 * parseTestOutput('Tests:       1 failed, 5 passed, 6 total')
 * // { runner: 'jest', passed: 5, failed: 1, skipped: 0, failures: [], unit: 'tests' }
 */
export function parseTestOutput(output: string): TestSummary | null {
  const lines = stripAnsi(output)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd());
  for (const parse of PARSERS) {
    const summary = parse(lines);
    if (summary) return summary;
  }
  return null;
}

/** Removes ANSI colour and cursor sequences (CSI and OSC). */
export function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g, '');
}

type Parser = (lines: string[]) => TestSummary | null;

function summary(runner: TestRunner, passed: number, failed: number, skipped: number, failures: string[]): TestSummary {
  return { runner, passed, failed, skipped, failures: distinct(failures).slice(0, MAX_FAILURES), unit: 'tests' };
}

function distinct(items: string[]): string[] {
  return [...new Set(items.map((s) => s.trim()).filter((s) => s !== ''))];
}

/** `3 failed | 10 passed` or `1 failed, 5 passed` -> counts by word. */
function countWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/(\d+) ([a-z]+)/g)) {
    const word = m[2]!;
    counts.set(word, (counts.get(word) ?? 0) + Number(m[1]));
  }
  return counts;
}

const vitest: Parser = (lines) => {
  // Vitest's summary has no colon after "Tests", which tells it apart from jest.
  const line = lines.findLast((l) => /^\s*Tests\s+\d+ [a-z]/.test(l) && /\(\d+\)\s*$/.test(l));
  if (!line) return null;
  const c = countWords(line.replace(/\(\d+\)\s*$/, ''));
  const failures = lines.map((l) => /^\s*FAIL\s+(.+ > .+)$/.exec(l)?.[1] ?? '');
  return summary(
    'vitest',
    c.get('passed') ?? 0,
    c.get('failed') ?? 0,
    (c.get('skipped') ?? 0) + (c.get('todo') ?? 0),
    failures,
  );
};

const jest: Parser = (lines) => {
  const line = lines.findLast((l) => /^Tests:\s+.*\d+ total\s*$/.test(l));
  if (!line) return null;
  const c = countWords(line.slice('Tests:'.length));
  let failures = lines
    .map((l) => /^\s*● (.+)$/.exec(l)?.[1] ?? '')
    .filter((n) => n !== 'Console' && !n.startsWith('Test suite failed to run'));
  if (failures.length === 0) failures = lines.map((l) => /^\s*FAIL\s+(\S.*)$/.exec(l)?.[1] ?? '');
  return summary(
    'jest',
    c.get('passed') ?? 0,
    c.get('failed') ?? 0,
    (c.get('skipped') ?? 0) + (c.get('todo') ?? 0),
    failures,
  );
};

const cargo: Parser = (lines) => {
  let found = false;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const l of lines) {
    const m = /^test result: (?:ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored/.exec(l);
    if (!m) continue;
    found = true;
    passed += Number(m[1]);
    failed += Number(m[2]);
    skipped += Number(m[3]);
  }
  if (!found) return null;
  const failures = lines.map((l) => /^test (\S+)(?: - .*)? \.\.\. FAILED$/.exec(l)?.[1] ?? '');
  return summary('cargo', passed, failed, skipped, failures);
};

const pytest: Parser = (lines) => {
  const line = lines.findLast(
    (l) =>
      /^(?:=+ )?\d+ (?:passed|failed|skipped|errors?|xfailed|xpassed|deselected|warnings?|rerun)\b.* in [\d.]+s\b/.test(
        l,
      ) || /^=+ no tests ran in [\d.]+s/.test(l),
  );
  if (!line) return null;
  const c = countWords(line.replace(/ in [\d.]+s.*$/, ''));
  const failed = (c.get('failed') ?? 0) + (c.get('error') ?? 0) + (c.get('errors') ?? 0);
  const passed = (c.get('passed') ?? 0) + (c.get('xpassed') ?? 0);
  const skipped = (c.get('skipped') ?? 0) + (c.get('xfailed') ?? 0);
  const failures = lines.map((l) => /^(?:FAILED|ERROR) (\S+)/.exec(l)?.[1] ?? '');
  return summary('pytest', passed, failed, skipped, failures);
};

const go: Parser = (lines) => {
  let pass = 0;
  let fail = 0;
  let skip = 0;
  const failedTests: string[] = [];
  const pkgOk: string[] = [];
  const pkgFail: string[] = [];
  const pkgNone: string[] = [];
  for (const l of lines) {
    const t = /^(\s*)--- (PASS|FAIL|SKIP): (\S+)/.exec(l);
    if (t) {
      if (t[2] === 'FAIL') failedTests.push(t[3]!);
      // Subtests are indented under their parent; counting only top-level tests avoids counting twice.
      if (t[1] === '') {
        if (t[2] === 'PASS') pass++;
        else if (t[2] === 'FAIL') fail++;
        else skip++;
      }
      continue;
    }
    const ok = /^ok\s+(\S+)\s+(?:[\d.]+s|\(cached\))/.exec(l);
    const failed = /^FAIL\s+(\S+)\s+(?:[\d.]+s|\[(?:build|setup) failed\])/.exec(l);
    const none = /^\?\s+(\S+)\s+\[no test files\]/.exec(l);
    if (ok) pkgOk.push(ok[1]!);
    else if (failed) pkgFail.push(failed[1]!);
    else if (none) pkgNone.push(none[1]!);
  }
  if (pass + skip > 0) return summary('go', pass, fail, skip, failedTests);
  if (pkgOk.length + pkgFail.length === 0) {
    return fail > 0 ? summary('go', 0, fail, 0, failedTests) : null;
  }
  const s = summary('go', pkgOk.length, pkgFail.length, pkgNone.length, failedTests.length > 0 ? failedTests : pkgFail);
  s.unit = 'packages';
  return s;
};

const node: Parser = (lines) => {
  const counts = new Map<string, number>();
  let spec = false;
  for (const l of lines) {
    // Root-level only: nested TAP subtests are indented.
    const m = /^(#|ℹ) (tests|pass|fail|cancelled|skipped|todo)\s+(\d+)$/.exec(l);
    if (!m) continue;
    if (m[1] === 'ℹ') spec = true;
    counts.set(m[2]!, Number(m[3]));
  }
  if (!counts.has('pass') || !counts.has('fail')) return null;
  let failures: string[];
  if (spec) {
    // The spec reporter repeats the failing leaf tests after "✖ failing tests:".
    const at = lines.findIndex((l) => /^✖ failing tests:$/.test(l));
    const from = at >= 0 ? lines.slice(at + 1) : lines;
    failures = from.map((l) => (at >= 0 ? /^✖ (.+?) \([\d.]+m?s\)/ : /^\s*✖ (.+?) \([\d.]+m?s\)/).exec(l)?.[1] ?? '');
  } else {
    failures = [];
    lines.forEach((l, i) => {
      const m = /^\s*not ok \d+ - (.+?)(?: # .*)?$/.exec(l);
      if (!m) return;
      // A suite fails when a subtest fails; its YAML block says so. Name only the leaf tests.
      for (let j = i + 1; j < lines.length && j < i + 40; j++) {
        if (/^\s*\.\.\.$/.test(lines[j]!)) break;
        if (/failureType: 'subtestsFailed'/.test(lines[j]!)) return;
      }
      failures.push(m[1]!);
    });
  }
  return summary(
    'node',
    counts.get('pass') ?? 0,
    (counts.get('fail') ?? 0) + (counts.get('cancelled') ?? 0),
    (counts.get('skipped') ?? 0) + (counts.get('todo') ?? 0),
    failures,
  );
};

const mocha: Parser = (lines) => {
  const passing = lines.findIndex((l) => /^\s*\d+ passing\b/.test(l));
  if (passing < 0) return null;
  const num = (re: RegExp) => {
    const l = lines.slice(passing).find((x) => re.test(x));
    return l ? Number(re.exec(l)![1]) : 0;
  };
  const passed = num(/^\s*(\d+) passing\b/);
  const skipped = num(/^\s*(\d+) pending\b/);
  const failed = num(/^\s*(\d+) failing\b/);
  const failures: string[] = [];
  const at = lines.findIndex((l, i) => i > passing && /^\s*\d+ failing\b/.test(l));
  if (at >= 0) {
    for (let i = at + 1; i < lines.length && failures.length < MAX_FAILURES; i++) {
      const m = /^\s*\d+\) (.+)$/.exec(lines[i]!);
      if (!m) continue;
      // The title is spread over indented lines (one per suite level) and ends with ':'.
      const parts = [m[1]!.trim()];
      let j = i;
      while (!parts[parts.length - 1]!.endsWith(':') && j + 1 < lines.length && lines[j + 1]!.trim() !== '') {
        parts.push(lines[++j]!.trim());
      }
      failures.push(parts.join(' ').replace(/:$/, ''));
      i = j;
    }
  }
  return summary('mocha', passed, failed, skipped, failures);
};

const PARSERS: Parser[] = [vitest, jest, cargo, pytest, go, node, mocha];

/** What `runTestCommand` returns. */
export interface TestRunResult {
  /** Parsed counts, or null when the output has no known summary. */
  summary: TestSummary | null;
  /** The shell's exit status; 128 + signal number when killed (124 after the timeout, like timeout(1)). */
  exitCode: number;
  timedOut: boolean;
  durationMs: number;
  /** stdout and stderr interleaved, colour codes stripped; the middle is cut when over `maxOutputBytes`. */
  output: string;
}

/** Options of `runTestCommand`. */
export interface RunTestOptions {
  /** Kill the command (and its children) after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** Output kept: the first quarter and the last three quarters of this many bytes. Default 2 MiB. */
  maxOutputBytes?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs a test command through `sh -c` in `cwd` and parses its output.
 * stdin is closed, so runners that watch in a terminal run once.
 * @throws UsageError when `cmd` is empty or `cwd` does not exist.
 * @example
 * const { summary, exitCode } = await runTestCommand('npm test', repoRoot);
 */
export async function runTestCommand(cmd: string, cwd: string, options: RunTestOptions = {}): Promise<TestRunResult> {
  if (cmd.trim() === '') throw new UsageError('--tests needs a command, e.g. --tests "npm test"');
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const cap = options.maxOutputBytes ?? 2 * 1024 * 1024;
  const headCap = Math.floor(cap / 4);
  const tailCap = cap - headCap;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', cmd], {
      cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group, so a timeout kills the runner's workers too.
      detached: process.platform !== 'win32',
    });
    const head: Buffer[] = [];
    let headBytes = 0;
    let tail: Buffer[] = [];
    let tailBytes = 0;
    let dropped = 0;
    const collect = (chunk: Buffer) => {
      if (headBytes < headCap) {
        const take = chunk.subarray(0, headCap - headBytes);
        head.push(take);
        headBytes += take.length;
        chunk = chunk.subarray(take.length);
      }
      if (chunk.length === 0) return;
      tail.push(chunk);
      tailBytes += chunk.length;
      while (tailBytes > tailCap && tail.length > 0) {
        const first = tail[0]!;
        const excess = tailBytes - tailCap;
        if (first.length <= excess) {
          tail.shift();
          tailBytes -= first.length;
          dropped += first.length;
        } else {
          tail[0] = first.subarray(excess);
          tailBytes -= excess;
          dropped += excess;
        }
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), 5000);
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new UsageError(`cannot run test command in ${cwd}: ${e.message}`, { cause: e }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      const text =
        Buffer.concat(head).toString('utf8') +
        (dropped > 0 ? `\n[… ${dropped} bytes of output cut …]\n` : '') +
        Buffer.concat(tail).toString('utf8');
      tail = [];
      const exitCode = timedOut ? 124 : (code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
      resolve({
        summary: parseTestOutput(text),
        exitCode,
        timedOut,
        durationMs: Date.now() - started,
        output: stripAnsi(text),
      });
    });
  });
}
