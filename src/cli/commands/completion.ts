/** `handoff completion bash|zsh|fish`: a completion script generated from the command table. */
import { UsageError } from '../../errors.js';
import { COMMANDS, GLOBAL_OPTIONS } from '../program.js';
import type { CommandRun } from '../types.js';

const GLOBAL = GLOBAL_OPTIONS.map((o) => `--${o.name}`);
const TOP = [...new Set(COMMANDS.map((c) => c.name.split(' ')[0]!))];

/** Words offered after a top-level command: its subcommands, its options, the global options. */
function wordsFor(top: string): string[] {
  const specs = COMMANDS.filter((c) => c.name === top || c.name.startsWith(`${top} `));
  const subs = specs.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[1]!);
  const flags = specs.flatMap((c) => c.options.map((o) => `--${o.name}`));
  return [...new Set([...subs, ...flags, ...GLOBAL])];
}

function bash(): string {
  const cases = TOP.map((c) => `    ${c}) opts="${wordsFor(c).join(' ')}" ;;`).join('\n');
  return `# bash completion for handoff
_handoff() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="\${COMP_WORDS[1]}" opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${TOP.join(' ')} ${GLOBAL.join(' ')}" -- "$cur") ); return
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

function fish(): string {
  const lines = [
    '# fish completion for handoff',
    `complete -c handoff -f -n __fish_use_subcommand -a "${TOP.join(' ')}"`,
  ];
  for (const c of COMMANDS) {
    const top = c.name.split(' ')[0]!;
    for (const o of c.options) {
      lines.push(
        `complete -c handoff -n "__fish_seen_subcommand_from ${top}" -l ${o.name} -d ${JSON.stringify(o.description)}`,
      );
    }
  }
  for (const o of GLOBAL_OPTIONS) lines.push(`complete -c handoff -l ${o.name} -d ${JSON.stringify(o.description)}`);
  return `${lines.join('\n')}\n`;
}

export const run: CommandRun = async (io, args) => {
  const shell = args[0];
  const script =
    shell === 'bash'
      ? bash()
      : shell === 'zsh'
        ? `#compdef handoff\n# zsh completion for handoff (through bashcompinit)\nautoload -U +X bashcompinit && bashcompinit\n${bash()}`
        : shell === 'fish'
          ? fish()
          : null;
  if (!script) throw new UsageError(`unknown shell '${shell ?? ''}': use bash, zsh or fish`);
  io.out(script);
  return 0;
};
