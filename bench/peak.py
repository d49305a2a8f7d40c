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
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench" / "peak"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
# locust (gevent, Flask, …) lives apart from the project's packages.
LOCUST_VENV = ROOT / "var" / "bench" / "locust-venv"
LOCUST = LOCUST_VENV / "bin" / "locust"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


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


# As many keep-alive connections as the web processes have threads, twice over: enough for
# every process to have work whichever connections the kernel hands it.
WRK_CONNECTIONS = 16


def browser_cookies(url: str, session: str) -> str:
    """The cookies a browser sends after its first view of `url`: the session's and the CSRF
    cookie the page set (without it, every measured view would make a new CSRF secret and
    send it back, which no browser asks for twice)."""
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        assert response.status == 200, response.status
        set_cookies = response.headers.get_all("Set-Cookie") or []
    csrf = next(c.split(";")[0] for c in set_cookies if c.startswith("csrftoken="))
    return f"sessionid={session}; {csrf}"


def run_wrk(url: str, cookies: str, seconds: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--latency", "-H",
         f"Cookie: {cookies}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    latency = {p: re.search(rf"\s{p}%\s+(\S+)", output)[1] for p in ("50", "99")}
    return {"rate": rate, "errors": int(errors[1]) if errors else 0, **latency}


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process so far (Linux /proc), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue += _children(current)
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the given processes and their descendants so far."""
    return sum(_process_cpu(each) for pid in pids for each in tree(pid))


def processes_named(word: str, also: str = "") -> list[int]:
    """The processes whose command line holds `word` (and `also`): PostgreSQL's backends of
    one database ("postgres: postgres pk_bench… 127.0.0.1(…)"), redis-server."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if word in command and also in command:
            found.append(int(entry.name))
    return found


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy so far (all CPUs; /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds each group of processes takes between start() and stop()."""

    def __init__(self, groups: dict):
        self.groups = groups  # label -> function giving the pids (called at both ends)

    def snapshot(self) -> dict:
        taken = {label: {p: _process_cpu(p) for r in pids() for p in tree(r)}
                 for label, pids in self.groups.items()}  # fmt: skip
        taken["machine"] = machine_busy_seconds()
        return taken

    def start(self):
        self.before, self.started = self.snapshot(), time.monotonic()

    def stop(self) -> tuple[dict, float]:
        after, elapsed = self.snapshot(), time.monotonic() - self.started
        spent = {"machine": after.pop("machine") - self.before["machine"]}
        for label, cpus in after.items():
            # A process that started during the run counts from 0.
            spent[label] = sum(cpu - self.before[label].get(p, 0.0) for p, cpu in cpus.items())
        return spent, elapsed


def wrk_pair(args, sessions: dict, web) -> None:
    """The PK page against the bare view, `--wrk-rounds` pairs, the order swapped every round
    (what runs second meets a warmer or a busier machine): each pair's ratio, then their
    median, so that one noisy run does not decide."""
    base = f"http://127.0.0.1:{args.port}"
    page = f"{base}/pk/{sessions['bontang']['pk']}/"
    cookie = browser_cookies(page, sessions["bontang"]["cookie"])
    targets = {"bare view": f"{base}/bench/bare/", "PK page (51 indicators)": page}
    for url in targets.values():  # warm both: caches, templates, connections
        run_wrk(url, cookie, 2)
    print(
        f"\nwrk, 2 threads × {WRK_CONNECTIONS} connections, {args.wrk_seconds} s each, "
        f"{args.wrk_rounds} rounds; {load()}"
    )
    ratios = []
    for round_number in range(args.wrk_rounds):
        order = list(targets.items())
        if round_number % 2:
            order.reverse()
        results = {}
        for label, url in order:
            before = cpu_seconds([web.pid])
            result = run_wrk(url, cookie, args.wrk_seconds)
            spent = cpu_seconds([web.pid]) - before
            requests = result["rate"] * args.wrk_seconds
            result["cpu_ms"] = spent / requests * 1000 if requests else 0
            results[label] = result
            print(f"  {label:<26} {result['rate']:7.1f} req/s  p50 {result['50']:>8}  p99 "
                  f"{result['99']:>8}  web CPU {result['cpu_ms']:5.1f} ms/request  "
                  f"non-2xx {result['errors']}")  # fmt: skip
        ratio = results["PK page (51 indicators)"]["rate"] / results["bare view"]["rate"]
        ratios.append(ratio)
        print(f"  round {round_number + 1}: PK page = {ratio:.0%} of the bare view; {load()}")
    print(
        f"  PK page throughput = {statistics.median(ratios):.0%} of the bare view's, median of "
        f"{len(ratios)} (rounds: {', '.join(f'{r:.0%}' for r in ratios)}; goal ≥ 50 %)"
    )


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
    processes = Processes()
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
