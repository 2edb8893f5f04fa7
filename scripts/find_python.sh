#!/usr/bin/env bash
# find_python.sh 3.10 -> prints the path of a Python of exactly that version, looking in
# PATH, pyenv and uv; exits 1 with advice when there is none.
set -uo pipefail
want=${1:?usage: find_python.sh MAJOR.MINOR}

is_version() { "$1" -c "import sys; sys.exit('%d.%d' % sys.version_info[:2] != '$want')" 2>/dev/null; }

for candidate in "python$want" python3 python; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if is_version "$path"; then echo "$path"; exit 0; fi
done

pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
if command -v pyenv >/dev/null 2>&1; then pyenv_root=$(pyenv root 2>/dev/null || echo "$pyenv_root"); fi
for candidate in "$pyenv_root"/versions/"$want".*/bin/python; do
  if [ -x "$candidate" ] && is_version "$candidate"; then echo "$candidate"; exit 0; fi
done

if command -v uv >/dev/null 2>&1; then
  candidate=$(uv python find "$want" 2>/dev/null || true)
  if [ -n "$candidate" ] && [ -x "$candidate" ] && is_version "$candidate"; then echo "$candidate"; exit 0; fi
fi

echo "Python $want niet gevonden (gezocht in PATH, pyenv in $pyenv_root en uv)." >&2
echo "Installeer het met 'pyenv install $want' of 'uv python install $want' en start de set-up opnieuw." >&2
exit 1
