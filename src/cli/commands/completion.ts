/** `handoff completion bash|zsh|fish`: a static completion script for the commands and their flags. */
import { UsageError } from '../../errors.js';
import type { CommandRun } from '../types.js';

const COMMANDS: Record<string, string[]> = {
  store: ['--name', '--summary', '--ttl', '--project', '--tags', '--work-type', '--parent', '--agent', '--file', '--redact'],
  retrieve: ['--name', '--latest', '--project', '--format', '--all'],
  list: ['--project', '--tag', '--name', '--since', '--all', '--limit'],
  search: ['--section', '--project', '--tag', '--name', '--since', '--all', '--limit'],
  gc: ['--dry-run'],
  rm: [],
  check: ['--profile'],
  draft: ['--work-type', '--tests', '--transcript', '--name', '--summary', '--output'],
  resume: ['--budget', '--format', '--branch', '--after-compaction'],
  decisions: ['--project', '--all'],
  import: ['--from', '--redact', '--project', '--dry-run'],
  export: ['--format', '--project'],
  init: ['--agent', '--dry-run'],
  hooks: ['install', 'uninstall', '--scope', '--dry-run'],
  hook: ['--agent'],
  mcp: [],
  edit: [],
  doctor: [],
  completion: ['bash', 'zsh', 'fish'],
};
const GLOBAL = ['--json', '--global', '--rescan', '--debug', '--help', '--version'];

function bash(): string {
  const cases = Object.entries(COMMANDS)
    .map(([c, f]) => `    ${c}) opts="${[...f, ...GLOBAL].join(' ')}" ;;`)
    .join('\n');
  return `# bash completion for handoff
_handoff() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="\${COMP_WORDS[1]}" opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${Object.keys(COMMANDS).join(' ')} ${GLOBAL.join(' ')}" -- "$cur") ); return
  fi
  case "$cmd" in
${cases}
    *) opts="${GLOBAL.join(' ')}" ;;
  esac
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}
complete -o default -F _handoff handoff
`;
}

function zsh(): string {
  return `#compdef handoff
# zsh completion for handoff (uses the bash completion through bashcompinit)
autoload -U +X bashcompinit && bashcompinit
${bash()}`;
}

function fish(): string {
  const lines = ['# fish completion for handoff', `complete -c handoff -f -n __fish_use_subcommand -a "${Object.keys(COMMANDS).join(' ')}"`];
  for (const [c, flags] of Object.entries(COMMANDS)) {
    for (const f of flags.filter((x) => x.startsWith('--'))) lines.push(`complete -c handoff -n "__fish_seen_subcommand_from ${c}" -l ${f.slice(2)}`);
  }
  for (const f of GLOBAL) lines.push(`complete -c handoff -l ${f.slice(2)}`);
  return `${lines.join('\n')}\n`;
}

export const run: CommandRun = async (io, args) => {
  const shell = args[0];
  const script = shell === 'bash' ? bash() : shell === 'zsh' ? zsh() : shell === 'fish' ? fish() : null;
  if (!script) throw new UsageError(`unknown shell '${shell ?? ''}': use bash, zsh or fish`);
  io.out(script);
  return 0;
};
