/**
 * The `stale-reference` rule's work (rules.ts keeps the rule's metadata):
 * paths named in backticks or links that do not exist in the repository.
 * A module of its own, imported only when a repository is known, so that
 * `check` and `store` outside one do not compile it. The item helpers come
 * from the caller (rules.ts): importing _items.ts here would move it out of
 * the rules' chunk into a chunk of its own, one more file for every check.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { CanonicalSection } from '../format/schema.js';
import type { numberLines, stripInlineCode, textStartLine } from './_items.js';
import { compilePhrases, PATH_CHANGE_WORDS, type PhraseMatcher } from './lexicon.js';
import type { RuleContext, RuleFinding } from './rules.js';

let pathChange: PhraseMatcher | undefined;

/** The removed/renamed/moved word lists, compiled on first use. */
function pathChangeWords(): PhraseMatcher {
  pathChange ??= compilePhrases(PATH_CHANGE_WORDS);
  return pathChange;
}

/** File extensions that make a backticked word without `/` a file name. */
export const FILE_EXTENSIONS: readonly string[] = [
  'md',
  'mdx',
  'txt',
  'rst',
  'adoc',
  'ts',
  'tsx',
  'mts',
  'cts',
  'js',
  'jsx',
  'mjs',
  'cjs',
  'json',
  'jsonc',
  'json5',
  'yaml',
  'yml',
  'toml',
  'ini',
  'cfg',
  'conf',
  'env',
  'lock',
  'py',
  'pyi',
  'ipynb',
  'go',
  'mod',
  'sum',
  'rs',
  'java',
  'kt',
  'kts',
  'scala',
  'swift',
  'm',
  'mm',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'cs',
  'fs',
  'rb',
  'php',
  'pl',
  'lua',
  'dart',
  'ex',
  'exs',
  'erl',
  'hs',
  'ml',
  'clj',
  'r',
  'jl',
  'zig',
  'nim',
  'nix',
  'sh',
  'bash',
  'zsh',
  'fish',
  'ps1',
  'bat',
  'sql',
  'prisma',
  'graphql',
  'gql',
  'proto',
  'html',
  'htm',
  'css',
  'scss',
  'sass',
  'less',
  'vue',
  'svelte',
  'astro',
  'xml',
  'csv',
  'tsv',
  'gradle',
  'tf',
  'tfvars',
  'hcl',
  'dockerfile',
  'svg',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'pdf',
  'wasm',
  'plist',
  'xcconfig',
  'pbxproj',
  'storyboard',
  'sln',
  'csproj',
  'cmake',
  'mk',
  'ejs',
  'hbs',
  'njk',
  'liquid',
];
const EXT_RE = new RegExp(`\\.(?:${FILE_EXTENSIONS.join('|')})$`, 'i');
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'out',
  'target',
  'vendor',
  '.venv',
  'venv',
  '__pycache__',
  '.next',
  '.cache',
  'coverage',
]);
const WALK_LIMIT = 50_000;

/**
 * Relative paths of the files and directories of a repository: what git
 * tracks plus untracked files it does not ignore (so build output and data
 * directories do not count), else a bounded directory walk; null when too large.
 */
async function listRepository(root: string): Promise<string[] | null> {
  const { gitOutput } = await import('../_git.js');
  const out = await gitOutput(['ls-files', '--cached', '--others', '--exclude-standard', '-z'], root);
  if (out !== null) {
    const files = out.split('\0').filter((f) => f !== '');
    if (files.length > WALK_LIMIT * 4) return null;
    const all = new Set(files);
    for (const f of files) {
      for (let i = f.indexOf('/'); i !== -1; i = f.indexOf('/', i + 1)) all.add(f.slice(0, i));
    }
    return [...all];
  }
  return walkDirectory(root);
}

function walkDirectory(root: string): string[] | null {
  const out: string[] = [];
  const stack = [''];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (SKIP_DIRS.has(e.name)) continue;
      const rel = dir ? `${dir}/${e.name}` : e.name;
      out.push(rel);
      if (out.length > WALK_LIMIT) return null;
      if (e.isDirectory()) stack.push(rel);
    }
  }
  return out;
}

/**
 * A path-like reference cleaned for lookup, or null when it is not one
 * (URL, glob, placeholder, command, package name, absolute path outside the
 * repository, home directory).
 */
function cleanReference(raw: string, repoRoot: string): string | null {
  let p = raw.trim().replace(/^["'<]+|["'>]+$/g, '');
  if (p === '' || /\s/.test(p)) return null; // commands and prose
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) || /^(?:mailto|data|javascript|node|npm|git|file|urn):/i.test(p)) return null;
  if (p.startsWith('#') || p.startsWith('@') || p.startsWith('~') || p.startsWith('$')) return null;
  p = p
    .replace(/#.*$/, '') // #L10, #anchor
    .replace(/\?.*$/, '')
    .replace(/(?::\d+(?:[-–]\d+)?)+$/, '') // :12, :12-40, :12:5
    .replace(/[.,;:)\]]+$/, '');
  if (/%[0-9A-F]{2}/i.test(p)) {
    try {
      p = decodeURIComponent(p);
    } catch {
      return null;
    }
  }
  if (/[*?[\]{}<>$%|=!^]|\.\.\.|…|XXX|YYYY|\bNNN\b/.test(p)) return null; // globs, placeholders, expressions
  if (/^[A-Za-z]:[\\/]/.test(p) || p.startsWith('/') || p.startsWith('\\\\')) {
    // Absolute: only checkable inside the repository.
    const abs = p.replace(/\\/g, '/');
    const root = repoRoot.replace(/\\/g, '/').replace(/\/$/, '');
    if (abs.toLowerCase().startsWith(`${root.toLowerCase()}/`)) return abs.slice(root.length + 1);
    return null;
  }
  p = p.replace(/\\/g, '/').replace(/^\.\//, '');
  if (p.includes(':')) return null; // `module:function`, `host:port`, `ref:path`
  if (!p.includes('/') && !EXT_RE.test(p)) return null;
  if (/^\d+(?:\.\d+)+$/.test(p) || /^v\d/.test(p)) return null; // versions
  return p;
}

const FUTURE_SECTIONS: ReadonlySet<CanonicalSection | null> = new Set(['next_steps', 'deferred']);

/**
 * Findings of `stale-reference` for `ctx`: each path that resolves neither
 * from `root` nor from the handoff's directory nor anywhere in the
 * repository's listing, at its line. Paths in Next Steps and Deferred, and
 * on lines that say they were removed or renamed, are not checked.
 *
 * @param root the repository root (exists)
 * @param items the line helpers of _items.ts
 */
export async function staleReferences(
  ctx: RuleContext,
  root: string,
  items: {
    numberLines: typeof numberLines;
    stripInlineCode: typeof stripInlineCode;
    textStartLine: typeof textStartLine;
  },
): Promise<RuleFinding[]> {
  const { numberLines, stripInlineCode, textStartLine } = items;
  const fileDir = ctx.path ? dirname(isAbsolute(ctx.path) ? ctx.path : resolve(root, ctx.path)) : null;
  // First the cheap part: references that do not resolve from the root or the handoff's directory.
  const unresolved: Array<{ p: string; line: number }> = [];
  const seen = new Set<string>();
  for (const section of ctx.doc.sections) {
    if (FUTURE_SECTIONS.has(section.canonical)) continue;
    for (const l of numberLines(section.text, textStartLine(section))) {
      // The words around the paths decide ("Removed `a.ts`"), not the paths themselves (`missing.md`).
      if (l.code || pathChangeWords().test(stripInlineCode(l.text).replace(/\]\([^)]*\)/g, ']'))) continue;
      const refs = [...l.text.matchAll(/`([^`\n]+)`/g), ...l.text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)];
      for (const m of refs) {
        const p = cleanReference(m[1] ?? '', root);
        if (!p || seen.has(p)) continue;
        seen.add(p);
        if (p.split('/').includes('..') && !fileDir) continue;
        if (existsSync(join(root, p)) || (fileDir && existsSync(join(fileDir, p)))) continue;
        if (fileDir && relative(root, resolve(fileDir, p)).startsWith(`..${sep}`)) continue; // outside the repo
        // Without an extension only a path under an existing top-level entry is clearly a repository
        // path (`feat/login` is a branch, `owner/repo` a repository).
        if (!EXT_RE.test(p) && !existsSync(join(root, p.split('/')[0] ?? ''))) continue;
        unresolved.push({ p, line: l.line });
      }
    }
  }
  if (unresolved.length === 0) return [];
  // Relative to a sub-project, or a bare file name: found anywhere in the repository is fine.
  const listing = await listRepository(root);
  if (listing === null) return []; // too large to know: never guess
  return unresolved
    .filter(({ p }) => p.startsWith('../') || !listing.some((f) => f === p || f.endsWith(`/${p}`)))
    .map(({ p, line }) => ({
      line,
      message: `\`${p}\` does not exist in the repository: fix the path, or say it was removed or renamed`,
    }));
}
