#!/usr/bin/env bash
# Renders the seven seed PKs (agreements/seed_data/) as the product prints them: one PDF of the
# whole PK each, and a PNG of every page, in var/seed-pdfs/ (git-ignored), to set beside the
# scanned originals in the seeds. Uses its own SQLite database and media folder in that
# directory, so it never touches the development database. Installs poppler-utils (pdftoppm)
# when it is missing and we are root.
#
#   scripts/render_seeds.sh            # 80 dpi PNGs
#   DPI=150 scripts/render_seeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."

out="var/seed-pdfs"
dpi="${DPI:-80}"
python=".venv/bin/python"
[ -x "$python" ] || python="python3"

if ! command -v pdftoppm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null 2>&1 || {
      apt-get update -qq && apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null
    }
  else
    echo "!! pdftoppm is missing: sudo apt-get install -y poppler-utils" >&2
    exit 1
  fi
fi

mkdir -p "$out"
rm -rf "$out"/*.pdf "$out"/*.png "$out/media" "$out"/seeds.sqlite3*

DATABASE_URL="sqlite:///$PWD/$out/seeds.sqlite3" MEDIA_ROOT="$PWD/$out/media" \
  "$python" - "$out" <<'PY'
import os
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pk_portal.settings")
import django

django.setup()

from django.core.management import call_command

from agreements.documents import render_pdf
from agreements.seeds import load_seed, manifest
from organisations.demo import load_organisation_demo

out = Path(sys.argv[1])
call_command("migrate", verbosity=0)
load_organisation_demo()
for seed in manifest():
    agreement = load_seed(seed)
    target = out / f"{Path(seed.file).stem}.pdf"
    target.write_bytes(render_pdf(agreement, "lengkap"))
    print(f"{target}  ({agreement.indicator_count()} indicators)")
PY

for pdf in "$out"/*.pdf; do
  pdftoppm -r "$dpi" -png "$pdf" "${pdf%.pdf}"
done
echo "==> $(ls "$out"/*.pdf | wc -l) PDFs and $(ls "$out"/*.png | wc -l) PNG pages in $out/"
