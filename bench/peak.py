"""The end-of-January peak on one machine: 2 gunicorn workers and 2 Celery workers on PostgreSQL
and Redis, 200 users for 60 s (locust), and the PK page against a bare view (wrk).

Run (one command; PostgreSQL and Redis on 127.0.0.1, as on the CI machines):
    .venv/bin/python bench/peak.py
Options: --users 200 --duration 60 --port 8701 --database pk_portal_bench_peak
         --redis redis://127.0.0.1:6379/7 --year 2027 --wrk-seconds 10 --wrk-rounds 4 --wait 2-4
         --locust-nice 10 --page-runs 20 --skip-locust --skip-wrk --skip-pages

What it does, and undoes:
1. installs what is missing: locust in a virtualenv of its own, var/bench/locust-venv
   (requirements-bench.lock, constrained by requirements.lock; the project's .venv is not
   touched) and wrk (`apt-get install wrk`, after `apt-get update` if needed, when run as
   root; otherwise it says so and skips the wrk pair);
2. creates its own database (never the one of DATABASE_URL), migrates it, loads the national
   dataset of `--year` (generate_national_dataset: ~3,300 PKs, ~148,000 indicator rows, then
   ANALYZE) and the Bontang 2026 seed PKs (the 51-indicator Sekretariat PK for the wrk pair);
3. makes bench logins of its own (`bench-peak-…`: an operator per sampled PK, a few national
   reviewers; no demo login is touched), logs them in, renders 10 PDFs once (so that
   downloads are cached, as they are after the first request) and views every PK page once
   (its checks and tables are then in the cache, as after a working day: the measured minute
   is the repeat views);
4. measures each page of the mix in one process (bench/peak_pages.py: CPU ms and queries per
   request, login included), before any server runs;
5. starts gunicorn exactly as production runs it (pk_portal/gunicorn.conf.py: one process per
   CPU, gthread; DEBUG off, bench.settings: the project plus a bare view) and 2 Celery
   workers on 127.0.0.1, waits for /healthz;
6. wrk: the bare view and the Sekretariat PK page, `--wrk-seconds` each, same connections,
   `--wrk-rounds` pairs in alternating order (each pair's ratio and their median);
7. locust, headless, at a lower CPU priority (`nice --locust-nice`, so that the load
   generator does not take the server's CPU): `--users` users for `--duration` s
   (bench/locustfile.py), each waiting `--wait` seconds between two clicks;
8. prints errors, req/s and p50/p95/p99 per page, the load of the machine, and the CPU the
   web workers, PostgreSQL, Redis, Celery and locust took during the run (and what other
   processes took: on a shared machine the figures mean little without it); stops
   everything it started (also on Ctrl-C or an error).

The users' wait: a person reads a PK page for half a minute or more, a dashboard page for
several seconds. The default 2–4 s between two clicks is deliberately harsh: 200 users then
ask for ~60 pages a second, as ~1,000 people reading at their own pace would; the summary
prints the offered rate and the CPU per request it leaves on this machine.
"""

import argparse
import csv
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from peak_wrk import wrk_pair
from processes import CpuMeter, Processes, load, processes_named, say, wait_for

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "peak"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
# locust (gevent, Flask, …) lives apart from the project's packages.
LOCUST_VENV = ROOT / "var" / "bench" / "locust-venv"
LOCUST = LOCUST_VENV / "bin" / "locust"


def ensure_tools(want_wrk: bool) -> bool:
    if not LOCUST.exists():
        say(f"installing locust into {LOCUST_VENV.relative_to(ROOT)} (requirements-bench.lock)…")
        subprocess.run([PYTHON, "-c", f"import venv; venv.create({str(LOCUST_VENV)!r}, "
                        "with_pip=True)"], check=True)  # fmt: skip
        subprocess.run([LOCUST_VENV / "bin" / "pip", "install", "-q", "-r",
                        ROOT / "requirements-bench.lock", "-c", ROOT / "requirements.lock"],
                       check=True)  # fmt: skip
    if not want_wrk or shutil.which("wrk"):
        return want_wrk
    if os.geteuid() == 0:
        say("installing wrk (apt-get install wrk)…")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "install", "-y", "-qq", "wrk"], ["apt-get", "update", "-qq"],
                        ["apt-get", "install", "-y", "-qq", "wrk"]):  # fmt: skip
            if shutil.which("wrk"):
                break
            subprocess.run(command, check=False, env=env, stdout=subprocess.DEVNULL)
    if shutil.which("wrk"):
        return True
    say("wrk is missing (sudo apt-get install wrk): the PK page / bare view pair is skipped")
    return False


def environment(args) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": f"bench-peak-{args.database}",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-peak-not-a-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(OUT / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "PYTHONPATH": str(ROOT),
    }


def prepare(args, env: dict) -> dict:
    """Database, dataset, bench logins and sessions, cached PDFs (in a child process, so that
    this one keeps no Django state)."""
    OUT.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "peak_data.py"), "--year", str(args.year),
         "--database", args.database, "--out", str(OUT / "sessions.json")],
        env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    assert result.returncode == 0
    return json.loads((OUT / "sessions.json").read_text())


def wait_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def run_locust(args, meter: CpuMeter) -> int:
    low, high = wait_range(args.wait)
    print(f"\nlocust: {args.users} users for {args.duration} s, {low:g}–{high:g} s between two "
          f"clicks, at nice {args.locust_nice}; {load()}", flush=True)  # fmt: skip
    prefix = OUT / "locust"
    env = {**os.environ, "PEAK_SESSIONS": str(OUT / "sessions.json"),
           "PEAK_WAIT_MIN": str(low), "PEAK_WAIT_MAX": str(high)}  # fmt: skip
    meter.start()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(
        ["nice", "-n", str(args.locust_nice), str(LOCUST), "-f",
         str(ROOT / "bench" / "locustfile.py"), "--headless",
         "--users", str(args.users), "--spawn-rate", str(max(args.users // 10, 1)),
         "--run-time", f"{args.duration}s", "--host", f"http://127.0.0.1:{args.port}",
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    spent, elapsed = meter.stop()
    # locust has ended by now: its CPU is in this process's waited-for children.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent[f"locust (nice {args.locust_nice})"] = (
        children.ru_utime + children.ru_stime - children_before.ru_utime - children_before.ru_stime
    )
    stats = list(csv.DictReader(open(f"{prefix}_stats.csv")))  # noqa: SIM115
    print(f"  {'page':<14}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50':>8}{'p95':>8}"
          f"{'p99':>8}  (ms)")  # fmt: skip
    for row in stats:
        print(
            f"  {row['Name']:<14}{row['Request Count']:>9}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
        )
    failures = list(csv.DictReader(open(f"{prefix}_failures.csv")))  # noqa: SIM115
    for row in failures[:10]:
        print(f"  error: {row['Name']}: {row['Error']} × {row['Occurrences']}")
    total = next((row for row in stats if row["Name"] == "Aggregated"), None)
    if total:
        rate, p95 = float(total["Requests/s"]), float(total["95%"] or 0)
        mean_wait = (low + high) / 2
        offered = args.users / mean_wait
        errors = int(total["Failure Count"])
        print(f"  offered: {args.users} users / {mean_wait:g} s mean wait ≈ {offered:.0f} req/s "
              f"(less the time each waits for its answer); served {rate:.1f} req/s; goal 0 "
              f"errors and p95 ≤ 500 ms: {errors} errors, p95 {p95:.0f} ms")  # fmt: skip
        cpus = os.cpu_count() or 1
        capacity = elapsed * cpus
        print(f"  CPU during the run ({elapsed:.0f} s × {cpus} CPUs = {capacity:.0f} CPU s):")
        accounted = 0.0
        for label, seconds in spent.items():
            if label == "machine":
                continue
            accounted += seconds
            per_request = seconds / (rate * elapsed) * 1000 if rate else 0
            print(f"    {label:<34}{seconds:7.1f} s {seconds / capacity:6.0%}  "
                  f"{per_request:6.1f} ms per request")  # fmt: skip
        other = spent["machine"] - accounted
        print(f"    {'other processes on the machine':<34}{other:7.1f} s {other / capacity:6.0%}"
              "  (the machine was not quiet if this is large)")  # fmt: skip
        print(f"    {'machine busy':<34}{spent['machine']:7.1f} s "
              f"{spent['machine'] / capacity:6.0%}")  # fmt: skip
        print(f"  at {offered:.0f} req/s, {cpus} CPUs leave {cpus * 1000 / offered:.0f} ms of CPU "
              "per request for everything (web, PostgreSQL, Redis, locust)")  # fmt: skip
    print(f"  {load()}")
    if completed.returncode not in (0, 1):
        print(completed.stderr[-2000:])
    return completed.returncode


def gunicorn_settings(env: dict) -> str:
    """The settings pk_portal/gunicorn.conf.py gives in this environment."""
    code = ("import runpy; c = runpy.run_path('pk_portal/gunicorn.conf.py'); "
            "print(f\"{c['workers']} workers × {c.get('threads', 1)} threads, "
            "{c.get('worker_class', 'sync')}, keepalive {c.get('keepalive', 2)} s, "
            "reuse_port {c.get('reuse_port', False)}\")")  # fmt: skip
    return subprocess.run([PYTHON, "-c", code], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()  # fmt: skip


def profile_pages(args, env: dict) -> None:
    subprocess.run([PYTHON, str(ROOT / "bench" / "peak_pages.py"), "--sessions",
                    str(OUT / "sessions.json"), "--runs", str(args.page_runs)],
                   env=env, cwd=ROOT, check=True)  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument("--database", default="pk_portal_bench_peak")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--year", type=int, default=2027)
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--wrk-rounds", type=int, default=4)
    parser.add_argument("--wait", default="2-4", help="seconds between two clicks: MIN-MAX")
    parser.add_argument("--locust-nice", type=int, default=10)
    parser.add_argument("--page-runs", type=int, default=20)
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument(
        "--reuse-data", action="store_true", help="the database and sessions of the last run"
    )
    parser.add_argument("--skip-wrk", action="store_true")
    parser.add_argument("--skip-locust", action="store_true")
    args = parser.parse_args()
    if not args.database.startswith(("pk_portal_bench", "pk_bench")):
        raise SystemExit("--database must be a bench database (pk_portal_bench… or pk_bench…)")
    have_wrk = ensure_tools(not args.skip_wrk)
    env = environment(args)
    reuse = args.reuse_data and (OUT / "sessions.json").exists()
    if not reuse:
        say(f"preparing {args.database} (the first run generates the national dataset)…")
    sessions = json.loads((OUT / "sessions.json").read_text()) if reuse else prepare(args, env)
    if not args.skip_pages:
        profile_pages(args, env)
    processes = Processes(ROOT, OUT)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        say(f"gunicorn as production runs it: {gunicorn_settings(env)}")
        web = processes.start("gunicorn", [str(BIN / "gunicorn"), "-c",
                              "pk_portal/gunicorn.conf.py", "pk_portal.wsgi"], env,
                              "gunicorn.log")  # fmt: skip
        celery = [
            processes.start(
                f"celery worker {number}",
                [
                    str(BIN / "celery"),
                    "-A",
                    "pk_portal",
                    "worker",
                    "-c",
                    "1",
                    "-n",
                    f"bench-peak-{number}@%h",
                    "-l",
                    "WARNING",
                ],
                env,
                f"celery-{number}.log",
            )  # fmt: skip
            for number in (1, 2)
        ]
        meter = CpuMeter({
            "web (gunicorn, all workers)": lambda: [web.pid],
            "Celery workers (2)": lambda: [worker.pid for worker in celery],
            f"PostgreSQL backends of {args.database}": lambda: processes_named(
                "postgres: ", f" {args.database} "),
            "Redis (the whole server)": lambda: processes_named("redis-server"),
        })  # fmt: skip
        wait_for(f"http://127.0.0.1:{args.port}/healthz")
        say(f"web ready; {load()}")
        if have_wrk:
            wrk_pair(args, sessions, web)
        code = 0 if args.skip_locust else run_locust(args, meter)
    finally:
        processes.stop()
    sys.exit(code)


if __name__ == "__main__":
    main()
