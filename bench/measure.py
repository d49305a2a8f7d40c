"""What the bench scripts share once Django is set up (common.start first): bench logins,
ANALYZE, the machine's load, and timing that prints CPU time and queries beside wall time."""

import os
import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations.models import Membership, Unit


def machine() -> str:
    """The load on the machine when the figures were taken: they mean little without it."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def bench_user(username: str, unit_code: str, role, official=None):
    """A login of the bench's own (never a demo login: their passwords stay as they are)."""
    user, _ = get_user_model().objects.get_or_create(username=username)
    Membership.objects.get_or_create(
        user=user, unit=Unit.objects.get(code=unit_code), role=role,
        defaults={"official": official},
    )  # fmt: skip
    return user


def analyze() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL; SQLite too): without them one
    PK's rows can be a sequential scan of the whole table."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed_request(request, expected: int) -> tuple[float, float, int]:
    """(wall ms, this process's CPU ms, queries) of one request, which must answer `expected`
    (a POST that should redirect counts only when it is a 302)."""
    with CaptureQueriesContext(connection) as captured:
        wall, cpu = time.perf_counter(), time.process_time()
        response = request()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if response.status_code != expected:
        raise SystemExit(
            f"expected HTTP {expected}, got {response.status_code}: {response.content[:800]!r}"
        )
    return wall * 1000, cpu * 1000, len(captured)


def summary(label: str, runs: list[tuple[float, float, int]]) -> str:
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    counts = sorted({r[2] for r in runs})
    queries = counts[0] if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
    return f"{label:<42} median {wall:7.1f} ms wall, {cpu:7.1f} ms CPU, {queries} queries"
