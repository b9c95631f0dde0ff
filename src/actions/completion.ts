// drill completion <shell>: a completion script built from the commands the entry wired, with
// the practices' numbers and names for the commands that take one.
import { loadPractices } from "../core/catalog/practices.js";
import { DrillError } from "../system/errors.js";

export interface CompletableCommand {
  name: string;
  description: string;
  options: string[];
  takesPractice: boolean;
  takesRequirement: boolean;
}

const SHELLS = ["bash", "zsh", "fish"] as const;
type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell, commands: CompletableCommand[], practices: string[]): string {
  const names = commands.map((c) => c.name).join(" ");
  const withPractice = commands.filter((c) => c.takesPractice).map((c) => c.name);
  if (shell === "bash") {
    const cases = commands.map((c) => `    ${c.name}) opts="${c.options.join(" ")}" ;;`).join("\n");
    return `# drill completion for bash: drill completion bash >> ~/.bashrc
_drill() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" command="\${COMP_WORDS[1]}" opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names} --help --version" -- "$cur") )
    return
  fi
  case "$command" in
${cases}
  esac
  case "$cur" in
    -*) COMPREPLY=( $(compgen -W "$opts --help" -- "$cur") ) ;;
    *) case " ${withPractice.join(" ")} " in
         *" $command "*) COMPREPLY=( $(compgen -W "${practices.join(" ")}" -- "$cur") ) ;;
         *) COMPREPLY=( $(compgen -f -- "$cur") ) ;;
       esac ;;
  esac
}
complete -o default -F _drill drill
`;
  }
  if (shell === "zsh") {
    const described = commands.map((c) => `    '${c.name}:${c.description.replace(/'/g, "'\\''").replace(/:/g, "\\:")}'`).join("\n");
    const cases = commands.map((c) => `    ${c.name}) opts=(${c.options.join(" ")} --help) ;;`).join("\n");
    return `#compdef drill
# drill completion for zsh: drill completion zsh > "\${fpath[1]}/_drill", then restart zsh
_drill() {
  local -a commands opts
  commands=(
${described}
  )
  if (( CURRENT == 2 )); then
    _describe 'drill command' commands
    return
  fi
  case "$words[2]" in
${cases}
  esac
  if [[ "$words[CURRENT]" == -* ]]; then
    compadd -- $opts
  elif [[ " ${withPractice.join(" ")} " == *" $words[2] "* ]]; then
    compadd -- ${practices.join(" ")}
  else
    _files
  fi
}
# Autoloaded from $fpath this file is the completion function's first call; sourced, it registers it.
if [ "$funcstack[1]" = "_drill" ]; then _drill "$@"; else compdef _drill drill; fi
`;
  }
  const lines = [
    "# drill completion for fish: drill completion fish > ~/.config/fish/completions/drill.fish",
    "complete -c drill -f",
    ...commands.map((c) => `complete -c drill -n __fish_use_subcommand -a ${c.name} -d '${c.description.replace(/'/g, "\\'")}'`),
    ...commands.flatMap((c) =>
      c.options
        .filter((o) => o.startsWith("--"))
        .map((o) => `complete -c drill -n '__fish_seen_subcommand_from ${c.name}' -l ${o.slice(2)}`),
    ),
    ...(withPractice.length
      ? [`complete -c drill -n '__fish_seen_subcommand_from ${withPractice.join(" ")}' -a '${practices.join(" ")}'`]
      : []),
  ];
  return `${lines.join("\n")}\n`;
}

export function runCompletionCommand(shell: string, commands: CompletableCommand[]): void {
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new DrillError("usage", `drill completion takes bash, zsh or fish, not "${shell}"`);
  }
  const practices = loadPractices().flatMap((p) => [p.id, p.slug]);
  process.stdout.write(completionScript(shell as Shell, commands, practices));
}
