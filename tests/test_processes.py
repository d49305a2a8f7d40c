"""What docker-compose starts, started here as plain processes: gunicorn and Celery beat."""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def start_gunicorn(tmp_path, bind: str) -> tuple[subprocess.Popen, Path]:
    """gunicorn as docker-compose's `web` starts it (2 workers), and the file of its log."""
    env = dict(os.environ)
    env.update(GUNICORN_BIND=bind, GUNICORN_WORKERS="2", DEBUG="false",
               ALLOWED_HOSTS="127.0.0.1")  # fmt: skip
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "pk_portal.wsgi:application",
             "--config", "pk_portal/gunicorn.conf.py"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return server, log


def test_gunicorn_serves_the_health_check_and_static_files(tmp_path):
    # Port 0: the system gives gunicorn a free port, read back from its log. A port picked here
    # and bound later could be taken in between by a process of another test worker.
    server, log = start_gunicorn(tmp_path, "127.0.0.1:0")
    try:
        listening = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
        assert wait_for(lambda: listening.search(log.read_text()) or server.poll() is not None)
        found = listening.search(log.read_text())
        assert found, log.read_text()
        port = int(found[1])

        def answers():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        assert wait_for(answers), log.read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            body = json.loads(response.read())
        assert body["status"] == "ok" and body["database"] == "ok"
        url = f"http://127.0.0.1:{port}/static/vendor/htmx/htmx.min.js"
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200 and b"htmx" in response.read(2000)
        assert "Booting worker" in log.read_text()
        assert "Control socket" not in log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=20)


def sockets_of(pids) -> dict[int, int]:
    """{socket inode: pid} of the sockets the processes `pids` hold open."""
    found = {}
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd) if fd.is_symlink() else ""
            if target.startswith("socket:["):
                found[int(target[8:-1])] = pid
    return found


def tcp_sockets(port: int, state: str) -> list[int]:
    """Inodes of the IPv4 TCP sockets on local `port` in `state` (0A listen, 01 established)."""
    inodes = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == state:
            inodes.append(int(fields[9]))
    return inodes


def test_each_gunicorn_worker_listens_on_its_own_socket_and_gets_connections(tmp_path):
    """On one shared socket, the worker that woke first accepted a whole burst of keep-alive
    connections while the other idled (half the server's throughput in a third of the bench's
    runs): with SO_REUSEPORT each worker has a socket of its own and the kernel spreads the
    connections over them."""
    # A port held (bound, not listening) until gunicorn's workers bind it too, so that no
    # other process is given it in between.
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    holder.bind(("127.0.0.1", 0))
    port = holder.getsockname()[1]
    server, log = start_gunicorn(tmp_path, f"127.0.0.1:{port}")
    connections = []
    try:
        booted = re.compile(r"Booting worker with pid: (\d+)")
        assert wait_for(lambda: len(booted.findall(log.read_text())) == 2), log.read_text()
        workers = {int(pid) for pid in booted.findall(log.read_text())}
        assert wait_for(lambda: len(tcp_sockets(port, "0A")) == 2), log.read_text()
        holder.close()
        owners = sockets_of(workers)
        listening = {owners.get(inode) for inode in tcp_sockets(port, "0A")}
        assert listening == workers, "one listening socket per worker"

        for _ in range(16):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/healthz")
            assert connection.getresponse().read()  # kept open: HTTP/1.1 keep-alive
            connections.append(connection)
        owners = sockets_of(workers)
        serving = {owners[inode] for inode in tcp_sockets(port, "01") if inode in owners}
        assert serving == workers, "16 connections, and both workers have some"
    finally:
        for connection in connections:
            connection.close()
        holder.close()
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_celery_beat_starts_with_the_database_schedule(tmp_path):

    env = dict(os.environ)
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    log = tmp_path / "beat.log"
    with open(log, "wb") as out:
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "pk_portal", "beat", "--loglevel=INFO",
             "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler",
             f"--pidfile={tmp_path / 'beat.pid'}"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        assert wait_for(lambda: "Starting..." in log.read_text() or beat.poll() is not None)
        time.sleep(2)
        assert beat.poll() is None, log.read_text()
        assert settings.REDIS_URL.split("/")[2] in log.read_text()  # the broker it talks to
        assert "DatabaseScheduler" in log.read_text()
    finally:
        beat.terminate()
        beat.wait(timeout=20)
