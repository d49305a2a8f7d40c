#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine for PK Portal: the system libraries WeasyPrint needs,
# the fonts of KPU documents, Chromium for the browser tests (with --browser), and the
# project's virtual environment from requirements.lock. Safe to run again: it only does what
# is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

missing=()
have_lib() { ldconfig -p 2>/dev/null | grep "$1" >/dev/null; }
have_font() { fc-list 2>/dev/null | grep -i "$1" >/dev/null; }
have_lib 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
have_font 'Liberation Sans' || missing+=(fonts-liberation2)
have_font 'URW Bookman' || missing+=(fonts-urw-base35)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ "$want_browser" = 1 ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  # axe-core and the Nu HTML checker of the browser tests come from npm (package-lock.json);
  # the checker runs on Java.
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  # pdftotext and pdffonts: the document tests read the text layer and the fonts of real PDFs.
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  # makemessages, msgattrib and msgfmt: the translation tests make the catalogue again.
  command -v msgattrib >/dev/null 2>&1 || missing+=(gettext)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing system packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else
    echo "!! Needs root to install: ${missing[*]} (run: sudo apt-get install -y ${missing[*]})" >&2
    sudo="unavailable"
  fi
  if [ "$sudo" != "unavailable" ]; then
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

python=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    python="$candidate"; break
  fi
done
[ -n "$python" ] || { echo "!! PK Portal needs Python 3.11 or newer." >&2; exit 1; }

lock_hash=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  echo "==> Installing Python packages into .venv (with $($python --version))"
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.lock
  echo "$lock_hash" > .venv/.lock-hash
fi
mkdir -p var

if [ "$want_browser" = 1 ]; then
  npm_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -d node_modules ] || [ "$(cat node_modules/.lock-hash 2>/dev/null)" != "$npm_hash" ]; then
    echo "==> Installing the browser tests' checkers into node_modules (axe-core, vnu-jar)"
    # --ignore-scripts: vnu-jar's install script would download a Java; Debian's is used.
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$npm_hash" > node_modules/.lock-hash
  fi
fi
