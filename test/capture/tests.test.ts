import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTestOutput, runTestCommand, type TestSummary } from '../../src/capture/tests.js';

const sample = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const t = (
  runner: TestSummary['runner'],
  passed: number,
  failed: number,
  skipped: number,
  failures: string[] = [],
  unit: TestSummary['unit'] = 'tests',
): TestSummary => ({ runner, passed, failed, skipped, failures, unit });

describe('parseTestOutput on real runner output', () => {
  it.each([
    ['vitest-color.txt', t('vitest', 3, 1, 2, ['math.test.ts > math > handles negatives'])],
    ['jest.txt', t('jest', 5, 1, 1, ['cart total › applies the discount before tax'])],
    ['cargo.txt', t('cargo', 2, 2, 1, ['tests::adds_negative', 'it_fails'])],
    [
      'pytest.txt',
      t('pytest', 2, 3, 1, [
        'test_calc.py::test_sub',
        'test_calc.py::TestMul::test_mul_neg',
        'test_calc.py::test_uses_broken',
      ]),
    ],
    [
      'pytest-q.txt',
      t('pytest', 2, 3, 1, [
        'test_calc.py::test_sub',
        'test_calc.py::TestMul::test_mul_neg',
        'test_calc.py::test_uses_broken',
      ]),
    ],
    ['go-verbose.txt', t('go', 3, 1, 1, ['TestParse', 'TestParse/unicode'])],
    ['go-packages.txt', t('go', 2, 1, 1, ['TestParse', 'TestParse/unicode'], 'packages')],
    ['node-tap.txt', t('node', 2, 2, 2, ['subtracts numbers', 'rejects bad input'])],
    ['node-spec.txt', t('node', 2, 2, 2, ['subtracts numbers', 'rejects bad input'])],
    [
      'mocha.txt',
      t('mocha', 5, 2, 1, [
        'Array #indexOf() should return -1 when the value is not present',
        'User save should reject a duplicate email',
      ]),
    ],
  ])('%s', (file, expected) => {
    expect(parseTestOutput(sample(file))).toEqual(expected);
  });
});

describe('parseTestOutput on summary lines', () => {
  it.each([
    [
      '\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[31m3 failed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[1m\u001b[32m10 passed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[33m1 skipped\u001b[39m\u001b[90m (14)\u001b[39m',
      t('vitest', 10, 3, 1),
    ],
    ['      Tests  12 passed (12)', t('vitest', 12, 0, 0)],
    ['Tests:       1 failed, 1 skipped, 5 passed, 7 total', t('jest', 5, 1, 1)],
    ['Tests:       2 todo, 40 passed, 42 total', t('jest', 40, 0, 2)],
    [
      'test result: FAILED. 8 passed; 1 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.31s',
      t('cargo', 8, 1, 2),
    ],
    [
      'test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\ntest result: ok. 4 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s',
      t('cargo', 7, 0, 1),
    ],
    ['=================== 2 failed, 10 passed, 1 skipped in 0.12s ===================', t('pytest', 10, 2, 1)],
    ['======= 1 passed, 1 xfailed, 2 warnings in 65.20s (0:01:05) =======', t('pytest', 1, 0, 1)],
    ['============================ no tests ran in 0.01s =============================', t('pytest', 0, 0, 0)],
    ['ok  \texample.com/m\t0.002s\nok  \texample.com/n\t(cached)', t('go', 2, 0, 0, [], 'packages')],
    ['FAIL\texample.com/m [build failed]', t('go', 0, 1, 0, ['example.com/m'], 'packages')],
    ['# tests 4\n# pass 4\n# fail 0\n# cancelled 0\n# skipped 0\n# todo 0', t('node', 4, 0, 0)],
    ['ℹ tests 3\nℹ pass 2\nℹ fail 0\nℹ cancelled 1\nℹ skipped 0\nℹ todo 0', t('node', 2, 1, 0)],
    ['  5 passing (20ms)\n  2 pending', t('mocha', 5, 0, 2)],
  ])('%j', (output, expected) => {
    expect(parseTestOutput(output)).toEqual(expected);
  });

  it.each([[''], ['Compiling...\nDone in 2.3s'], ['error: no such command: tests'], ['Tests are great']])(
    'returns null for %j',
    (output) => {
      expect(parseTestOutput(output)).toBeNull();
    },
  );

  it('keeps at most 20 failing test names', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `FAILED tests/test_a.py::test_${i} - assert 0`);
    const s = parseTestOutput(`${lines.join('\n')}\n===== 30 failed in 1.00s =====`);
    expect(s?.failed).toBe(30);
    expect(s?.failures).toHaveLength(20);
  });
});

describe('runTestCommand', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'handoff-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a real test runner through the shell and parses its summary', async () => {
    writeFileSync(
      join(dir, 'a.test.mjs'),
      "import { test } from 'node:test';\nimport assert from 'node:assert';\n" +
        "test('one', () => {});\ntest('two', () => assert.equal(1, 2));\n",
    );
    const r = await runTestCommand('node --test --test-reporter=tap a.test.mjs', dir);
    expect(r.exitCode).toBe(1);
    expect(r.timedOut).toBe(false);
    expect(r.summary).toEqual(t('node', 1, 1, 0, ['two']));
  });

  it('reports the exit code when the output has no summary', async () => {
    const r = await runTestCommand('echo "make: *** [test] Error 3" >&2; exit 3', dir);
    expect(r).toMatchObject({ summary: null, exitCode: 3 });
    expect(r.output).toContain('Error 3');
  });

  it('kills the command and its children after the timeout', async () => {
    const r = await runTestCommand('sleep 30 & sleep 30; wait', dir, { timeoutMs: 300 });
    expect(r).toMatchObject({ timedOut: true, exitCode: 124 });
    expect(r.durationMs).toBeLessThan(5000);
  });

  it('keeps the start and the end of long output', async () => {
    const r = await runTestCommand(
      'echo START; head -c 200000 /dev/zero | tr "\\0" x; echo; echo "  3 passing (1ms)"',
      dir,
      {
        maxOutputBytes: 4000,
      },
    );
    expect(r.output.length).toBeLessThan(4200);
    expect(r.output).toMatch(/^START/);
    expect(r.output).toContain('bytes of output cut');
    expect(r.summary).toEqual(t('mocha', 3, 0, 0));
  });

  it('refuses an empty command', async () => {
    await expect(runTestCommand('  ', dir)).rejects.toThrow(/--tests needs a command/);
  });
});
