"""A browser test and its Playwright handlers query on one database connection: the test's,
which Django's teardown of the test database closes (tests/conftest.py
`_one_set_of_database_connections_per_thread`).

Playwright's sync API marks its event loop as running in the test's thread between its calls and
calls a route handler in a greenlet of its own; Django, which keeps connections per asyncio
context where a loop runs, gave the test a second connection that no teardown closed (the test
database could not be dropped: "is being accessed by other users"), and each handler a third,
outside the test's transaction.
"""

import asyncio
import os

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ORIGIN = "http://testserver"


def without_a_running_loop(alias: str = "default"):
    """The connection Django's code gets in this thread when no event loop runs in it: the one
    the test database is made with before Playwright starts, and closed with before it is
    dropped, after Playwright stops."""
    loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    try:
        return connections[alias]
    finally:
        asyncio._set_running_loop(loop)


def backends_of_the_test_database() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return {pid for (pid,) in cursor.fetchall()}


@pytest.mark.browser
@pytest.mark.django_db
def test_a_route_handler_queries_on_the_test_connection_inside_its_transaction(context):
    Group.objects.create(name="dibuat dalam transaksi uji")  # never committed
    on_postgresql = connection.vendor == "postgresql"
    before = backends_of_the_test_database() if on_postgresql else set()
    seen = {}

    def handler(route):
        try:
            # Kept, so that a connection of the handler's own stays open to be counted.
            seen["connection"] = connections["default"]
            seen["row"] = Group.objects.filter(name="dibuat dalam transaksi uji").exists()
        except Exception as exc:  # noqa: BLE001 - a fresh SQLite connection has no tables
            seen["error"] = exc
        route.fulfill(status=200, content_type="text/plain", body="ok")

    context.route(f"{ORIGIN}/**", handler)
    page = context.new_page()
    page.goto(f"{ORIGIN}/sesuatu/")
    page.close()
    context.unroute_all(behavior="wait")

    assert "error" not in seen, seen
    assert seen["row"], "the handler's query ran outside the test's transaction"
    assert seen["connection"] is connections["default"]
    assert connections["default"] is without_a_running_loop(), (
        "the test's connection is not the one the teardown of the test database closes"
    )
    if on_postgresql:
        opened = backends_of_the_test_database() - before
        assert not opened, f"the route handler opened connection(s) of its own: {opened}"
