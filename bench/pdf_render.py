"""How long printing a PK takes: our pipeline against WeasyPrint alone, cached reads, memory.

Run:  .venv/bin/python bench/pdf_render.py [--runs 5] [--sizes 150,300] [--parts lampiran]
      (or with DATABASE_URL=postgres://…)

For the Bontang Sekretariat seed PK (51 indicators) and synthetic 150- and 300-indicator PKs
(`--sizes`), for each part (`--parts`),
prints the median time of an uncached `render_pdf` (reading the PK, the template, the layout
with its second pass for sasaran split by a page, PDF/A-3b with tags, storing the file) next to
plain WeasyPrint on the same HTML, and to WeasyPrint with PDF/A-3b and tags (the cost of the
archival format); the three run in rotated order, and the overhead is the median of the
run-by-run ratios. The layouts per render count WeasyPrint layouts (one per part, unless a
repeated sasaran text is taller than its rows on the next page). Then the median of a cached
`render_pdf` (the file is already stored: the second request) and the peak memory of one
uncached render of the largest PK.
"""

import argparse
import gc
import os
import resource
import statistics
import time
import tracemalloc

import common
import weasyprint

common.start("pdf", media=True)

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from agreements import documents
from agreements.documents import rendering
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from agreements.models import Agreement
from agreements.seeds import SEED_DIR, load_seed, manifest
from indicators.targets import parse_target
from organisations.demo import load_organisation_demo
from organisations.models import Unit

SEED_FILE = "bontang-2026-sekretariat.csv"
TARGETS = ["100%", "1 Lembaga", "85", "WTP", "10 Lembaga/Instansi", "2 laporan", "300 orang"]


def synthetic_rows(count: int) -> list[LampiranRow]:
    """`count` indicators as a Sekretariat prints them: 2 programmes, kegiatan of ~12,
    sasaran of 1–4 indicators, indicator texts of one to three lines."""
    rows, sasaran, left = [], 0, 0
    for i in range(count):
        if left == 0:
            sasaran += 1
            left = 1 + sasaran % 4
        left -= 1
        cq = i < count // 3
        rows.append(
            LampiranRow(
                INDIKATOR,
                program_kode="076.01.CQ" if cq else "076.01.WA",
                program="Program Penyelenggaraan Pemilihan Umum"
                if cq
                else "Program Dukungan Manajemen",
                kegiatan=f"Pengelolaan Kegiatan Nomor {i // 12 + 1}",
                sasaran=f"Meningkatnya akuntabilitas keuangan dan kinerja KPU {sasaran}",
                indikator=f"Persentase KPU Kota Bontang dalam Menyampaikan Laporan {i + 1}"
                + " dengan Tepat Waktu dan sesuai Ketentuan yang Berlaku" * (i % 3),
                target=parse_target(TARGETS[i % len(TARGETS)]),
            )
        )
    return rows + [
        LampiranRow(ANGGARAN, "076.01.CQ", "Program Penyelenggaraan Pemilihan Umum", anggaran=1),
        LampiranRow(ANGGARAN, "076.01.WA", "Program Dukungan Manajemen", anggaran=2),
    ]


def timed(fn, runs) -> float:
    timings = []
    for _ in range(runs):
        gc.collect()  # the previous layout's garbage is not this run's cost
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def timed_rotated(fns: list, runs: int, setup) -> list[list[float]]:
    """Each run's time of each of `fns`, run in turn with the order rotated each run (a, b, c,
    then b, c, a, …), so that machine load and warm caches hit all alike."""
    timings: list[list[float]] = [[] for _ in fns]
    for run in range(runs):
        order = [(run + k) % len(fns) for k in range(len(fns))]
        for index in order:
            setup()
            timings[index].append(timed(fns[index], 1))
    return timings


def paired_ratio(numerators: list[float], denominators: list[float]) -> float:
    """The median of the run-by-run ratios: a slow moment of the machine hits both sides of a
    pair, not one median."""
    return statistics.median(n / d for n, d in zip(numerators, denominators, strict=True))


def weasyprint_alone(htmls: list[str], **options) -> bytes:
    """WeasyPrint on HTML already made: no database, no template, no storage, no second
    layout pass for repeated sasaran; `options` e.g. PDF/A and tags."""
    fetcher = rendering.url_fetcher()
    layouts = [
        weasyprint.HTML(
            string=html, base_url=rendering.INTERNAL_ORIGIN, url_fetcher=fetcher
        ).render(**options)
        for html in htmls
    ]
    pages = [page for layout in layouts for page in layout.pages]
    return layouts[0].copy(pages).write_pdf(**options)


def layouts_per_render(agreement: Agreement, part: str) -> int:
    """How many WeasyPrint layouts one uncached render of `part` makes."""
    real, calls = rendering._weasy_render, []

    def counting(html, stylesheets=()):
        calls.append(1)
        return real(html, stylesheets)

    rendering._weasy_render = counting
    try:
        default_storage.delete(documents.stored_pdf_name(agreement, part))
        documents.render_pdf(agreement, part)
    finally:
        rendering._weasy_render = real
    return len(calls)


def measure(label: str, agreement: Agreement, runs: int, parts: list[str]) -> None:
    print(f"\n{label}: {agreement.indicator_count()} indicators")
    for part in parts:
        parts = [documents.PERNYATAAN, documents.LAMPIRAN] if part == documents.LENGKAP else [part]
        htmls = [documents.render_html(agreement, p) for p in parts]

        def forget(part=part):
            default_storage.delete(documents.stored_pdf_name(agreement, part))

        ours_runs, alone_runs, archival_runs = timed_rotated(
            [
                lambda part=part: documents.render_pdf(agreement, part),
                lambda htmls=htmls: weasyprint_alone(htmls),
                lambda htmls=htmls: weasyprint_alone(htmls, **rendering.PDF_OPTIONS),
            ],
            runs,
            setup=forget,
        )
        ours, alone, archival = (
            statistics.median(t) for t in (ours_runs, alone_runs, archival_runs)
        )
        overhead = paired_ratio(ours_runs, alone_runs)
        archival_cost = paired_ratio(archival_runs, alone_runs)
        documents.render_pdf(agreement, part)  # stored: what the second request finds
        cached = timed(lambda part=part: documents.render_pdf(agreement, part), runs * 4)
        pages = len(rendering.layout(htmls[-1]).pages) + (len(htmls) - 1)
        layouts = layouts_per_render(agreement, part)
        print(
            f"  {part:<10} ~{pages:>2} pages, {layouts} layouts  render_pdf {ours:7.0f} ms   "
            f"WeasyPrint alone "
            f"{alone:7.0f} ms (with PDF/A-3b + tags {archival:7.0f} ms, "
            f"x{archival_cost:4.2f} paired)   overhead x{overhead:4.2f} paired   "
            f"cached {cached:6.1f} ms"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="150,300", help="synthetic PKs' indicator counts")
    parser.add_argument("--parts", default=",".join(documents.PARTS))
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size]
    parts = [part for part in args.parts.split(",") if part]

    # Paid once per worker process; every render below runs warm, like a worker's.
    print(f"import weasyprint: {common.import_cost_ms('weasyprint'):.0f} ms (once per process)")
    call_command("migrate", verbosity=0)
    load_organisation_demo()
    print(
        f"database: {connection.vendor}; storage: {default_storage.__class__.__name__}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {args.runs} runs each"
    )

    if (SEED_DIR / SEED_FILE).exists():
        seed = next(s for s in manifest() if s.file == SEED_FILE)
        measure("Bontang Sekretariat 2026 (seed)", load_seed(seed), args.runs, parts)
    else:
        print(f"\n(no {SEED_FILE} yet: seed figures skipped)")

    agreement, _ = Agreement.objects.get_or_create(
        unit=Unit.objects.get(code="64.74.sekretariat"), year=2099, version=1,
        defaults={"pk_kind": "g", "pihak_pertama_name": "Bambang Rahmadhany",
                  "pihak_kedua_name": "Muzarroby Renfly", "place": "Bontang"},
    )  # fmt: skip
    for count in sizes:
        replace_lampiran(agreement, synthetic_rows(count))
        agreement = Agreement.objects.get(pk=agreement.pk)
        measure("Synthetic PK", agreement, args.runs, parts)

    default_storage.delete(documents.stored_pdf_name(agreement, documents.LENGKAP))
    tracemalloc.start()
    documents.render_pdf(agreement, documents.LENGKAP)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"\npeak memory, one uncached {sizes[-1]}-indicator 'lengkap': {peak / 2**20:.1f} MiB of "
        f"Python allocations (tracemalloc); process max RSS {maxrss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
