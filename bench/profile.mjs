// Summarizes V8 .cpuprofile files (from `node --cpu-prof`): self time per
// source file / package and per function, inclusive time per function, and
// every package or chunk that ran, so a slow benchmark row can be traced to
// the import or call that costs. Frames in bundled chunks are mapped back to
// `src/...` through the chunk's source map when there is one. Several
// profiles of the same command are averaged (short commands give few samples).
//
// CLI: node bench/profile.mjs FILE.cpuprofile... [--top N]

import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const maps = new Map();
/** Maps a bundled frame back to its source file and line (`src/store/index-db.ts`, 1-based) through the chunk's source map, if any. */
function originalFile(url, line, column) {
  if (!url.startsWith('file://') || url.includes('/node_modules/')) return null;
  if (!maps.has(url)) {
    const mapPath = `${fileURLToPath(url)}.map`;
    maps.set(url, existsSync(mapPath) ? new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8'))) : null);
  }
  const entry = maps.get(url)?.findEntry(line, column);
  if (!entry?.originalSource) return null;
  return { file: entry.originalSource.replace(/^.*?\/src\//, 'src/'), line: entry.originalLine + 1 };
}

/** Groups a script URL: the npm package, the dist file, `node:<builtin>`, or a V8 pseudo-frame. */
function moduleOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 14).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  const dist = /\/(dist[^/]*\/.*)$/.exec(url);
  if (dist) return dist[1];
  return url.replace(/^file:\/\//, '');
}

/** `name file:line` for a frame, through the source map when possible. */
function frameLabel({ functionName, url, lineNumber, columnNumber }) {
  const src = originalFile(url, lineNumber, columnNumber);
  const short = url ? url.replace(/^.*\/(node_modules|dist[^/]*)\//, '$1/').replace(/^file:\/\//, '') : '';
  const where = src ? `${src.file}:${src.line}` : short ? `${short}:${lineNumber + 1}` : '';
  return {
    label: `${functionName || '(anonymous)'} ${where}`.trim(),
    module: src?.file ?? moduleOf(url, functionName || '(anonymous)'),
  };
}

const add = (m, k, v) => m.set(k, (m.get(k) || 0) + v);

/**
 * @param {string | string[]} files one or more .cpuprofile paths (of the same command; times are averaged)
 * @param {{ top?: number }} [options]
 * @returns {{ totalMs: number, runs: number, functions: Array<{ name: string, ms: number }>, modules: Array<{ name: string, ms: number }>, inclusive: Array<{ name: string, ms: number }>, loaded: string[], text: string }}
 */
export function summarizeProfile(files, options = {}) {
  const list = Array.isArray(files) ? files : [files];
  const top = options.top ?? 15;
  const fns = new Map();
  const mods = new Map();
  const incl = new Map();
  const loaded = new Set();
  let total = 0;
  for (const file of list) {
    const prof = JSON.parse(readFileSync(file, 'utf8'));
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const labels = new Map();
    const labelOf = (id) => {
      if (!labels.has(id)) labels.set(id, frameLabel(byId.get(id).callFrame));
      return labels.get(id);
    };
    const self = new Map();
    for (let i = 0; i < prof.samples.length; i++) add(self, prof.samples[i], prof.timeDeltas[i] || 0);
    for (const [id, us] of self) {
      const { label, module } = labelOf(id);
      add(fns, label, us);
      add(mods, module, us);
      total += us;
      // Inclusive: each sample counts once for every distinct function on its stack.
      const seen = new Set();
      for (let n = id; n !== undefined; n = parent.get(n)) {
        const l = labelOf(n).label;
        if (l === '(root)' || seen.has(l)) continue;
        seen.add(l);
        add(incl, l, us);
      }
    }
    // Every package and bundle chunk that ran at all: shows a heavy import on a path that should not load it.
    for (const n of prof.nodes) {
      const u = n.callFrame.url;
      if (u && !u.startsWith('node:')) loaded.add(moduleOf(u, ''));
    }
  }
  const runs = list.length;
  const rank = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000 / runs }));
  const functions = rank(fns);
  const modules = rank(mods);
  const inclusive = rank(incl);
  const fmt = (rows) => rows.map((r) => `  ${r.ms.toFixed(1).padStart(8)} ms  ${r.name}`).join('\n');
  const text =
    `loaded: ${[...loaded].sort().join(', ')}\n` +
    `self time by module${runs > 1 ? ` (mean of ${runs} runs)` : ''}:\n${fmt(modules)}\n` +
    `self time by function:\n${fmt(functions)}\n` +
    `inclusive time by function:\n${fmt(inclusive)}`;
  return { totalMs: total / 1000 / runs, runs, functions, modules, inclusive, loaded: [...loaded].sort(), text };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--top');
  const top = i >= 0 ? Number(args.splice(i, 2)[1]) : 15;
  if (args.length === 0) {
    process.stderr.write('usage: node bench/profile.mjs FILE.cpuprofile... [--top N]\n');
    process.exit(2);
  }
  const s = summarizeProfile(args, { top });
  process.stdout.write(`total sampled ${s.totalMs.toFixed(0)} ms per run\n${s.text}\n`);
}
