// Generates synthetic stores of realistic handoffs for the benchmarks.
//
// Every file is built from its own PRNG seeded by (seed, index), so file i is
// the same whatever n is and ranges can be generated independently (the 1,000
// "new arrivals" of the sync benchmark are indices 1,000,000+). Vocabulary,
// identifiers and paths come from the real corpus (/work/shared/corpus/docs),
// read at generation time, with word frequencies kept Zipf-like so that BM25
// sees a realistic mix of common and rare terms.
//
// Format: design.md "The handoff document" (front matter handoff/id/name/
// project/summary/tags/created/expires/work_type/agent/git/parent, then
// canonical `##` sections). File names: `YYYYMMDD-HHMM-<slug>.md` (UTC), with
// `-<id>` appended on a clash, as the file store does.
//
// CLI: node bench/generate.mjs DIR N [--seed S] [--start I]

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Where the real handoffs live; the vocabulary is drawn from them. */
export const CORPUS_DIR = process.env.HANDOFF_BENCH_CORPUS || '/work/shared/corpus/docs';
/** Cached stores: `bench/.data/<n>/` plus `bench/.data/<n>.json` (manifest). Git-ignored. */
export const DATA_DIR = join(HERE, '.data');
/** Bump when the generated text changes, so cached stores are regenerated. */
export const GENERATOR_VERSION = 3;

const DAY = 86_400_000;
/** Fixed window (not "now") so the output is deterministic: two years ending 2026-11-14. */
export const END_MS = Date.UTC(2026, 10, 14, 0, 0, 0);
const START_MS = END_MS - 730 * DAY;

const PROJECTS = [
  ['todo-api', 30],
  ['billing-service', 25],
  ['mobile-app', 20],
  ['data-pipeline', 15],
  ['docs-site', 10],
];
const WORK_TYPES = ['implementation', 'testing', 'documentation', 'quality', 'infrastructure', 'planning'];
const AGENTS = ['claude-code', 'codex', 'cursor', 'copilot', 'gemini-cli'];
const BRANCHES = ['main', 'develop', 'feat/auth-refresh', 'fix/flaky-ci', 'feat/export-csv', 'chore/deps'];
const VERBS = ['Fix', 'Finish', 'Add', 'Run', 'Update', 'Wire', 'Write', 'Remove', 'Rename', 'Profile', 'Port', 'Test'];
const CONNECTORS = ['because', 'since', 'so that', 'as'];
const CAVEATS = [
  'still fails on',
  'works except',
  'passes locally but not in CI for',
  'is half done: the parser works, the writer does not, see',
  'blocked on review of',
];
/**
 * Words planted at known positions, so `search` has a target whose hits are
 * known exactly. `every`/`at`: file i holds the word when i % every === at.
 * None occurs in the corpus (checked when the vocabulary is built).
 */
export const PLANTED = [
  { word: 'zymurgax', every: 10_000, at: 7777, section: 'decisions' },
  { word: 'krillbane', every: 5_000, at: 1234, section: 'next_steps' },
  { word: 'vortexmallow', every: 100, at: 37, section: 'gotchas' },
];
/** Words the quality rules flag, or that YAML would read as non-strings; never drawn. */
const BANNED = new Set([
  'etc',
  'stuff',
  'todo',
  'tbd',
  'fixme',
  'xxx',
  'true',
  'false',
  'null',
  'yes',
  'no',
  'on',
  'off',
  'password',
  'secret',
  'token',
]);

// ---------------------------------------------------------------- PRNG

/** murmur3 fmix32: a bijection on 32-bit integers (so ids derived from distinct indices never collide). */
function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for text. */
function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The 8-hex id of file `index`: unique for every index under one seed. */
export function idOf(index, seed) {
  return fmix32((index ^ fmix32(seed + 0x51ed27)) >>> 0)
    .toString(16)
    .padStart(8, '0');
}

// ---------------------------------------------------------------- vocabulary

let cachedVocab = null;

/**
 * Reads the corpus and returns the pools the generator draws from, each sorted
 * (frequency, then text) so the result does not depend on readdir order.
 * @returns {{ words: string[], techs: string[], idents: string[], paths: string[], commands: string[], foreign: string[] }}
 */
export function buildVocabulary(corpusDir = CORPUS_DIR) {
  if (cachedVocab) return cachedVocab;
  const words = new Map();
  const techs = new Map();
  const idents = new Map();
  const paths = new Map();
  const commands = new Map();
  const foreign = new Map();
  const bump = (m, k) => m.set(k, (m.get(k) || 0) + 1);
  const files = readdirSync(corpusDir)
    .filter((f) => f.endsWith('.md'))
    .sort();
  for (const f of files) {
    const text = readFileSync(join(corpusDir, f), 'utf8');
    for (const m of text.matchAll(/(?<![\w/.-])[A-Za-z][a-z]{1,15}(?![\w/.-])/g)) {
      const w = m[0].toLowerCase();
      if (w.length >= 2 && !BANNED.has(w)) bump(words, w);
    }
    for (const m of text.matchAll(/\b[A-Z][a-z]*[A-Z0-9][A-Za-z0-9]{1,20}\b|\b[A-Z][a-z]{3,12}(?:SQL|DB|JS)\b/g)) {
      bump(techs, m[0]);
    }
    for (const m of text.matchAll(/\b[a-z]+(?:[A-Z][a-z0-9]+){1,4}\b|\b[a-z]+(?:_[a-z0-9]+){1,4}\b/g)) {
      if (m[0].length <= 40) bump(idents, m[0]);
    }
    for (const m of text.matchAll(/(?<![\w/:.~\\-])(?:[A-Za-z0-9_.-]+\/)+[A-Za-z0-9_-]+\.[a-z]{1,5}\b/g)) {
      if (m[0].length <= 70 && !m[0].includes('..') && !m[0].startsWith('.')) bump(paths, m[0]);
    }
    for (const m of text.matchAll(
      /`((?:npm|npx|pnpm|yarn|git|node|go|cargo|pytest|python3?|make|docker|uv|bun) [^`\n]{2,60})`/g,
    )) {
      if (!/[|;&<>$\\]/.test(m[1])) bump(commands, m[1]);
    }
    for (const m of text.matchAll(/[\p{Script=Han}]{2,6}|[\p{Script=Cyrillic}]{3,14}|[\p{Script=Hangul}]{2,6}/gu)) {
      bump(foreign, m[0]);
    }
  }
  const planted = new Set(PLANTED.map((p) => p.word));
  for (const m of [words, techs, idents, paths, commands, foreign]) {
    for (const k of m.keys()) if (planted.has(k.toLowerCase())) m.delete(k);
  }
  const sorted = (m, min) =>
    [...m.entries()]
      .filter(([, c]) => c >= min)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([k]) => k);
  cachedVocab = {
    words: sorted(words, 2),
    techs: sorted(techs, 1),
    idents: sorted(idents, 1),
    paths: sorted(paths, 1),
    commands: sorted(commands, 1),
    foreign: sorted(foreign, 1),
  };
  for (const [k, v] of Object.entries(cachedVocab)) {
    if (v.length < 5) throw new Error(`bench/generate: corpus ${corpusDir} gave only ${v.length} ${k}`);
  }
  return cachedVocab;
}

// ---------------------------------------------------------------- one handoff

function pad2(n) {
  return n < 10 ? '0' + n : String(n);
}

function isoSeconds(ms) {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

function fileStamp(ms) {
  const d = new Date(ms);
  return (
    d.getUTCFullYear() +
    pad2(d.getUTCMonth() + 1) +
    pad2(d.getUTCDate()) +
    '-' +
    pad2(d.getUTCHours()) +
    pad2(d.getUTCMinutes())
  );
}

/** Builds the text generators over one file's PRNG. */
function makeWriter(rng, vocab, foreignFlavour) {
  const { words, techs, idents, paths, commands, foreign } = vocab;
  const logV = Math.log(words.length + 1);
  const int = (n) => Math.floor(rng() * n);
  const pick = (arr) => arr[int(arr.length)];
  // Log-uniform rank => frequency ~ 1/rank (Zipf with s=1), like natural text.
  const zipf = (arr, logN) => arr[Math.min(arr.length - 1, Math.floor(Math.exp(rng() * logN)) - 1)];
  const word = () => (foreignFlavour && rng() < 0.25 ? pick(foreign) : zipf(words, logV));
  const ident = () => pick(idents);
  const path = () => pick(paths);
  const number = () => {
    const r = rng();
    if (r < 0.4) return String(int(500) + 2);
    if (r < 0.7) return `${int(100)}.${int(10)}%`;
    if (r < 0.85) return `${int(900) + 100} ms`;
    return `#${int(4000) + 1}`;
  };
  const phrase = (min, max) => {
    const n = min + int(max - min + 1);
    const out = [];
    for (let i = 0; i < n; i++) {
      const r = rng();
      if (r < 0.06) out.push('`' + ident() + '`');
      else if (r < 0.09) out.push('`' + path() + '`');
      else if (r < 0.12) out.push(number());
      else if (r < 0.14) out.push(pick(techs));
      else out.push(word());
    }
    return out.join(' ');
  };
  const sentence = (min, max) => {
    const s = phrase(min, max);
    return s.charAt(0).toUpperCase() + s.slice(1) + '.';
  };
  return { rng, int, pick, word, ident, path, number, phrase, sentence, techs, commands };
}

/**
 * Renders handoff `index` (deterministic for (index, seed)).
 * @param {number} index
 * @param {{ seed: number, vocab: ReturnType<typeof buildVocabulary>, fromMs?: number, toMs?: number }} opts
 * @returns {{ id: string, name: string, createdMs: number, stamp: string, text: string, planted: string[] }}
 */
export function renderSyntheticHandoff(index, opts) {
  const { seed, vocab } = opts;
  const rng = makeRng(fmix32((index * 0x9e3779b1 + seed) >>> 0) ^ 0xa5a5a5a5);
  const W = makeWriter(rng, vocab, rng() < 0.12);
  const { int, pick, sentence, phrase } = W;

  const id = idOf(index, seed);
  let acc = 0;
  const roll = rng() * 100;
  let project = PROJECTS[0][0];
  for (const [p, w] of PROJECTS) {
    acc += w;
    if (roll < acc) {
      project = p;
      break;
    }
  }
  const fromMs = opts.fromMs ?? START_MS;
  const toMs = opts.toMs ?? END_MS;
  const createdMs = Math.floor((fromMs + rng() * (toMs - fromMs)) / 1000) * 1000;
  // Names are reused (a chain of handoffs on one topic): ~150 per project.
  const name = `${project}-${vocab.words[40 + int(150)]}-${['state', 'notes', 'handoff', 'wip'][int(4)]}`;
  const tags = [];
  for (let i = 1 + int(3); i > 0; i--) {
    const t = vocab.words[20 + int(300)];
    if (/^[a-z][a-z0-9-]*$/.test(t) && !tags.includes(t)) tags.push(t);
  }
  if (tags.length === 0) tags.push(project.split('-')[0]);
  const workType = pick(WORK_TYPES);
  const planted = PLANTED.filter((p) => index % p.every === p.at).map((p) => p.word);
  const plantIn = (section) => {
    const p = PLANTED.find((x) => x.section === section && index % x.every === x.at);
    return p ? `${p.word} ` : '';
  };

  const fm = ['---', 'handoff: 1', `id: ${id}`, `name: ${name}`, `project: ${project}`];
  fm.push(`summary: ${sentence(6, 14).slice(0, -1).replace(/[`#:]/g, '')}`);
  fm.push(`tags: [${tags.join(', ')}]`);
  fm.push(`created: ${isoSeconds(createdMs)}`);
  const e = rng();
  if (e < 0.15) fm.push(`expires: ${isoSeconds(createdMs + [7, 14, 30][int(3)] * DAY)}`);
  else if (e < 0.17) fm.push(`expires: ${isoSeconds(createdMs + 800 * DAY)}`);
  fm.push(`work_type: ${workType}`);
  if (rng() < 0.6) fm.push(`agent: ${pick(AGENTS)}`);
  if (rng() < 0.5) {
    let sha = '';
    for (let i = 0; i < 5; i++) sha += int(0x100000000).toString(16).padStart(8, '0');
    fm.push(`git: {branch: ${pick(BRANCHES)}, commit: ${sha}, dirty: ${rng() < 0.3}}`);
  }
  if (index > 0 && rng() < 0.4) fm.push(`parent: ${idOf(index - 1 - int(Math.min(index, 20)), seed)}`);
  fm.push('---', '');

  const body = [];
  const target = 2000 + int(1300);
  let size = 0;
  const section = (heading, lines) => {
    const s = `## ${heading}\n${lines.join('\n')}\n`;
    size += s.length + 1;
    return s;
  };
  const bullets = (n, make) => Array.from({ length: n }, make);
  if (rng() < 0.3) body.push(section('Context', [sentence(14, 30)]));
  const accomplished = bullets(3 + int(3), () => `- ${sentence(8, 18)}`);
  const decisions = bullets(2 + int(3), (_, i) => {
    const a = rng() < 0.5 ? W.pick(W.techs) : '`' + W.ident() + '`';
    const b = rng() < 0.5 ? W.pick(W.techs) : phrase(1, 3);
    const lead = i === 0 ? plantIn('decisions') : '';
    return `- ${lead}${a} over ${b} — ${pick(CONNECTORS)} ${phrase(6, 14)}`;
  });
  const inProgress = bullets(1 + int(3), () => {
    const r = rng();
    if (r < 0.5) return `- \`${W.path()}\` ${pick(CAVEATS)} \`${W.ident()}\`; ${phrase(4, 10)}`;
    return `- ${sentence(5, 10).slice(0, -1)} in \`${W.path()}\` (${W.number()})`;
  });
  const deferred = bullets(1 + int(2), () => `- ${sentence(6, 14)}`);
  const blocked = rng() < 0.2 ? bullets(1, () => `- ${sentence(6, 12)}`) : null;
  const nextSteps = bullets(3 + int(3), (_, i) => {
    const target = rng() < 0.5 ? `\`${W.path()}\`` : rng() < 0.5 ? `\`${W.ident()}\`` : `\`${pick(W.commands)}\``;
    const lead = i === 0 ? '' : i === 1 ? plantIn('next_steps') : '';
    return `${i + 1}. ${pick(VERBS)} ${lead}${target} ${phrase(4, 10)}`;
  });
  const gotchas = bullets(1 + int(2), (_, i) => `- ${i === 0 ? plantIn('gotchas') : ''}${sentence(8, 20)}`);
  const files = bullets(3 + int(4), () => `- \`${W.path()}\` — ${phrase(3, 9)}`);
  const metrics = [
    `- Tests: ${int(900) + 20} passing, ${int(4)} failing, ${int(10)} skipped`,
    `- Coverage: ${int(40) + 55}.${int(10)}%`,
  ];
  if (rng() < 0.6) metrics.push(`- Files changed: ${int(40) + 1} (+${int(900)}/-${int(400)})`);

  // Grow the free-text sections until the document reaches its target size (~3 KB).
  const estimate = () =>
    [accomplished, decisions, inProgress, deferred, nextSteps, gotchas, files, metrics].reduce(
      (n, l) => n + l.reduce((m, s) => m + s.length + 1, 0),
      size + 200,
    );
  let est = estimate();
  while (est < target) {
    const r = rng();
    const line =
      r < 0.5
        ? `- ${sentence(10, 22)}`
        : r < 0.75
          ? `- ${sentence(8, 16)} (\`${W.ident()}\`)`
          : `- ${sentence(10, 20)}`;
    (r < 0.5 ? accomplished : r < 0.75 ? inProgress : gotchas).push(line);
    est += line.length + 1;
  }

  body.push(section('Accomplished', accomplished));
  body.push(section('Decisions', decisions));
  body.push(section('In Progress', inProgress));
  if (rng() < 0.85) body.push(section('Deferred', deferred));
  if (blocked) body.push(section('Blocked', blocked));
  body.push(section('Next Steps', nextSteps));
  body.push(section('Gotchas', gotchas));
  body.push(section('Files of Note', files));
  body.push(section('Metrics', metrics));

  const text = fm.join('\n') + body.join('\n');
  return { id, name, createdMs, stamp: fileStamp(createdMs), text, planted };
}

// ---------------------------------------------------------------- stores

/**
 * Writes handoffs `start .. start+n-1` into `dir` (created 0700, files 0600).
 * @param {string} dir
 * @param {number} n
 * @param {{ seed?: number, start?: number, fromMs?: number, toMs?: number }} [options]
 * @returns {{ n: number, seed: number, start: number, files: string[], planted: Record<string, string[]>, bytes: number, ms: number }}
 *   `files`: file names written, in index order; `planted`: word => file names holding it.
 */
export function generateStore(dir, n, options = {}) {
  const seed = options.seed ?? 1;
  const start = options.start ?? 0;
  const vocab = buildVocabulary();
  const t0 = performance.now();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const taken = new Set(readdirSync(dir));
  const files = [];
  const planted = Object.fromEntries(PLANTED.map((p) => [p.word, []]));
  let bytes = 0;
  for (let i = start; i < start + n; i++) {
    const h = renderSyntheticHandoff(i, { seed, vocab, fromMs: options.fromMs, toMs: options.toMs });
    let file = `${h.stamp}-${h.name}.md`;
    if (taken.has(file)) file = `${h.stamp}-${h.name}-${h.id}.md`;
    taken.add(file);
    writeFileSync(join(dir, file), h.text, { mode: 0o600 });
    files.push(file);
    bytes += Buffer.byteLength(h.text);
    for (const w of h.planted) planted[w].push(file);
  }
  return { n, seed, start, files, planted, bytes, ms: Math.round(performance.now() - t0) };
}

/**
 * A cached store under `bench/.data/<key>/`, generated on first use. The
 * manifest `bench/.data/<key>.json` records what was generated; a store whose
 * manifest is missing or from another generator version is regenerated.
 * @returns {{ dir: string, manifest: ReturnType<typeof generateStore> & { version: number } , generated: boolean }}
 */
export function cachedStore(key, n, options = {}) {
  const dir = join(DATA_DIR, String(key));
  const manifestPath = join(DATA_DIR, `${key}.json`);
  const seed = options.seed ?? 1;
  if (existsSync(manifestPath) && existsSync(dir)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (
      manifest.version === GENERATOR_VERSION &&
      manifest.n === n &&
      manifest.seed === seed &&
      manifest.start === (options.start ?? 0)
    ) {
      return { dir, manifest, generated: false };
    }
  }
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  const manifest = { version: GENERATOR_VERSION, ...generateStore(tmp, n, { ...options, seed }) };
  renameSync(tmp, dir);
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return { dir, manifest, generated: true };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = (name, def) => {
    const i = args.indexOf(name);
    if (i < 0) return def;
    const v = args[i + 1];
    args.splice(i, 2);
    return Number(v);
  };
  const seed = flag('--seed', 1);
  const start = flag('--start', 0);
  const [dir, count] = args;
  if (!dir || !count) {
    process.stderr.write('usage: node bench/generate.mjs DIR N [--seed S] [--start I]\n');
    process.exit(2);
  }
  const r = generateStore(resolve(dir), Number(count), { seed, start });
  process.stdout.write(`${r.files.length} handoffs, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.ms} ms -> ${dir}\n`);
  for (const [w, f] of Object.entries(r.planted)) process.stdout.write(`  ${w}: ${f.length} file(s)\n`);
}
