"""The start-up every bench script shares. A script runs as `.venv/bin/python bench/<name>.py`
(so this directory is on sys.path) and begins with:

    import common

    ROOT = common.start("checks")            # before any Django import

`start()` puts the project on sys.path, selects its settings, gives the script its own SQLite
file var/bench/<database>.sqlite3 unless DATABASE_URL is set (then that database is used),
optionally its own media folder var/bench/media (`media=True`) and the test client's host
(`client=True`), then runs django.setup(). It returns the project's root folder.
"""

import os
import subprocess
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"


def start(database: str, *, media: bool = False, client: bool = False) -> Path:
    """Configure and set up Django for a bench script; see the module docstring."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pk_portal.settings")
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_VAR / f'{database}.sqlite3'}"
    if client:
        os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    if media:
        os.environ.setdefault("MEDIA_ROOT", str(BENCH_VAR / "media"))
    django.setup()
    return ROOT


def import_cost_ms(module: str) -> float:
    """What importing `module` costs a fresh worker process, in ms (measured in a new
    interpreter: in this one the project's modules have imported it already)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return float(result.stdout.strip()) * 1000
