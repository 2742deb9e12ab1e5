#!/usr/bin/env bash
# Prints, one a line, what bash completion offers for a command line, as
# when TAB is pressed at its end:
#   complete.sh COMPLETION_FILE WORD...     (a trailing "" completes a new word)
# COMPLETION_FILE is the script to load, or "installed" for the one
# bash-completion finds for `ledgerstress` (share/bash-completion/completions).
set -uo pipefail
file=$1
shift
source /usr/share/bash-completion/bash_completion
if [[ $file == installed ]]; then
  _completion_loader ledgerstress
else
  source "$file"
fi
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
func=$(complete -p ledgerstress | sed -n 's/.*-F \([^ ]*\).*/\1/p')
[[ -n $func ]] || { echo "complete.sh: no completion function for ledgerstress" >&2; exit 1; }
COMPREPLY=()
"$func" ledgerstress "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
