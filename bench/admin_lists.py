"""How fast the admin list pages of the organisations app are with the national dataset.

Run:  .venv/bin/python bench/admin_lists.py            (SQLite file in var/bench/)
      DATABASE_URL=postgres://… .venv/bin/python bench/admin_lists.py
Loads the 3,325 units, an official and a definitive assignment for every head position, and
one operator per Kab/Kota office, then requests each list page (and a filtered and a searched
variant) several times as a superuser, printing the median server time and the query count.
Target (issue 3): every page under 200 ms.
"""

import datetime
import statistics
import time

import common

common.start("admin", client=True)

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from organisations.models import (
    Assignment,
    Membership,
    Official,
    Position,
    Role,
    Unit,
    User,
)
from organisations.national import load_national_units


def populate():
    call_command("migrate", verbosity=0)
    load_national_units()
    if not Official.objects.exists():
        positions = list(Position.objects.all())
        officials = Official.objects.bulk_create(
            [Official(name=f"Pejabat {p.pk}") for p in positions], batch_size=1000
        )
        Assignment.objects.bulk_create(
            [
                Assignment(official=o, position=p, start_date=datetime.date(2024, 1, 1))
                for o, p in zip(officials, positions, strict=True)
            ],
            batch_size=1000,
        )
    if not Membership.objects.exists():
        secretariats = list(Unit.objects.filter(kind="sekretariat_kabkota"))
        users = User.objects.bulk_create(
            [User(username=f"operator.{u.code}") for u in secretariats], batch_size=1000
        )
        Membership.objects.bulk_create(
            [
                Membership(user=user, unit=unit, role=Role.OPERATOR)
                for user, unit in zip(users, secretariats, strict=True)
            ],
            batch_size=1000,
        )
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    return admin


def measure(client, url, runs=7):
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings[1:]), len(queries)


def main():
    admin = populate()
    client = Client()
    client.force_login(admin)
    kaltim = Unit.objects.get(code="64").pk
    pages = [
        "/admin/organisations/unit/",
        f"/admin/organisations/unit/?province={kaltim}",
        "/admin/organisations/unit/?q=bontang",
        "/admin/organisations/unit/?kind__exact=subbagian",
        "/admin/organisations/position/",
        "/admin/organisations/official/",
        "/admin/organisations/official/?q=pejabat+12",
        "/admin/organisations/assignment/",
        "/admin/organisations/membership/",
        "/admin/organisations/user/",
    ]
    print(
        f"database: {connection.vendor}, units: {Unit.objects.count()}, "
        f"positions: {Position.objects.count()}, memberships: {Membership.objects.count()}"
    )
    worst = 0.0
    for url in pages:
        ms, queries = measure(client, url)
        worst = max(worst, ms)
        print(f"{ms:8.1f} ms  {queries:3d} queries  {url}")
    print(f"slowest: {worst:.1f} ms (target < 200 ms)")


if __name__ == "__main__":
    main()
