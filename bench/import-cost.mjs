// What importing a module costs a cold process: for each package (or file),
// a fresh `node` first imports a tiny ESM and a tiny CJS module (so the
// loaders themselves are warm), then times `await import(X)`: the inclusive cost of X and
// everything it loads. Median of N runs per module, run from the repository
// root so packages resolve from its node_modules.
//
// CLI: node bench/import-cost.mjs [--runs N] [--profile FILE.cpuprofile] [MODULE...]
//   --profile: measure every npm package that profile shows was loaded.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { summarizeProfile } from './profile.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
let warmups = null;

/** A tiny ESM and a tiny CJS module: importing both first warms the ESM loader and the CJS bridge. */
function warmupModules() {
  if (!warmups) {
    const dir = mkdtempSync(join(tmpdir(), 'import-cost-'));
    writeFileSync(join(dir, 'noop.cjs'), 'module.exports = { a: 1 };\n');
    writeFileSync(join(dir, 'noop.mjs'), 'export const a = 1;\n');
    warmups = [pathToFileURL(join(dir, 'noop.mjs')).href, pathToFileURL(join(dir, 'noop.cjs')).href];
  }
  return warmups;
}

/**
 * @param {string} spec package name or file path
 * @param {number} runs
 * @returns {number} median milliseconds of `await import(spec)`
 */
export function measureImport(spec, runs = 5) {
  const target = spec.startsWith('.') || isAbsolute(spec) ? pathToFileURL(resolve(spec)).href : spec;
  const script =
    warmupModules()
      .map((u) => `await import(${JSON.stringify(u)});`)
      .join('') +
    `const t = performance.now(); await import(${JSON.stringify(target)});` +
    `process.stdout.write(String(performance.now() - t));`;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`import ${spec} failed: ${r.stderr.split('\n').find(Boolean)}`);
    times.push(Number(r.stdout));
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let runs = 5;
  const specs = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--runs') runs = Number(args[++i]);
    else if (args[i] === '--profile') {
      const { loaded } = summarizeProfile(args[++i]);
      // Only top-level packages: their own dependencies are inside their cost.
      specs.push(...loaded.filter((m) => !m.includes('/') || m.startsWith('@')));
    } else specs.push(args[i]);
  }
  if (specs.length === 0) {
    process.stderr.write('usage: node bench/import-cost.mjs [--runs N] [--profile FILE.cpuprofile] [MODULE...]\n');
    process.exit(2);
  }
  const rows = specs.map((s) => {
    try {
      return [s, measureImport(s, runs).toFixed(1)];
    } catch (e) {
      return [s, `error: ${e.message}`];
    }
  });
  for (const [s, ms] of rows) process.stdout.write(`${ms.padStart(8)} ms  ${s}\n`);
}
