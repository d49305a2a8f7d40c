"""The end-of-January peak on one machine: 2 gunicorn workers and 2 Celery workers on PostgreSQL
and Redis, 200 users for 60 s (locust), and the PK page against a bare view (wrk).

Run (one command; PostgreSQL and Redis on 127.0.0.1, as on the CI machines):
    .venv/bin/python bench/peak.py
Options: --users 200 --duration 60 --port 8701 --database pk_portal_bench_peak
         --redis redis://127.0.0.1:6379/7 --year 2027 --wrk-seconds 15 --skip-locust --skip-wrk

What it does, and undoes:
1. installs what is missing: locust (requirements-bench.lock, the `bench` extra) and wrk
   (`apt-get install wrk` when run as root; otherwise it says so and skips the wrk pair);
2. creates its own database (never the one of DATABASE_URL), migrates it, loads the national
   dataset of `--year` (generate_national_dataset: ~3,300 PKs, ~148,000 indicator rows, then
   ANALYZE) and the Bontang 2026 seed PKs (the 51-indicator Sekretariat PK for the wrk pair);
3. makes bench logins of its own (`bench-peak-…`: an operator per sampled PK, a few national
   reviewers; no demo login is touched), logs them in, renders 10 PDFs once (so that
   downloads are cached, as they are after the first request) and views every PK page once
   (its checks and tables are then in the cache, as after a working day: the measured minute
   is the repeat views);
4. starts gunicorn (pk_portal/gunicorn.conf.py, 2 workers, DEBUG off, bench.settings: the
   project plus a bare view) and 2 Celery workers on 127.0.0.1, waits for /healthz;
5. wrk: the bare view, then the Sekretariat PK page, `--wrk-seconds` each, same connections;
6. locust, headless: `--users` users for `--duration` s (bench/locustfile.py);
7. prints errors, req/s and p50/p95/p99 per page, and the load of the machine; stops
   everything it started (also on Ctrl-C or an error).
"""

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "peak"
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def ensure_tools(want_wrk: bool) -> bool:
    if not (BIN / "locust").exists():
        say("installing locust (requirements-bench.lock)…")
        subprocess.run([PYTHON, "-m", "pip", "install", "-q", "-r",
                        str(ROOT / "requirements-bench.lock")], check=True)  # fmt: skip
    if not want_wrk or shutil.which("wrk"):
        return want_wrk
    if os.geteuid() == 0:
        say("installing wrk (apt-get install wrk)…")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, env=env,
                       stdout=subprocess.DEVNULL)  # fmt: skip
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
        "GUNICORN_WORKERS": "2",
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


class Processes:
    """What this run started; stopped (process group and all) whatever happens."""

    def __init__(self):
        self.running = []

    def start(self, name, command, env, log):
        handle = open(OUT / log, "w")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=handle,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        self.running.append((name, process, handle))
        say(f"started {name} (pid {process.pid}, log var/bench/peak/{log})")
        return process

    def stop(self):
        for name, process, handle in reversed(self.running):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                say(f"stopped {name}")
            handle.close()
        self.running = []


def wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds} s (see var/bench/peak/*.log)")


def run_wrk(url: str, cookie: str, seconds: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", "-c4", f"-d{seconds}s", "--latency", "-H", f"Cookie: sessionid={cookie}",
         url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    latency = {p: re.search(rf"\s{p}%\s+(\S+)", output)[1] for p in ("50", "99")}
    return {"rate": rate, "errors": int(errors[1]) if errors else 0, **latency}


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the given processes and their children so far (Linux /proc)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            children = []
        for each in [pid, *map(int, children)]:
            try:
                fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def wrk_pair(args, sessions: dict, web) -> None:
    base = f"http://127.0.0.1:{args.port}"
    cookie = sessions["bontang"]["cookie"]
    page = f"{base}/pk/{sessions['bontang']['pk']}/"
    for url in (page, f"{base}/bench/bare/"):  # warm both: caches, templates, connections
        run_wrk(url, cookie, 2)
    print(f"\nwrk, 2 threads × 4 connections, {args.wrk_seconds} s each; {load()}")
    results = {}
    for label, url in (("bare view", f"{base}/bench/bare/"), ("PK page (51 indicators)", page)):
        before = cpu_seconds([web.pid])
        result = run_wrk(url, cookie, args.wrk_seconds)
        spent = cpu_seconds([web.pid]) - before
        requests = result["rate"] * args.wrk_seconds
        result["cpu_ms"] = spent / requests * 1000 if requests else 0
        results[label] = result
        print(f"  {label:<26} {result['rate']:7.1f} req/s  p50 {result['50']:>8}  p99 "
              f"{result['99']:>8}  web CPU {result['cpu_ms']:5.1f} ms/request  "
              f"non-2xx {result['errors']}")  # fmt: skip
    bare, pk = results["bare view"], results["PK page (51 indicators)"]
    print(
        f"  PK page throughput = {pk['rate'] / bare['rate']:.0%} of the bare view's "
        f"(goal ≥ 50 %); {load()}"
    )


def run_locust(args) -> int:
    print(f"\nlocust: {args.users} users for {args.duration} s; {load()}", flush=True)
    prefix = OUT / "locust"
    completed = subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "--users", str(args.users), "--spawn-rate", str(max(args.users // 10, 1)),
         "--run-time", f"{args.duration}s", "--host", f"http://127.0.0.1:{args.port}",
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
        cwd=ROOT, env={**os.environ, "PEAK_SESSIONS": str(OUT / "sessions.json")},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
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
    print(f"  {load()}")
    if completed.returncode not in (0, 1):
        print(completed.stderr[-2000:])
    return completed.returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument("--database", default="pk_portal_bench_peak")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--year", type=int, default=2027)
    parser.add_argument("--wrk-seconds", type=int, default=15)
    parser.add_argument("--skip-wrk", action="store_true")
    parser.add_argument("--skip-locust", action="store_true")
    args = parser.parse_args()
    if not args.database.startswith(("pk_portal_bench", "pk_bench")):
        raise SystemExit("--database must be a bench database (pk_portal_bench… or pk_bench…)")
    have_wrk = ensure_tools(not args.skip_wrk)
    env = environment(args)
    say(f"preparing {args.database} (the first run generates the national dataset)…")
    sessions = prepare(args, env)
    processes = Processes()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        web = processes.start("gunicorn (2 workers)", [str(BIN / "gunicorn"), "-c",
                              "pk_portal/gunicorn.conf.py", "pk_portal.wsgi"], env,
                              "gunicorn.log")  # fmt: skip
        for number in (1, 2):
            processes.start(f"celery worker {number}", [str(BIN / "celery"), "-A", "pk_portal",
                            "worker", "-c", "1", "-n", f"bench-peak-{number}@%h", "-l",
                            "WARNING"], env, f"celery-{number}.log")  # fmt: skip
        wait_for(f"http://127.0.0.1:{args.port}/healthz")
        say(f"web ready; {load()}")
        if have_wrk:
            wrk_pair(args, sessions, web)
        code = 0 if args.skip_locust else run_locust(args)
    finally:
        processes.stop()
    sys.exit(code)


if __name__ == "__main__":
    main()
