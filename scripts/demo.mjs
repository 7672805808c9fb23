// The built-in example: stores the handoffs in examples/ into a temporary
// user store, then lists, searches, retrieves, checks and resumes them with
// the built CLI, printing its real output. Nothing outside the temp dir is touched.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'handoff.cjs');
const home = mkdtempSync(join(tmpdir(), 'handoff-demo-'));
const env = {
  ...process.env,
  HANDOFF_HOME: join(home, 'store'),
  HANDOFF_CACHE: join(home, 'cache'),
  XDG_CONFIG_HOME: join(home, 'config'),
  HANDOFF_AGENT: 'demo',
};

function handoff(args, input) {
  const shown = `$ handoff ${args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}`;
  process.stdout.write(`\n${shown}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: home, env, input, encoding: 'utf8' });
  process.stdout.write(r.stdout);
  if (r.stderr.trim()) process.stdout.write(`${r.stderr.trimEnd().replace(/^/gm, '  (stderr) ')}\n`);
  if (r.status !== 0 && !(args[0] === 'check' && r.status === 1)) {
    process.stdout.write(`exit code ${r.status}\n`);
    process.exitCode = 1;
  }
  return r.stdout.trim();
}

const ids = [];
const meta = {
  '01-auth.md': [
    '--name',
    'todo-api-auth',
    '--summary',
    'JWT auth done, rate limiting half wired',
    '--tags',
    'api,auth',
  ],
  '02-tasks.md': [
    '--name',
    'todo-api-state',
    '--summary',
    'Task CRUD in progress, PATCH validation failing',
    '--tags',
    'api,crud',
    '--ttl',
    '14d',
  ],
  '03-release.md': ['--name', 'release-notes', '--summary', 'Release pipeline for v0.3.0', '--tags', 'release'],
};
for (const file of readdirSync(join(root, 'examples')).sort()) {
  const content = readFileSync(join(root, 'examples', file), 'utf8');
  ids.push(handoff(['store', '--project', 'todo-api', ...(meta[file] ?? [])], content));
}
handoff(['list']);
handoff(['search', 'row locks']);
handoff(['search', '--section', 'decisions', 'image']);
handoff(['retrieve', ids[1].slice(0, 4)]);
handoff(['retrieve', '--name', 'todo-api-auth', '--json']);
handoff(['check', ids[1]]);
handoff(['check', '-'], '## Decisions\n- Use Redis\n\n## Next Steps\n1. Continue working on the API, fix stuff etc.\n');
handoff(['decisions']);
handoff(['resume', '--budget', '600']);
rmSync(home, { recursive: true, force: true });
process.stdout.write(
  `\nDemo done: ${ids.length} handoffs stored, listed, searched, retrieved and resumed in a temporary store.\n`,
);
