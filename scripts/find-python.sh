#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 needs Python < 3.11).
# Order: $PYTHON if set, pyenv's 3.10.x, python3.10 on PATH, python3 if it is 3.10.
set -euo pipefail

is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }

if [ -n "${PYTHON:-}" ]; then
  if is_310 "$PYTHON"; then echo "$PYTHON"; exit 0; fi
  echo "PYTHON=$PYTHON is not a working Python 3.10 interpreter." >&2; exit 1
fi
if command -v pyenv >/dev/null 2>&1; then
  for candidate in $(ls -d "$(pyenv root)"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V -r); do
    if is_310 "$candidate"; then echo "$candidate"; exit 0; fi
  done
fi
for candidate in python3.10 python3; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if is_310 "$path"; then echo "$path"; exit 0; fi
done
cat >&2 <<'MSG'
Python 3.10 was not found (Rasa Open Source 3.6 requires Python 3.10 or older).
Install it, for example:
  pyenv install 3.10.13            (with pyenv)
  apt-get install python3.10 python3.10-venv   (Debian/Ubuntu with a 3.10 package)
or point to one explicitly:  make run PYTHON=/path/to/python3.10
MSG
exit 1
