#!/usr/bin/env bash
# Debian packages the tests need and PyPI cannot give: Chromium, which Playwright drives for the
# browser tests (browsers are never downloaded). Installs only what is missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  run=()
elif command -v sudo >/dev/null 2>&1; then
  run=(sudo)
else
  echo "Debian's chromium package is needed for the browser tests: apt-get install chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -q
"${run[@]}" apt-get install -y -q chromium
