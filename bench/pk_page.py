"""What the PK page costs the web process, against a bare Django view, in CPU time and queries.

Run:  .venv/bin/python bench/pk_page.py [--runs 15] [--profile]
      DATABASE_URL=postgres://…/pk_portal_bench_perf REDIS_URL=redis://…/6 .venv/bin/python …
Loads the Bontang 2026 seed PKs (51 indicators on the Sekretariat's) into the bench's own
database, then requests, as a bench login of the Sekretariat, the bare view (`bench.urls`: the
middleware and the session, no page), the PK page, the PK page with its monitoring panel (a
signed 60-indicator PK with Triwulan I reported: 60 charts) and the home page; prints the
median wall and CPU time of this process and the queries of each, and the PK page as a
percentage of the bare view's CPU. `--profile` prints the 25 costliest functions of the PK page.
The query counts do not depend on the machine; the times do: read them with the load printed.
"""

import argparse
import cProfile
import pstats
import statistics

import common

common.start("pk_page", client=True, media=True)

from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from measure import bench_user, machine, summary, timed_request
from quarter_form import build_pk, post_data

from agreements.models import Agreement
from agreements.seeds import load_seed, manifest
from organisations.demo import load_demo_officials
from organisations.models import Role


def load() -> Agreement:
    call_command("migrate", verbosity=0)
    load_demo_officials()
    for seed in manifest():
        if seed.unit_code.startswith("64.74"):
            load_seed(seed)
    return Agreement.objects.get(unit__code="64.74.sekretariat", year=2026, version=1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    agreement = load()
    operator = bench_user("bench-bontang-operator", "64.74.sekretariat", Role.OPERATOR)
    client = Client()
    client.force_login(operator)
    signed = build_pk()
    quarter_url = reverse("monitoring:quarter", args=[signed.pk, 1])
    with override_settings(ROOT_URLCONF="bench.urls"):
        response = client.post(quarter_url, post_data(signed, 0))
        assert response.status_code == 302, response.status_code
        pages = [
            ("bare view", "/bench/bare/"),
            (f"PK page ({agreement.indicator_count()} indicators)", agreement.get_absolute_url()),
            (f"PK page, signed, {signed.indicator_count()} charts", signed.get_absolute_url()),
            ("home page", "/"),
        ]
        print(f"database: {connection.vendor}; {machine()}; {args.runs} runs, rotated")
        runs = {label: [] for label, _url in pages}
        for _label, url in pages:
            timed_request(lambda url=url: client.get(url), 200)  # warm: caches, templates
        for run in range(args.runs):
            for label, url in pages[run % len(pages) :] + pages[: run % len(pages)]:
                runs[label].append(timed_request(lambda url=url: client.get(url), 200))
        for label, _url in pages:
            print(summary(label, runs[label]))
        bare = statistics.median(r[1] for r in runs["bare view"])
        page = statistics.median(r[1] for r in runs[pages[1][0]])
        print(f"PK page CPU / bare view CPU: {page / bare:.1f} x (throughput {bare / page:.0%})")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get(agreement.get_absolute_url())
                client.get(signed.get_absolute_url())
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    print(machine())


if __name__ == "__main__":
    main()
