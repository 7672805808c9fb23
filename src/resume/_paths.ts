/**
 * Paths a handoff names, and which of them no longer exist in the
 * repository ("Stale references" in the resume prompt; design.md, "Resume").
 *
 * Deliberately strict, because a false "stale" sends the next session
 * hunting for a file that was never meant literally: a candidate must
 * contain a `/` and either end in a known file extension or name, or be
 * written as code (backticks). Bare names without a directory (`handler.go`)
 * are skipped: they are often relative to a package, not the root.
 * URLs, globs, placeholders, home/variable paths and paths outside the
 * repository are skipped too.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { linesOutsideFences } from './_text.js';

const EXTENSIONS = new Set(
  (
    'ts tsx mts cts js jsx mjs cjs json jsonc json5 md mdx markdown yml yaml toml py pyi rs go java kt kts swift c h cc ' +
    'cpp cxx hpp hh cs fs rb php sh bash zsh fish ps1 bat sql html htm css scss sass less vue svelte astro txt csv tsv ' +
    'lock xml gradle ini cfg conf env tf hcl proto graphql gql lua dart ex exs erl hrl hs ml mli clj cljs scala sc r ' +
    'jl nim zig sol ipynb pdf png jpg jpeg svg gif webp ico mk cmake rst adoc tex lean el vim nix prisma wasm db ' +
    'sqlite plist pbxproj xcconfig storyboard xib gd tscn tres godot uproject cfm pl pm t'
  ).split(' '),
);
const NAMES = new Set(
  'Makefile Dockerfile Containerfile Procfile Gemfile Rakefile Justfile Jenkinsfile Vagrantfile LICENSE README CHANGELOG'.split(
    ' ',
  ),
);

/** First segments of branch names and remote refs, which look like directory paths. */
const BRANCH_PREFIXES = new Set(
  'origin upstream refs heads remotes feat feature features fix bugfix hotfix release releases chore docs-branch wip dev claude codex cursor copilot'.split(
    ' ',
  ),
);

/** Things that look like paths in running text: `dir/file.ext`, `./x`, `a/b/c/`. */
const BARE = /(?<![\w@$~:/.-])(?:\.{1,2}\/)?[\w@.+-]+(?:\/[\w@.+-]+)+\/?/g;
const CODE_SPAN = /`([^`\n]+)`/g;

/**
 * Repository-relative paths named in `text` (in order of first mention,
 * without duplicates, `./` and trailing `:line`/`#L12` removed).
 * Fenced code blocks are skipped.
 */
export function extractPaths(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (raw: string, quoted: boolean) => {
    const p = cleanPath(raw, quoted);
    if (p !== null && !seen.has(p)) {
      seen.add(p);
      out.push(p);
    }
  };
  for (const line of linesOutsideFences(text.split('\n'))) {
    for (const m of line.matchAll(CODE_SPAN)) add(m[1]!, true);
    const rest = line.replace(CODE_SPAN, ' ');
    for (const m of rest.matchAll(BARE)) add(m[0], false);
  }
  return out;
}

function cleanPath(raw: string, quoted: boolean): string | null {
  let p = raw.trim();
  if (p === '' || /\s/.test(p)) return null;
  if (/:\/\/|^www\.|^[a-z]+:(?!\d)|^[~$%]|[*?{}<>[\]|"'`\\]|^@[\w-]+\/[\w.-]+$/i.test(p)) return null;
  p = p.replace(/#L?\d+(?:-L?\d+)?$/, '').replace(/(?::\d+(?:-\d+)?){1,2}$/, '');
  p = p.replace(/[.,;:!)]+$/, '');
  if (p.startsWith('./')) p = p.slice(2);
  if (!p.includes('/') || p === '/' || p.startsWith('//')) return null;
  const segments = p.split('/').filter((s) => s !== '');
  const last = segments[segments.length - 1] ?? '';
  const dot = last.lastIndexOf('.');
  const ext = dot >= 0 && last.length > 1 ? last.slice(dot + 1).toLowerCase() : '';
  const fileLike = EXTENSIONS.has(ext) || NAMES.has(last) || NAMES.has(last.split('.')[0] ?? '');
  if (!fileLike) {
    // Without a file extension only code-formatted directory paths count
    // (`src/resume/`, `packages/api/src`); running text like "and/or" or
    // "TCP/IP" and branch names like `feat/x` or `origin/main` do not.
    const dirShaped = (p.endsWith('/') && /\w/.test(segments[0] ?? '')) || segments.length >= 3;
    if (!quoted || !dirShaped || BRANCH_PREFIXES.has(segments[0]!) || /^\d/.test(last)) return null;
  }
  return p;
}

/**
 * The paths of `paths` that do not exist under `repoRoot`. Absolute paths are
 * checked only when inside the repository; paths that would leave it (`..`)
 * are skipped. At most `limit` paths are checked (stat calls on a hot path).
 */
export function findStalePaths(paths: readonly string[], repoRoot: string, limit = 200): string[] {
  const stale: string[] = [];
  for (const p of paths.slice(0, limit)) {
    let rel = p;
    if (isAbsolute(p)) {
      rel = relative(repoRoot, p);
      if (rel.startsWith('..') || isAbsolute(rel)) continue;
    }
    const norm = normalize(rel);
    if (norm.startsWith(`..${sep}`) || norm === '..') continue;
    if (!existsSync(join(repoRoot, norm))) stale.push(p);
  }
  return stale;
}
