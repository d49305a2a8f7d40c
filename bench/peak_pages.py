"""What each page of the peak mix costs in one process: CPU ms and queries per request.

Run by bench/peak.py before it starts the servers (same database, cache and sessions), or by
hand with the same environment:  .venv/bin/python bench/peak_pages.py --sessions FILE
[--runs 20] [--profile "PK page"] [--only home]

Each page of bench/locustfile.py is requested `--runs` times through Django's test client
(the whole middleware stack, no gunicorn, no network), after one warm-up request: the median
wall and CPU time of this process and the number of queries. Login is a POST of the login
form with a password (a bench login of its own, `bench-peak-login`: no demo account is
touched), followed by the home page it redirects to. `--profile NAME` prints the top of a
cProfile of that page (cumulative time).
"""

import argparse
import cProfile
import json
import pstats
import random
import sys
from pathlib import Path

import common

common.start("unused", client=True)

from django.test import Client
from measure import bench_user, machine, summary, timed_request

from organisations.models import Role

LOGIN_PASSWORD = "bench-peak-login-password-7Q!"  # noqa: S105 - the bench database's own login

parser = argparse.ArgumentParser()
parser.add_argument("--sessions", required=True)
parser.add_argument("--runs", type=int, default=20)
parser.add_argument("--profile", default="")
parser.add_argument("--only", default="", help="pages whose name starts with this")
args = parser.parse_args()
sessions = json.loads(Path(args.sessions).read_text())
year = sessions["year"]


# One client for all: a new Client is a new handler, which loads the middleware again
# (WhiteNoise alone scans the static files, ~0.6 s), what a server does once per process.
shared_client = Client()


def client_of(cookie: str) -> Client:
    shared_client.cookies.clear()
    shared_client.cookies["sessionid"] = cookie
    return shared_client


operators = list(sessions["operators"])
with_pdf = [op for op in operators if op["pdf"]]
reviewer_cookie = sessions["reviewers"][0]["cookie"]
queries = ["", "?halaman=2", "?halaman=5", "?pemeriksaan=galat", "?provinsi=64",
           "?provinsi=35&status=menunggu", "?terlambat=ya"]  # fmt: skip
# Made by bench/peak_data.py before it warmed the pages; a new password changes nothing a
# page shows, so no cached page is dropped by setting it.
login_user = bench_user("bench-peak-login", "64.74.sekretariat", Role.OPERATOR)
login_user.set_password(LOGIN_PASSWORD)
login_user.save()
random.seed(21)


def operator_request(path_of, expected=200):
    def request():
        operator = random.choice(operators)
        return client_of(operator["cookie"]).get(path_of(operator))

    return request, expected


def login():
    client = shared_client
    client.cookies.clear()
    response = client.post(
        "/akun/login/", {"username": login_user.username, "password": LOGIN_PASSWORD}
    )
    if response.status_code == 302:
        client.get(response["Location"])  # the home page it leads to is part of logging in
    return response


PAGES = {
    "home (operator)": operator_request(lambda op: "/"),
    "home (reviewer)": (lambda: client_of(reviewer_cookie).get("/"), 200),
    "PK page": operator_request(lambda op: f"/pk/{op['pk']}/"),
    "PK page (Bontang, 51 ind.)": (
        lambda: client_of(sessions["bontang"]["cookie"]).get(f"/pk/{sessions['bontang']['pk']}/"),
        200,
    ),
    "dashboard": (
        lambda: client_of(reviewer_cookie).get(f"/reviu/{year}/{random.choice(queries)}"),
        200,
    ),
    "cached PDF": (
        lambda: client_of(with_pdf[0]["cookie"]).get(with_pdf[0]["pdf"]) if with_pdf else None,
        200,
    ),
    "login (POST + home)": (login, 302),
}

print(f"\nCPU per page, in-process (test client, {args.runs} runs each); {machine()}")
for name, (request, expected) in PAGES.items():
    if (name == "cached PDF" and not with_pdf) or not name.startswith(args.only):
        continue
    timed_request(request, expected)  # warm: templates, connections, caches
    runs = [timed_request(request, expected) for _ in range(args.runs)]
    print("  " + summary(name, runs))
    sys.stdout.flush()
    if name == args.profile:
        profile = cProfile.Profile()
        for _ in range(args.runs):
            profile.runcall(request)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
