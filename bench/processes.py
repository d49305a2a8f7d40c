"""The processes a bench run starts and what CPU they take: started in a process group of
their own and stopped whatever happens; CPU seconds read from Linux's /proc, per process tree,
per group of processes, and for the whole machine."""

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


class Processes:
    """What this run started; stopped (process group and all) whatever happens."""

    def __init__(self, root: Path, logs: Path):
        self.root, self.logs = root, logs
        self.running = []

    def start(self, name, command, env, log):
        handle = open(self.logs / log, "w")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(command, env=env, cwd=self.root, stdout=handle,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        self.running.append((name, process, handle))
        say(f"started {name} (pid {process.pid}, log {self.logs / log})")
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
    raise SystemExit(f"{url} did not answer within {seconds} s (see the logs)")


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
