// The benchmark: spawns the built CLI (dist/cli/handoff.cjs) the way hooks and users
// do and prints ONE markdown table, also written to bench/results.json.
//
// "Cold" (design.md, "Stores, index, speed"): a new process per run, OS file
// cache warm, index already built. Every row does one untimed warm-up run
// (which also builds or syncs the index and checks the command works), then
// times `runs` spawns with process.hrtime.bigint() around spawnSync.
//
// Usage:
//   npm run bench                        # build, then every row (~3-5 min once stores are cached)
//   node bench/run.mjs --quick           # smoke run: 1k/10k stores, 5 runs per row
//   node bench/run.mjs --only list,search --runs 9
//   node bench/run.mjs --cpu-prof        # plus one profiled run per CLI row; top self-time printed
//   node bench/run.mjs --list-rows
// Generated stores are cached in bench/.data/ (git-ignored); delete it to regenerate.
// Full runs write bench/results.json; --quick/--only runs write bench/.data/results-partial.json.

import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildVocabulary, cachedStore, DATA_DIR, END_MS, PLANTED, renderSyntheticHandoff } from './generate.mjs';
import { summarizeProfile } from './profile.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2);
const opt = {
  quick: argv.includes('--quick'),
  cpuProf: argv.includes('--cpu-prof'),
  listRows: argv.includes('--list-rows'),
  only: null,
  runs: null,
  cli: join(ROOT, 'dist', 'cli', 'handoff.cjs'),
};
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--only') opt.only = new Set(argv[++i].split(','));
  else if (argv[i] === '--runs') opt.runs = Number(argv[++i]);
  else if (argv[i] === '--cli') opt.cli = resolve(argv[++i]);
  else if (!['--quick', '--cpu-prof', '--list-rows'].includes(argv[i])) {
    process.stderr.write(`bench: unknown option ${argv[i]}\n`);
    process.exit(2);
  }
}
const SMALL = opt.quick ? 1_000 : 10_000;
const LARGE = opt.quick ? 10_000 : 100_000;
const RUNS = opt.runs ?? (opt.quick ? 5 : 15);
const REBUILD_RUNS = opt.quick ? 1 : 3;
const SYNC_RUNS = opt.quick ? 1 : 3;
const EXTRA = 1_000;
const GIT_COMMITS = opt.quick ? 1_000 : 10_000;
const SEED = 1;
const fmtN = (n) => (n >= 1000 ? `${n / 1000}k` : String(n));

// ---------------------------------------------------------------- helpers

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank 90th percentile. */
function p90(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.9 * s.length) - 1)];
}

/** Spawns and times one process. */
function timeSpawn(cmd, args, { env, cwd, input, discard = false }) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    env,
    cwd,
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', discard ? 'ignore' : 'pipe', 'pipe'],
    maxBuffer: 512 * 1024 * 1024,
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  return { ms, status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

class RowError extends Error {}

function checkRun(r, allow, what) {
  if (!allow.includes(r.status)) {
    const line = (r.stderr || r.stdout || '').trim().split('\n')[0]?.slice(0, 160) || `signal ${r.signal}`;
    throw new RowError(`${what}: exit ${r.status}: ${line}`);
  }
}

/**
 * Warm-up once (checked), then `runs` timed runs. With `interleave`, each
 * timed run is preceded by a `node -e 0` run whose times come back as `base`:
 * on a shared machine the load drifts, and a ratio against a baseline taken
 * under the same load is the one that means something.
 */
function measure(
  cmd,
  args,
  spawnOpts,
  { runs = RUNS, allow = [0], before, what = args.join(' '), interleave = false } = {},
) {
  before?.();
  const warm = timeSpawn(cmd, args, spawnOpts);
  checkRun(warm, allow, what);
  const times = [];
  const base = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    if (interleave) base.push(timeSpawn(process.execPath, ['-e', '0'], spawnOpts).ms);
    const r = timeSpawn(cmd, args, spawnOpts);
    checkRun(r, allow, what);
    times.push(r.ms);
  }
  return { times, warm, base };
}

const cli = (args) => [opt.cli, ...args];
/** Syncs (or rebuilds) the index like any command, but prints 20 rows: the rows that time sync, not printing. */
const LIST20 = ['list', '--limit', '20'];

function ensureEmptyDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

// ---------------------------------------------------------------- fixtures

/**
 * Removes anything a previous (interrupted) run or a store benchmark added to
 * a cached store. When it removed something, the directory's mtime is set 10 s
 * back: the file store distrusts an mtime younger than 2 s (RACY_WINDOW_MS,
 * a second change in the same tick could hide) and would re-list every key on
 * the next command, which models nothing a user does.
 */
function cleanStore(dir, strays) {
  let removed = 0;
  for (const f of readdirSync(dir)) {
    if (f.includes('bench-store-probe') || strays.has(f)) {
      unlinkSync(join(dir, f));
      removed++;
    }
  }
  if (removed > 0) {
    const past = new Date(Date.now() - 10_000);
    utimesSync(dir, past, past);
  }
}

/**
 * A git repository with `commits` commits (git fast-import), cached in
 * bench/.data/git-<n>/. Its `docs/session_handoffs/` store holds one handoff
 * written 50 commits before HEAD, so `draft` has a previous handoff and 50
 * commits to collect.
 */
function cachedGitRepo(commits) {
  const dir = join(DATA_DIR, `git-${fmtN(commits)}`);
  const marker = join(DATA_DIR, `git-${fmtN(commits)}.json`);
  if (existsSync(marker) && existsSync(join(dir, '.git'))) return dir;
  log(`creating a git repository with ${commits} commits in ${dir}`);
  const t0 = performance.now();
  ensureEmptyDir(dir);
  const git = (args, input) => {
    const r = spawnSync('git', args, { cwd: dir, input, encoding: input ? undefined : 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`git ${args[0]} failed: ${r.stderr}`);
    return String(r.stdout).trim();
  };
  git(['init', '-q', '-b', 'main']);
  const vocab = buildVocabulary();
  const words = vocab.words;
  let s = 12345;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const modules = ['api', 'store', 'auth', 'billing', 'ui', 'jobs', 'cli', 'db', 'search', 'util'];
  const files = Array.from({ length: 400 }, (_, i) => `src/${modules[i % 10]}/${words[50 + i]}-${i}.ts`);
  const t0ms = END_MS - 700 * 86_400_000;
  const step = Math.floor((700 * 86_400_000) / commits);
  const headSplit = commits - 50;
  const stream = (from, to, first) => {
    const parts = [];
    const data = (text) => {
      parts.push(`data ${Buffer.byteLength(text)}\n${text}\n`);
    };
    for (let i = from; i < to; i++) {
      const ts = Math.floor((t0ms + i * step) / 1000);
      const msg = `${pick(['Fix', 'Add', 'Update', 'Refactor', 'Test', 'Remove'])} ${pick(words)} ${pick(words)} in ${pick(modules)}`;
      parts.push(`commit refs/heads/main\nmark :${i + 1}\n`);
      parts.push(`author Dev ${i % 7} <dev${i % 7}@example.com> ${ts} +0000\n`);
      parts.push(`committer Dev ${i % 7} <dev${i % 7}@example.com> ${ts} +0000\n`);
      data(msg);
      if (i === from && first) parts.push(first.from);
      const n = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < n; k++) {
        const lines = [];
        for (let l = 0; l < 30; l++) lines.push(`export const ${pick(words)}_${l} = '${pick(words)} ${pick(words)}';`);
        parts.push(`M 100644 inline ${pick(files)}\n`);
        data(lines.join('\n'));
      }
      if (i === from && first?.file) {
        parts.push(`M 100644 inline ${first.file.path}\n`);
        data(first.file.text);
      }
    }
    return Buffer.from(parts.join(''));
  };
  git(['fast-import', '--quiet'], stream(0, headSplit, null));
  const sha = git(['rev-parse', 'main']);
  const createdMs = t0ms + (headSplit - 1) * step;
  const prev = renderSyntheticHandoff(424242, { seed: SEED, vocab, fromMs: createdMs, toMs: createdMs + 1 });
  const text = prev.text
    .replace(/^project: .*$/m, `project: git-${fmtN(commits)}`)
    .replace(/^expires: .*\n/m, '')
    .replace(/^git: .*\n/m, '')
    .replace(/^work_type: .*$/m, (l) => `${l}\ngit: {branch: main, commit: ${sha}, dirty: false}`);
  const file = { path: `docs/session_handoffs/${prev.stamp}-${prev.name}.md`, text };
  git(['fast-import', '--quiet'], stream(headSplit, commits, { from: 'from refs/heads/main^0\n', file }));
  git(['reset', '-q', '--hard']);
  writeFileSync(marker, JSON.stringify({ commits, head: git(['rev-parse', 'HEAD']), previous: sha }));
  log(`git repository ready in ${Math.round(performance.now() - t0)} ms`);
  return dir;
}

// ---------------------------------------------------------------- rows

/** Times bench/floor.cjs with `args` against the small store's index (built first with the CLI). */
function floorRow(row, args) {
  checkRun(timeSpawn(process.execPath, cli(LIST20), spawnIn(small, { discard: true })), [0], 'index build');
  const { times, base } = measure(process.execPath, [join(HERE, 'floor.cjs'), ...args], spawnIn(small), {
    interleave: true,
  });
  row.times = times;
  row.base = base;
}

/** Row definitions, in table order. `run(ctx)` returns partial row data or throws RowError. */
const ROWS = [
  { id: 'baseline', what: '`node -e 0` (baseline)', target: '—' },
  {
    id: 'floor',
    what: `floor: CommonJS + better-sqlite3 + open index + 20 rows printed (\`bench/floor.cjs 20\`), ${fmtN(SMALL)} store`,
    target: '—',
  },
  {
    id: 'floor-all',
    what: `floor: the same, all rows printed (\`bench/floor.cjs\`), ${fmtN(SMALL)} store`,
    target: '—',
  },
  { id: 'list', what: `cold \`handoff list\` (all rows), ${fmtN(SMALL)} store`, target: '≤ 1.5× baseline' },
  { id: 'list-limit', what: `cold \`handoff list --limit 20\`, ${fmtN(SMALL)} store`, target: '≤ 1.5× baseline' },
  { id: 'retrieve', what: `cold \`handoff retrieve --latest\`, ${fmtN(SMALL)} store`, target: '≤ 1.5× baseline' },
  { id: 'search', what: `cold \`handoff search <rare word>\`, ${fmtN(LARGE)} store`, target: '≤ 2× baseline' },
  {
    id: 'search-common',
    what: `cold \`handoff search <word in 1% of files>\`, ${fmtN(LARGE)} store`,
    target: '≤ 2× baseline',
  },
  { id: 'grep', what: `\`grep -rli <rare word>\` over the ${fmtN(LARGE)} files (peer)`, target: 'search faster' },
  {
    id: 'store',
    what: `\`handoff store\` one handoff into ${fmtN(SMALL)} store (index updated)`,
    target: '≤ 2× baseline',
  },
  {
    id: 'store-again',
    what: `\`handoff store\` right after another store, ${fmtN(SMALL)} store (directory changed since the last sync)`,
    target: '—',
  },
  {
    id: 'rebuild-small',
    what: `index rebuild, ${fmtN(SMALL)} handoffs (\`list --limit 20\`, no cache db)`,
    target: '≥ 5,000/s',
  },
  {
    id: 'rebuild-large',
    what: `index rebuild, ${fmtN(LARGE)} handoffs (\`list --limit 20\`, no cache db)`,
    target: '≥ 5,000/s',
  },
  { id: 'memory', what: `peak RSS while rebuilding ${fmtN(LARGE)}`, target: '< 200 MB' },
  {
    id: 'sync',
    what: `sync after ${fmtN(EXTRA)} new files in ${fmtN(LARGE)} store (\`list --limit 20\`)`,
    target: '< 1,000 ms',
  },
  { id: 'check', what: 'cold `handoff check <file>`, one handoff', target: '≤ 2× baseline' },
  { id: 'resume', what: `cold \`handoff resume\`, ${fmtN(SMALL)} store`, target: '≤ 2× baseline' },
  { id: 'draft', what: `\`handoff draft\` in a git repo with ${fmtN(GIT_COMMITS)} commits`, target: '< 1,000 ms' },
];

if (opt.listRows) {
  for (const r of ROWS) process.stdout.write(`${r.id.padEnd(14)} ${r.what}\n`);
  process.exit(0);
}
if (opt.only) {
  for (const id of opt.only) {
    if (!ROWS.some((r) => r.id === id)) {
      process.stderr.write(`bench: no row ${id} (see --list-rows)\n`);
      process.exit(2);
    }
  }
}
const wanted = (id) => !opt.only || opt.only.has(id);

// ---------------------------------------------------------------- setup

if (!existsSync(opt.cli)) {
  process.stderr.write(`bench: ${opt.cli} not found; run \`npm run build\` first (or \`npm run bench\`)\n`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'handoff-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
// The cwd must not be inside a git repository, or the CLI would pick a repo store.
if (spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: work }).status === 0) {
  process.stderr.write(`bench: ${work} is inside a git repository; set TMPDIR to a directory outside one\n`);
  process.exit(2);
}
for (const d of ['home', 'config', 'data', 'cache', 'empty-store', 'empty-cache']) mkdirSync(join(work, d));
const baseEnv = {
  PATH: process.env.PATH,
  HOME: join(work, 'home'),
  XDG_CONFIG_HOME: join(work, 'config'),
  XDG_DATA_HOME: join(work, 'data'),
  XDG_CACHE_HOME: join(work, 'cache'),
  NO_COLOR: '1',
  LANG: 'C.UTF-8',
  TZ: 'UTC',
};

const needSmall = [
  'floor',
  'floor-all',
  'list',
  'list-limit',
  'retrieve',
  'store',
  'store-again',
  'rebuild-small',
  'check',
  'resume',
].some(wanted);
const needLarge = ['search', 'search-common', 'grep', 'rebuild-large', 'memory', 'sync'].some(wanted);

function prepareStore(n) {
  const t0 = performance.now();
  const s = cachedStore(n, n, { seed: SEED });
  if (s.generated)
    log(
      `generated ${n} handoffs (${(s.manifest.bytes / 1e6).toFixed(0)} MB) in ${Math.round(performance.now() - t0)} ms`,
    );
  const cache = join(DATA_DIR, 'cache', String(n));
  mkdirSync(cache, { recursive: true });
  return { n, dir: s.dir, manifest: s.manifest, cache, env: { ...baseEnv, HANDOFF_HOME: s.dir, HANDOFF_CACHE: cache } };
}

const extras = needLarge
  ? cachedStore(`extra-${EXTRA}`, EXTRA, {
      seed: SEED,
      start: 1_000_000,
      fromMs: END_MS,
      toMs: END_MS + 6 * 86_400_000,
    })
  : null;
const strays = new Set(extras?.manifest.files ?? []);
const small = needSmall ? prepareStore(SMALL) : null;
const large = needLarge ? prepareStore(LARGE) : null;
for (const s of [small, large]) if (s) cleanStore(s.dir, strays);

// ---------------------------------------------------------------- running

const results = [];
let baseline = null;
const spawnIn = (store, extra = {}) => ({ env: store.env, cwd: work, ...extra });
const rareWord = PLANTED[0].word;
const commonWord = PLANTED.find((p) => p.every === 100).word;

/** With --cpu-prof: profiles PROFILE_RUNS more runs of a CLI row and attaches the averaged summary. */
const PROFILE_RUNS = 5;
function profile(row, args, spawnOpts, before) {
  if (!opt.cpuProf) return;
  const dir = join(DATA_DIR, 'prof', row.id);
  ensureEmptyDir(dir);
  for (let i = 0; i < PROFILE_RUNS; i++) {
    before?.();
    timeSpawn(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, ...args],
      spawnOpts,
    );
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
  if (files.length) row.profile = { file: dir, ...summarizeProfile(files, { top: 20 }) };
}

/** The `store` rows' command, body and reset (probe files removed, index synced over exactly SMALL files). */
function storeProbe() {
  const doc = renderSyntheticHandoff(999_999, { seed: SEED, vocab: buildVocabulary() }).text;
  const body = doc.slice(doc.indexOf('\n---\n', 4) + 5);
  const args = ['store', '--name', 'bench-store-probe', '--summary', 'Benchmark probe', '--project', 'todo-api'];
  args.push('--tags', 'bench,probe');
  const reset = () => {
    cleanStore(small.dir, strays);
    checkRun(timeSpawn(process.execPath, cli(LIST20), spawnIn(small, { discard: true })), [0], 'resync');
  };
  return { args, body, reset };
}

/** Times a cold CLI command, interleaved with baseline runs (see `measure`). */
function timed(row, args, spawnOpts, extra = {}) {
  const { times, warm, base } = measure(process.execPath, cli(args), spawnOpts, { interleave: true, ...extra });
  row.times = times;
  row.base = base;
  profile(row, cli(args), spawnOpts, extra.before);
  return warm;
}

const handlers = {
  baseline(row) {
    row.times = measure(process.execPath, ['-e', '0'], { env: baseEnv, cwd: work }).times;
  },
  floor(row) {
    floorRow(row, ['20']);
  },
  'floor-all'(row) {
    floorRow(row, []);
  },
  list(row) {
    timed(row, ['list'], spawnIn(small));
  },
  'list-limit'(row) {
    timed(row, LIST20, spawnIn(small));
  },
  retrieve(row) {
    timed(row, ['retrieve', '--latest'], spawnIn(small));
  },
  search(row) {
    const warm = timed(row, ['search', rareWord], spawnIn(large));
    verifyHits(row, warm.stdout, large.manifest.planted[rareWord]);
  },
  'search-common'(row) {
    const warm = timed(row, ['search', commonWord], spawnIn(large));
    if (!warm.stdout.trim()) row.note = 'no output';
  },
  grep(row) {
    const r = measure(
      'grep',
      ['-rli', rareWord, large.dir],
      { cwd: work, env: baseEnv },
      { runs: Math.min(RUNS, 5), interleave: true },
    );
    row.times = r.times;
    row.base = r.base;
    const found = r.warm.stdout.trim().split('\n').filter(Boolean).length;
    row.note = `${found} file(s)`;
  },
  store(row) {
    const { args, body, reset } = storeProbe();
    // Each timed store starts from a synced index over exactly SMALL files, as a real `store` that
    // comes a while after the last change to the directory (see cleanStore).
    timed(row, args, spawnIn(small, { input: body }), { before: reset });
    const added = readdirSync(small.dir).filter((f) => f.includes('bench-store-probe'));
    if (added.length !== 1) row.note = `expected 1 stored file, found ${added.length}`;
    reset();
  },
  'store-again'(row) {
    const { args, body, reset } = storeProbe();
    // Stores back to back, as hooks write checkpoints: each finds the directory changed by the one
    // before (a fresh mtime, so no token can be trusted) and lists it (src/store/index-db.ts, sync).
    reset();
    timed(row, args, spawnIn(small, { input: body }));
    const added = readdirSync(small.dir).filter((f) => f.includes('bench-store-probe'));
    row.note = `${added.length} stored files`;
    reset();
  },
  'rebuild-small'(row) {
    warmFileCache(small.dir);
    const { times } = measure(process.execPath, cli(LIST20), spawnIn(small, { discard: true }), {
      runs: REBUILD_RUNS,
      before: () => ensureEmptyDir(small.cache),
    });
    row.times = times;
    row.rate = SMALL / (median(times) / 1000);
  },
  async 'rebuild-large'(row) {
    const r = await rebuildLarge();
    row.times = [r.ms];
    row.rate = LARGE / (r.ms / 1000);
  },
  async memory(row) {
    const r = await rebuildLarge();
    row.times = [r.ms];
    row.peakMB = r.peakKB / 1024;
    row.note = r.how;
  },
  sync(row) {
    warmFileCache(large.dir);
    warmFileCache(extras.dir);
    // The index must be built and synced first (rebuild-large usually did it).
    checkRun(timeSpawn(process.execPath, cli(LIST20), spawnIn(large, { discard: true })), [0], 'pre-sync list');
    const times = [];
    for (let i = 0; i < SYNC_RUNS; i++) {
      for (const f of extras.manifest.files) copyFileSync(join(extras.dir, f), join(large.dir, f));
      const r = timeSpawn(process.execPath, cli(LIST20), spawnIn(large, { discard: true }));
      checkRun(r, [0], 'list after new files');
      times.push(r.ms);
      cleanStore(large.dir, strays);
      checkRun(timeSpawn(process.execPath, cli(LIST20), spawnIn(large, { discard: true })), [0], 'resync');
    }
    row.times = times;
  },
  check(row) {
    const file = pickCheckFile();
    const warm = timed(row, ['check', file], spawnIn(small), { allow: [0, 1] });
    if (warm.status === 1) row.note = 'exit 1 (check found errors)';
  },
  resume(row) {
    timed(row, ['resume'], spawnIn(small));
  },
  draft(row) {
    const repo = cachedGitRepo(GIT_COMMITS);
    const env = { ...baseEnv, HANDOFF_HOME: join(work, 'empty-store'), HANDOFF_CACHE: join(work, 'empty-cache') };
    timed(row, ['draft'], { env, cwd: repo });
  },
};

let largeRebuild = null;
/** One rebuild of the large index, measured once and shared by the rate and memory rows. */
/**
 * Reads every file of a store once, so that a timed run finds them in the OS
 * file cache ("cold" in design.md: a new process, OS file cache warm). Rows
 * with a warm-up run get this from it; a rebuild has none, and on this kind of
 * VM the page cache does not keep the 100k store (400 MB) for long: a rebuild
 * from disk took 21 s where one from the cache took 12 s.
 */
function warmFileCache(dir) {
  for (const f of readdirSync(dir)) {
    try {
      readFileSync(join(dir, f));
    } catch {
      // A directory or a file that just vanished: nothing to warm.
    }
  }
}

async function rebuildLarge() {
  if (largeRebuild) return largeRebuild;
  ensureEmptyDir(large.cache);
  warmFileCache(large.dir);
  const args = cli(LIST20);
  const haveTime = spawnSync('/usr/bin/time', ['-v', 'true'], { encoding: 'utf8' }).stderr?.includes('Maximum');
  if (haveTime) {
    const r = timeSpawn('/usr/bin/time', ['-v', process.execPath, ...args], spawnIn(large, { discard: true }));
    checkRun(r, [0], 'rebuild');
    const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
    largeRebuild = { ms: r.ms, peakKB: kb, how: '/usr/bin/time -v' };
  } else {
    largeRebuild = await rebuildWithProcPolling(args);
  }
  return largeRebuild;
}

/** Fallback without GNU time: poll VmHWM (peak RSS so far) of the child in /proc until it exits. */
function rebuildWithProcPolling(args) {
  return new Promise((resolveRun, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { ...spawnIn(large), stdio: 'ignore' });
    let peakKB = 0;
    const timer = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKB = Math.max(peakKB, Number(m[1]));
      } catch {
        // The child exited between two polls.
      }
    }, 5);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new RowError(`rebuild: exit ${code}`));
      else resolveRun({ ms, peakKB, how: '/proc VmHWM polling' });
    });
  });
}

/** Checks that search found every planted file that is still live (expired handoffs are hidden, as designed). */
function verifyHits(row, stdout, plantedFiles) {
  const now = Date.now();
  const live = plantedFiles
    .map((f) => readFileSync(join(large.dir, f), 'utf8'))
    .filter((t) => {
      const exp = /^expires: (.+)$/m.exec(t)?.[1];
      return !exp || Date.parse(exp) > now;
    })
    .map((t) => /^id: ([0-9a-f]{8})$/m.exec(t)?.[1]);
  const missing = live.filter((id) => !stdout.includes(id));
  row.note = missing.length
    ? `${missing.length} of ${live.length} live planted hits missing`
    : `${live.length} live hit(s), all found`;
}

function pickCheckFile() {
  // A handoff with every five-field section, like one a careful agent writes.
  for (const f of small.manifest.files.slice(0, 200)) {
    const text = readFileSync(join(small.dir, f), 'utf8');
    if (text.includes('## Deferred') && !text.includes('expires:')) return join(small.dir, f);
  }
  return join(small.dir, small.manifest.files[0]);
}

/**
 * Execution order differs from table order: rows that delete an index run
 * before the rows that need it built, so no index is built twice.
 */
const EXEC_ORDER = [
  'baseline',
  'rebuild-small',
  'floor',
  'floor-all',
  'list',
  'list-limit',
  'retrieve',
  'store',
  'store-again',
  'check',
  'resume',
  'rebuild-large',
  'memory',
  'search',
  'search-common',
  'grep',
  'sync',
  'draft',
];
const started = performance.now();
for (const id of EXEC_ORDER) {
  const row = ROWS.find((r) => r.id === id);
  if (!wanted(row.id) && row.id !== 'baseline') continue;
  const t0 = performance.now();
  log(`${row.id} ...`);
  const out = { id: row.id, what: row.what, target: row.target };
  try {
    await handlers[row.id](out);
  } catch (e) {
    if (!(e instanceof RowError)) throw e;
    out.error = e.message;
  }
  if (out.times) {
    out.median = median(out.times);
    out.p90 = p90(out.times);
  }
  if (out.base?.length) out.baseMedian = median(out.base);
  if (row.id === 'baseline') baseline = out.median;
  results.push(out);
  log(`${row.id} done in ${Math.round(performance.now() - t0)} ms${out.error ? ` (ERROR ${out.error})` : ''}`);
}
results.sort((a, b) => ROWS.findIndex((r) => r.id === a.id) - ROWS.findIndex((r) => r.id === b.id));

// ---------------------------------------------------------------- verdicts

/** Rows whose target is a multiple of the baseline; others show no ratio. */
const RATIO_ROWS = new Set([
  'floor',
  'floor-all',
  'list',
  'list-limit',
  'retrieve',
  'search',
  'search-common',
  'grep',
  'store',
  'store-again',
  'check',
  'resume',
]);
const byId = Object.fromEntries(results.map((r) => [r.id, r]));
const fmtMs = (x) => (x === undefined ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
/** `grep time / search time` as words. */
const speedWords = (x) => (x >= 1 ? `search ${x.toFixed(1)}× faster` : `search ${(1 / x).toFixed(1)}× slower`);
const fmtInt = (x) => Math.round(x).toLocaleString('en-US');
for (const r of results) {
  // Median of per-pair ratios: each run is paired with the `node -e 0` run just before it, so a load
  // spike that slows both cancels out (a ratio of medians would mix runs taken under different loads).
  if (r.base?.length === r.times?.length && r.base.length > 0) r.ratio = median(r.times.map((t, i) => t / r.base[i]));
  else r.ratio = baseline && r.median !== undefined ? r.median / baseline : undefined;
  const ratioOk = (max) => {
    r.measured = `${r.ratio.toFixed(2)}×`;
    r.pass = r.ratio <= max;
  };
  if (r.error) {
    r.pass = false;
    r.measured = 'ERROR';
    continue;
  }
  switch (r.id) {
    case 'baseline':
      r.measured = `${fmtMs(r.median)} ms`;
      r.pass = null;
      break;
    case 'floor':
    case 'floor-all':
    case 'store-again':
      r.measured = `${r.ratio.toFixed(2)}×`;
      r.pass = null;
      break;
    case 'list':
    case 'list-limit':
    case 'retrieve':
      ratioOk(1.5);
      break;
    case 'search':
    case 'search-common':
    case 'store':
    case 'check':
    case 'resume':
      ratioOk(2);
      break;
    case 'grep': {
      const s = byId.search;
      r.measured = s?.median !== undefined ? speedWords(r.median / s.median) : '—';
      r.pass = s?.median !== undefined ? s.median < r.median : null;
      break;
    }
    case 'rebuild-small':
    case 'rebuild-large':
      r.measured = `${fmtInt(r.rate)}/s`;
      r.pass = r.rate >= 5000;
      break;
    case 'memory':
      r.measured = `${r.peakMB.toFixed(0)} MB`;
      r.pass = r.peakMB < 200;
      break;
    case 'sync':
    case 'draft':
      r.measured = `${fmtMs(r.median)} ms`;
      r.pass = r.median < 1000;
      break;
  }
}

// ---------------------------------------------------------------- output

const cpuModel = cpus()[0]?.model?.trim() ?? 'unknown CPU';
const header =
  `Machine: ${cpus().length} cores (${cpuModel}), ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, ` +
  `Node ${process.version}, ${process.platform} ${process.arch}; ${new Date().toISOString().slice(0, 16)}Z; ` +
  `${RUNS} runs per row after 1 warm-up${opt.quick ? ' (--quick)' : ''}. ` +
  '"baseline ms": median of `node -e 0` runs interleaved with that row\'s runs; "measured" ×: median of the ratios of each run to the baseline run just before it.';
const lines = [
  header,
  '',
  '| what | median ms | p90 ms | baseline ms | measured | target | result |',
  '|---|---:|---:|---:|---:|---|---|',
];
for (const r of results) {
  const verdict = r.error ? `ERROR: ${r.error}` : r.pass === null ? '—' : r.pass ? 'PASS' : 'FAIL';
  const note = r.note && !r.error ? ` (${r.note})` : '';
  const base = RATIO_ROWS.has(r.id) ? fmtMs(r.baseMedian) : '—';
  lines.push(
    `| ${r.what} | ${fmtMs(r.median)} | ${fmtMs(r.p90)} | ${base} | ${r.measured} | ${r.target} | ${verdict}${note} |`,
  );
}
process.stdout.write(lines.join('\n') + '\n');
for (const r of results) {
  if (!r.profile) continue;
  process.stdout.write(
    `\nProfile of ${r.id} (${r.profile.file}, ${r.profile.runs} runs), ${r.profile.totalMs.toFixed(0)} ms sampled per run:\n`,
  );
  process.stdout.write(r.profile.text + '\n');
}

const json = {
  header,
  machine: { cores: cpus().length, cpu: cpuModel, memGB: totalmem() / 2 ** 30, node: process.version },
  date: new Date().toISOString(),
  options: {
    quick: opt.quick,
    only: opt.only ? [...opt.only] : null,
    runs: RUNS,
    small: SMALL,
    large: LARGE,
    cli: opt.cli,
  },
  baselineMs: baseline,
  rows: results.map(({ profile: p, ...r }) => ({ ...r, profile: p ? p.file : undefined })),
  totalSeconds: Math.round((performance.now() - started) / 1000),
};
const out = opt.quick || opt.only ? join(DATA_DIR, 'results-partial.json') : join(HERE, 'results.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(json, null, 2) + '\n');
log(`results written to ${out} (${json.totalSeconds} s)`);
process.exitCode = results.some((r) => r.pass === false) ? 1 : 0;
