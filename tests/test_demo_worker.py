"""`make demo` runs a Celery worker beside the web process, with kombu's filesystem broker (no
Redis): slow work runs there and its progress shows for real (scripts/run_demo.sh,
pk_portal/settings.py). Ctrl+C stops both."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def demo_env(tmp_path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "pk_portal.settings",
        "DEBUG": "1",
        "PK_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "filesystem://",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    return env


def wait_for(condition, what: str, log: Path, seconds=90):
    """Polls `condition` (no timing is asserted: the limit only stops a hung test)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen:\n{log.read_text() if log.exists() else ''}")
        time.sleep(0.5)


def test_with_the_filesystem_broker_tasks_are_queued_not_run_in_the_web_process(tmp_path):
    script = (
        "from django.conf import settings; from pk_portal.celery import app; "
        "print(settings.CELERY_TASK_ALWAYS_EAGER, app.conf.broker_url, "
        "settings.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT, env=demo_env(tmp_path), capture_output=True, text=True, check=True,
    )  # fmt: skip
    eager, broker, folder = out.stdout.split()
    assert (eager, broker) == ("False", "filesystem://")
    assert Path(folder) == tmp_path / "celery" / "queue" and Path(folder).is_dir()
    bad = demo_env(tmp_path) | {"CELERY_BROKER_URL": "amqp://guest@localhost"}
    refused = subprocess.run([sys.executable, "-c", "import django; django.setup()"],
                             cwd=ROOT, env=bad, capture_output=True, text=True)  # fmt: skip
    assert refused.returncode != 0 and "CELERY_BROKER_URL" in refused.stderr


# Run in a process of its own against the demo's database (the web process's view of it).
COMPILE_AND_WATCH = """
import json, re, time
import django
django.setup()
from django.test import Client
from django.urls import reverse
from organisations.models import Role
from submissions.models import Compilation
from tests.factories import load_units, make_user

load_units("64")
client = Client(SERVER_NAME="127.0.0.1")
client.force_login(make_user("kaltim.kompilasi", unit_code="64", role=Role.COMPILER))
response = client.post(reverse("submissions:compile", args=["64", 2026]))
assert response.status_code == 302, response.status_code
compilation = Compilation.objects.get()
seen = {"status_after_request": compilation.status, "steps": []}
progress = reverse("submissions:compilation_progress", args=[compilation.pk])
for _ in range(600):
    compilation.refresh_from_db()
    page = client.get(progress).content.decode()
    step = re.search(r"data-step>([^<(]*)", page).group(1).strip()
    if not seen["steps"] or seen["steps"][-1] != [compilation.status, step]:
        seen["steps"].append([compilation.status, step])
    if compilation.status in ("selesai", "gagal"):
        break
    time.sleep(0.2)
print(json.dumps(seen))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
    except urllib.error.HTTPError:
        return True  # any answer: the server is up
    except OSError:
        return False
    return True


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_demo_runs_a_worker_beside_the_web_process_and_ctrl_c_stops_both(tmp_path):
    env = demo_env(tmp_path) | {"DEMO_ADDRESS": f"127.0.0.1:{free_port()}"}
    output = tmp_path / "demo.out"
    worker_log = tmp_path / "log" / "worker.log"
    with open(output, "wb") as out:
        demo = subprocess.Popen([str(ROOT / "scripts" / "run_demo.sh")], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip
    try:
        wait_for(lambda: "Celery worker: pid" in output.read_text(), "the worker start", output)
        worker_pid = int(re.search(r"Celery worker: pid (\d+)", output.read_text()).group(1))
        wait_for(lambda: worker_log.exists() and "ready." in worker_log.read_text(),
                 "the worker being ready", worker_log)  # fmt: skip
        wait_for(lambda: answers(f"http://{env['DEMO_ADDRESS']}/healthz"), "the web answer", output)
        # A task sent by another process (as the web process sends one) runs in the worker.
        send = ("import django; django.setup(); from organisations.tasks import send_email; "
                "send_email.delay('Uji antrean', 'Isi', ['operator@example.org'])")  # fmt: skip
        subprocess.run([sys.executable, "-c", send], cwd=ROOT, env=env, check=True)
        mail = tmp_path / "mail"
        wait_for(lambda: mail.is_dir() and any(mail.iterdir()), "the e-mail", worker_log)
        assert "Uji antrean" in next(mail.iterdir()).read_text()
        assert "organisations.tasks.send_email" in worker_log.read_text()
        # A province's compilation, started as the compiler starts it: the request returns at
        # once with the compilation queued; the worker builds it while the progress partial
        # (what htmx polls) reports its steps.
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
                       cwd=ROOT, env=env, check=True)  # fmt: skip
        compiled = subprocess.run([sys.executable, "-c", COMPILE_AND_WATCH], cwd=ROOT, env=env,
                                  capture_output=True, text=True, check=True)  # fmt: skip
        seen = json.loads(compiled.stdout.strip().splitlines()[-1])
        assert seen["status_after_request"] == "antre"  # queued, not built in the request
        steps = [step for _, step in seen["steps"]]
        assert steps[0] == "Menunggu giliran di antrean" and steps[-1] == "Selesai"
        assert "submissions.tasks.compile_province" in worker_log.read_text()
        # Ctrl+C reaches the terminal's foreground group: the script, runserver, the worker.
        os.killpg(demo.pid, signal.SIGINT)
        demo.wait(timeout=60)
        wait_for(lambda: not alive(worker_pid), "the worker's end", worker_log, seconds=60)
        assert not answers(f"http://{env['DEMO_ADDRESS']}/healthz")
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
