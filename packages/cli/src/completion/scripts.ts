/**
 * @module `tradai completion bash|zsh|fish`: a completion script made from the command tree, so it
 * knows every command and option this CLI has. A word counts as a command when it extends the
 * path of commands so far; option values and arguments are skipped over.
 */
import type { CompletionNode } from "./command-tree.js";

const quoteSh = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

export function bashScript(nodes: readonly CompletionNode[]): string {
  const cases = nodes
    .map((n) => `    ${quoteSh(n.path)}) echo ${quoteSh([...n.commands, ...n.options].join(" "))} ;;`)
    .join("\n");
  const paths = nodes.filter((n) => n.path).map((n) => quoteSh(n.path));
  return `# tradai completion for bash: eval "$(tradai completion bash)" (e.g. in ~/.bashrc)
_tradai_words() {
  case "$1" in
${cases}
  esac
}
_tradai_is_command() {
  case "$1" in
    ${paths.join("|")}) return 0 ;;
  esac
  return 1
}
_tradai() {
  # Not "path": in zsh that is the array tied to PATH.
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath="" next i
  # An index loop (zsh's bash emulation has no array slices).
  for ((i = 1; i < COMP_CWORD; i++)); do
    next="\${cmdpath:+$cmdpath }\${COMP_WORDS[i]}"
    if _tradai_is_command "$next"; then cmdpath="$next"; fi
  done
  COMPREPLY=($(compgen -W "$(_tradai_words "$cmdpath")" -- "$cur"))
}
complete -F _tradai tradai
`;
}

/** zsh runs the bash script through its bash-completion emulation. */
export function zshScript(nodes: readonly CompletionNode[]): string {
  return `# tradai completion for zsh: eval "$(tradai completion zsh)" (e.g. in ~/.zshrc)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashScript(nodes).split("\n").slice(1).join("\n")}`;
}

export function fishScript(nodes: readonly CompletionNode[]): string {
  const cases = nodes
    .map(
      (n) =>
        `    case ${quoteSh(n.path)}\n        printf '%s\\n' ${[...n.commands, ...n.options].map(quoteSh).join(" ")}`,
    )
    .join("\n");
  return `# tradai completion for fish: tradai completion fish > ~/.config/fish/completions/tradai.fish
function __tradai_words
    switch $argv[1]
${cases}
    end
end
function __tradai_path
    set -l path ''
    for word in (commandline -opc)[2..-1]
        set -l next (string trim -- "$path $word")
        if test -n "$(__tradai_words $next)"
            set path $next
        end
    end
    echo $path
end
complete -c tradai -f -a '(__tradai_words (__tradai_path))'
`;
}
