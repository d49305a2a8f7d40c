"""The end-of-January mix for bench/peak.py: operators open their PK page, download its cached
PDF and go home; national reviewers page and filter the review dashboard.

Reads the sessions bench/peak.py prepared (var/bench/peak/sessions.json): every simulated user
is a bench login of its own, already logged in (no password hashing in the measured minute;
bench/peak_pages.py measures what a login costs).
Think time between two clicks: PEAK_WAIT_MIN..PEAK_WAIT_MAX seconds (default 2..4: harsher
than people reading a page, see bench/peak.py).

The users are FastHttpUser (geventhttpclient): several times less CPU per request than the
requests-based HttpUser, so that the load generator, on the same 2 CPUs, takes less of what
the server needs. Connections are kept open between clicks, as a browser does.
"""

import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, between, events, task

SESSIONS = json.loads(
    Path(os.environ.get("PEAK_SESSIONS", "var/bench/peak/sessions.json")).read_text()
)
WAIT = between(
    float(os.environ.get("PEAK_WAIT_MIN", "2")), float(os.environ.get("PEAK_WAIT_MAX", "4"))
)
_next = {"operator": 0, "reviewer": 0}


def _claim(kind: str) -> dict:
    pool = SESSIONS[f"{kind}s"]
    index = _next[kind] % len(pool)
    _next[kind] += 1
    return pool[index]


class _Portal(FastHttpUser):
    abstract = True
    wait_time = WAIT
    kind = ""

    def on_start(self):
        self.login = _claim(self.kind)
        self.headers = {"Cookie": f"sessionid={self.login['cookie']}"}

    def page(self, url: str, name: str, expect: str = "text/html"):
        """A request counts only as a 200 of the expected type (a redirect to the login
        page, which a lost session would give, is an error)."""
        with self.client.get(
            url, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
            elif not r.headers.get("Content-Type", "").startswith(expect):
                r.failure(f"content type {r.headers.get('Content-Type')}")

    @task(2)
    def home(self):
        self.page("/", "home")


class Operator(_Portal):
    weight = 9
    kind = "operator"

    @task(6)
    def pk_page(self):
        self.page(f"/pk/{self.login['pk']}/", "PK page")

    @task(2)
    def pdf(self):
        if self.login.get("pdf"):
            self.page(self.login["pdf"], "cached PDF", expect="application/pdf")
        else:
            self.page(f"/pk/{self.login['pk']}/", "PK page")


class Reviewer(_Portal):
    weight = 1
    kind = "reviewer"

    @task(6)
    def dashboard(self):
        year = SESSIONS["year"]
        query = random.choice(
            ["", "?halaman=2", "?halaman=5", "?pemeriksaan=kesalahan", "?provinsi=64",
             "?provinsi=35&status=menunggu", "?terlambat=ya"]
        )  # fmt: skip
        self.page(f"/reviu/{year}/{query}", "dashboard")


@events.quitting.add_listener
def _fail_on_errors(environment, **_kwargs):
    if environment.stats.total.num_failures:
        environment.process_exit_code = 1
