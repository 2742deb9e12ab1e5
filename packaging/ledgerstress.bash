# bash completion for ledgerstress (installed as
# share/bash-completion/completions/ledgerstress). Everything it offers comes
# from the program being completed, so it cannot drift from it:
#   commands              `ledgerstress --help` ("commands:")
#   options               `ledgerstress CMD --help`
#   scenario names        `ledgerstress list scenarios --names` (the search path)
#   case keys (--set, --vary)  `ledgerstress list case-keys --names`
#   list's WHAT, db's action   `ledgerstress list --help`, `ledgerstress db --help`
# plus *.toml files for scenarios, *.json for compare, directories for
# --report-dir and --dir.

_ledgerstress_words() {  # PROGRAM ARGS...: the program's output, stderr dropped
  "$@" 2>/dev/null
}

_ledgerstress() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null; then
    _init_completion -n = || return
  else
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
  fi
  local ls=${words[0]} cmd="" i
  for ((i = 1; i < cword; i++)); do
    [[ ${words[i]} != -* ]] && { cmd=${words[i]}; break; }
  done

  if [[ -z $cmd ]]; then
    local commands
    commands=$(_ledgerstress_words "$ls" --help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }')
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi

  case $prev in
    --set | --vary)
      local keys
      keys=$(_ledgerstress_words "$ls" list case-keys --names | sed '/\.$/!s/$/=/')
      COMPREPLY=($(compgen -W "$keys" -- "$cur"))
      compopt -o nospace 2>/dev/null
      return
      ;;
    --report-dir | --dir)
      COMPREPLY=($(compgen -d -- "$cur"))
      return
      ;;
    --format)
      COMPREPLY=($(compgen -W "json html junit md json,html json,html,junit,md text" -- "$cur"))
      return
      ;;
    --dsn | --seed | --schedule | --repeat | --case | --p99-budget | --tolerance | --fail-on | --alpha | --max-connections)
      return
      ;;
  esac

  if [[ $cur == -* ]]; then
    local options
    options=$(_ledgerstress_words "$ls" "$cmd" --help | sed -n 's/^  \(-[a-zA-Z] \[ \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p')
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
    return
  fi

  case $cmd in
    run | sweep | validate)
      local names
      names=$(_ledgerstress_words "$ls" list scenarios --names)
      COMPREPLY=($(compgen -W "$names" -- "$cur") $(compgen -f -X '!*.toml' -- "$cur") $(compgen -d -S / -- "$cur"))
      [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]] && compopt -o nospace 2>/dev/null
      ;;
    list | db)
      local what
      what=$(_ledgerstress_words "$ls" "$cmd" --help | sed -n "s/^usage: ledgerstress $cmd \([a-z|-]*\).*/\1/p" | tr '|' ' ')
      COMPREPLY=($(compgen -W "$what" -- "$cur"))
      ;;
    compare | merge)
      COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -S / -- "$cur"))
      [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]] && compopt -o nospace 2>/dev/null
      ;;
  esac
}
complete -F _ledgerstress ledgerstress
