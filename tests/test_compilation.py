"""The KPU Provinsi's page of its regencies' PKs, the compilation task, its downloads and its
submission to KPU (submissions/compilation.py, submissions/tasks.py, submissions/views/)."""

import csv
import datetime
import datetime as dt
import hashlib
import io
import time
import zipfile

import pikepdf
import pypdf
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse

from agreements.drafting import start_agreement
from agreements.models import Agreement, Notification, SignedDocument
from organisations.models import Role
from submissions import compilation as compilation_module
from submissions import tasks
from submissions.compilation import starting
from submissions.models import Compilation, Decision, Submission
from submissions.services import SubmissionRefused, decide, submit
from submissions.tasks import compile_province
from tests.factories import load_units, make_user, unit

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
YEAR = 2027
# After the end of January 2027 in every Indonesian time zone.
AFTER_DEADLINE = datetime.datetime(2027, 2, 10, 3, tzinfo=UTC)
ON_TIME = datetime.datetime(2027, 1, 20, 2, tzinfo=UTC)
# 00:30 WITA on 1 February: late in Kalimantan Timur, though still 31 January in Jakarta.
JUST_LATE = datetime.datetime(2027, 1, 31, 16, 30, tzinfo=UTC)
KALTIM_REGENCIES = ["64.01", "64.02", "64.03", "64.07", "64.08", "64.09", "64.11", "64.71",
                    "64.72", "64.74"]  # fmt: skip


@pytest.fixture(autouse=True)
def _tasks_run_in_this_process(request):
    """Eager tasks (the embedded default), also where Redis is configured — except in the test
    that runs a real worker."""
    if request.node.get_closest_marker("redis"):
        yield
        return
    request.getfixturevalue("eager_celery")
    yield


# --- making data ---------------------------------------------------------------------------
def marker_pdf(label: str, pages: int) -> bytes:
    """A small real PDF whose every page reads "SIGNED <label> p<n>" (pypdf finds it)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for number in range(1, pages + 1):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(
            f"BT /F1 12 Tf 72 770 Td (SIGNED {label} p{number}) Tj ET".encode()
        )
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def signed_pk(code: str, pages: int = 2) -> Agreement:
    """A PK of `code` signed by hand, with the scan (a real PDF) as its signed document."""
    agreement = start_agreement(unit(code), YEAR)
    Agreement.objects.filter(pk=agreement.pk).update(status="ditandatangani")
    agreement.refresh_from_db()
    content = marker_pdf(code, pages)
    document = SignedDocument(
        agreement=agreement,
        revision=agreement.revision,
        method="basah",
        sha256=hashlib.sha256(content).hexdigest(),
        page_count=pages,
        is_complete=True,
    )
    document.file.save("pk.pdf", ContentFile(content), save=True)
    return agreement


def submitted_pk(code: str, user, at: datetime.datetime, pages: int = 2) -> Submission:
    submission = submit(signed_pk(code, pages), user)
    Submission.objects.filter(pk=submission.pk).update(submitted_at=at)
    submission.refresh_from_db()
    return submission


def stored_bytes(field) -> bytes:
    with field.storage.open(field.name, "rb") as handle:
        return handle.read()


@pytest.fixture
def kaltim():
    """Kalimantan Timur with three regencies, in every state a Provinsi page must show:

    - Kota Balikpapan (64.71): f submitted on time (2 pages), g submitted just late (3 pages);
    - Kota Samarinda (64.72): f signed but not submitted, g still a draft;
    - Kota Bontang (64.74): no PK at all;
    - the Provinsi itself: d submitted to KPU on time, e none.
    Plus Kalimantan Utara (65) for its compiler, an outsider here.
    """
    load_units("64.71", "64.72", "64.74", "65.71")
    people = {
        "compiler": make_user("kompilasi.kaltim", unit_code="64", role=Role.COMPILER),
        "reviewer": make_user(
            "perencanaan", unit_code="setjen.biro-perencanaan", role=Role.REVIEWER_PERENCANAAN
        ),
        "other_compiler": make_user("kompilasi.kaltara", unit_code="65", role=Role.COMPILER),
        "regency_operator": make_user("op.balikpapan", unit_code="64.71"),
        "province_operator": make_user("op.kaltim", unit_code="64"),
    }
    balikpapan = people["regency_operator"]
    people["f_balikpapan"] = submitted_pk("64.71", balikpapan, ON_TIME, pages=2)
    people["g_balikpapan"] = submitted_pk("64.71.sekretariat", balikpapan, JUST_LATE, pages=3)
    signed_pk("64.72")
    start_agreement(unit("64.72.sekretariat"), YEAR)
    submitted_pk("64", people["province_operator"], ON_TIME)
    return people


def page_url(code="64", year=YEAR):
    return reverse("submissions:province", args=[code, year])


def compile_url(code="64", year=YEAR):
    return reverse("submissions:compile", args=[code, year])


def built_compilation(kaltim) -> Compilation:
    compilation = Compilation.objects.create(
        province=unit("64"), year=YEAR, requested_by=kaltim["compiler"]
    )
    assert compile_province(compilation.pk) == "selesai"
    compilation.refresh_from_db()
    return compilation


# --- the Provinsi page ---------------------------------------------------------------------
@time_machine.travel(AFTER_DEADLINE)
def test_the_page_lists_every_regency_with_its_pks_state_missing_and_late_ones(client, kaltim):
    client.force_login(kaltim["compiler"])
    response = client.get(page_url())
    assert response.status_code == 200
    overview = response.context["overview"]
    states = {
        pk.unit.code: (pk.kind, pk.state, pk.is_late)
        for row in overview.regencies
        for pk in row.pks
    }
    assert states == {
        "64.71": ("f", "submitted", False),
        "64.71.sekretariat": ("g", "submitted", True),  # 00:30 WITA on 1 February
        "64.72": ("f", "signed", True),
        "64.72.sekretariat": ("g", "progress", True),
        "64.74": ("f", "none", True),
        "64.74.sekretariat": ("g", "none", True),
    }
    assert [row.unit.code for row in overview.regencies] == ["64.71", "64.72", "64.74"]
    assert {pk.unit.code: pk.state for pk in overview.own} == {
        "64": "submitted",
        "64.sekretariat": "none",
    }
    assert {pk.unit.code for pk in overview.missing} == {
        "64.72", "64.72.sekretariat", "64.74", "64.74.sekretariat"}  # fmt: skip
    assert {pk.unit.code for pk in overview.not_signed} == {"64.72.sekretariat"}
    assert overview.counts == {
        "regencies": 3, "expected": 6, "submitted": 2, "accepted": 0, "missing": 4,
        "not_signed": 1, "no_pk": 2, "late": 5, "ready": 2, "sent_to_kpu": 0,
    }  # fmt: skip
    html = response.content.decode()
    for name in ["KPU Kota Balikpapan", "KPU Kota Samarinda", "KPU Kota Bontang"]:
        assert name in html
    assert 'data-count="late">5<' in html and 'data-count="missing">4<' in html
    assert "Batas penyampaian: 31 Januari 2027" in html
    assert "Belum ada PK" in html and "Terlambat" in html
    assert (
        "Disampaikan 1 Februari 2027 pukul 00.30 WITA" in html
    )  # the unit's own time, not Jakarta's
    assert 'action="' + compile_url() + '"' in html


@time_machine.travel(ON_TIME)
def test_nobody_is_late_before_the_deadline(client, kaltim):
    client.force_login(kaltim["reviewer"])
    overview = client.get(page_url()).context["overview"]
    assert [pk.unit.code for pk in overview.late] == ["64.71.sekretariat"]


def test_the_page_costs_the_same_queries_for_2_and_10_regencies(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    load_units("64")
    compiler = make_user(unit_code="64", role=Role.COMPILER)
    Compilation.objects.create(province=unit("64"), year=YEAR, requested_by=compiler)
    client.force_login(compiler)

    def add_regencies(codes):
        load_units(*codes)
        for code in codes:
            submitted_pk(code, make_user(unit_code=code), ON_TIME, pages=1)
            start_agreement(unit(f"{code}.sekretariat"), YEAR)

    add_regencies(KALTIM_REGENCIES[:2])
    # Session, user, the scoping rule (2), the compiler check, units, PKs, submissions,
    # compilations: 9, plus what the navigation of base.html asks for.
    with django_assert_max_num_queries(12) as two:
        response = client.get(page_url())
    assert len(response.context["overview"].regencies) == 2
    add_regencies(KALTIM_REGENCIES[2:])
    with django_assert_num_queries(len(two)):
        response = client.get(page_url())
    assert len(response.context["overview"].regencies) == 10
    assert response.content.decode().count('data-state="submitted"') == 10
    assert response.content.decode().count('data-state="progress"') == 10


# --- the compilation -----------------------------------------------------------------------
@time_machine.travel(AFTER_DEADLINE)
def test_a_compilation_with_missing_units_reports_them_and_bundles_the_signed_files(
    client, kaltim, django_capture_on_commit_callbacks
):
    client.force_login(kaltim["compiler"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(compile_url())
    compilation = Compilation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{page_url()}#kompilasi-{compilation.pk}"
    assert compilation.status == "selesai", compilation.error
    assert compilation.requested_by == kaltim["compiler"]
    assert compilation.finished_at and compilation.progress == compilation.total == 2 + 4
    report = compilation.report

    # The report lists who is missing, not signed and late.
    assert {(m["unit_code"], m["kind"]) for m in report["missing"]} == {
        ("64.72", "f"), ("64.72.sekretariat", "g"), ("64.74", "f"), ("64.74.sekretariat", "g")}  # fmt: skip
    assert [m["unit_code"] for m in report["not_signed"]] == ["64.72.sekretariat"]
    assert {m["unit_code"] for m in report["late"]} == {
        "64.71.sekretariat", "64.72", "64.72.sekretariat", "64.74", "64.74.sekretariat"}  # fmt: skip

    # The reading PDF: the front matter, then every page of every signed file, in order.
    originals = {
        s.agreement.unit.code: stored_bytes(s.softcopy.file)
        for s in (kaltim["f_balikpapan"], kaltim["g_balikpapan"])
    }
    reading_bytes = stored_bytes(compilation.reading_pdf)
    with pikepdf.open(io.BytesIO(reading_bytes)) as reading:
        page_count = len(reading.pages)
    signed_pages = sum(len(pikepdf.open(io.BytesIO(b)).pages) for b in originals.values())
    front = report["front_pages"]
    assert page_count == front + signed_pages == report["total_pages"]
    texts = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(reading_bytes)).pages]
    assert front >= 3 and not any("SIGNED" in text for text in texts[:front])
    assert [text.strip() for text in texts[front:]] == [
        "SIGNED 64.71 p1", "SIGNED 64.71 p2",
        "SIGNED 64.71.sekretariat p1", "SIGNED 64.71.sekretariat p2", "SIGNED 64.71.sekretariat p3",
    ]  # fmt: skip
    front_text = " ".join(texts[:front])
    assert "KOMPILASI PERJANJIAN KINERJA" in texts[0] and "SE-PROVINSI KALIMANTAN TIMUR" in texts[0]
    assert "DAFTAR ISI" in front_text and "LAPORAN KELENGKAPAN" in front_text
    assert "KPU Kota Bontang" in front_text and "Sekretariat KPU Kota Samarinda" in front_text
    for entry in report["entries"]:  # the contents say where each PK starts, and its hash
        assert texts[entry["start_page"] - 1].strip() == f"SIGNED {entry['unit_code']} p1"
        assert entry["sha256"] == hashlib.sha256(originals[entry["unit_code"]]).hexdigest()
        assert entry["sha256"][:32] in front_text and entry["sha256"][32:] in front_text

    # The ZIP: every signed file byte for byte, a manifest and the checksums.
    with zipfile.ZipFile(io.BytesIO(stored_bytes(compilation.originals_zip))) as archive:
        names = archive.namelist()
        files = {e["file"]: archive.read(e["file"]) for e in report["entries"]}
        manifest = list(
            csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig")))
        )
        sums = archive.read("SHA256SUMS").decode()
    assert set(names) == {*files, "manifest.csv", "SHA256SUMS", "BACA-SAYA.txt"}
    assert sorted(hashlib.sha256(b).hexdigest() for b in files.values()) == sorted(
        hashlib.sha256(b).hexdigest() for b in originals.values()
    )
    assert [(r["berkas"], r["kode_unit"], r["sha256"]) for r in manifest] == [
        (e["file"], e["unit_code"], hashlib.sha256(files[e["file"]]).hexdigest())
        for e in report["entries"]
    ]
    assert sums == "".join(f"{r['sha256']}  {r['berkas']}\n" for r in manifest)

    # Built, not submitted: nothing is attached to it yet.
    assert not Submission.objects.filter(compilation__isnull=False).exists()


def test_running_the_task_twice_builds_once(kaltim, monkeypatch):
    builds = []
    real_build = tasks.build_compilation

    def counting_build(compilation, **kwargs):
        builds.append(compilation.pk)
        return real_build(compilation, **kwargs)

    monkeypatch.setattr(tasks, "build_compilation", counting_build)
    compilation = built_compilation(kaltim)
    files = (compilation.reading_pdf.name, compilation.originals_zip.name)
    assert compile_province(compilation.pk) == "dilewati"
    compilation.refresh_from_db()
    assert builds == [compilation.pk]
    assert (compilation.reading_pdf.name, compilation.originals_zip.name) == files
    folder = files[0].rsplit("/", 1)[0]
    assert len(default_storage.listdir(folder)[1]) == 2


def test_the_progress_endpoint_reports_progress_while_the_task_runs(client, kaltim, monkeypatch):
    """The honest check: during the build, the row in the database and the endpoint the page
    polls both show a step between the first and the last."""
    compilation = Compilation.objects.create(
        province=unit("64"), year=YEAR, requested_by=kaltim["compiler"]
    )
    url = reverse("submissions:compilation_progress", args=[compilation.pk])
    client.force_login(kaltim["compiler"])
    queued = client.get(url).content.decode()
    assert 'data-hx-trigger="every 1s"' in queued and "Menunggu giliran" in queued
    seen = []
    real_render = compilation_module.render_front_matter

    def observed_render(context, entries):
        row = Compilation.objects.get(pk=compilation.pk)
        seen.append((row.status, row.progress, row.total, client.get(url).content.decode()))
        return real_render(context, entries)

    monkeypatch.setattr(compilation_module, "render_front_matter", observed_render)
    compile_province(compilation.pk)

    (status, progress, total, html), = seen  # fmt: skip
    assert status == "berjalan" and 0 < progress < total
    assert (progress, total) == (3, 6)  # listed, read both signed files; 3 steps to go
    assert 'data-hx-trigger="every 1s"' in html and 'aria-valuenow="50"' in html
    assert "Menyusun sampul, daftar isi dan laporan kelengkapan" in html
    final = client.get(url).content.decode()
    assert "data-hx-trigger" not in final and 'aria-valuenow="100"' in final
    assert reverse("submissions:compilation_pdf", args=[compilation.pk]) in final
    assert reverse("submissions:compilation_zip", args=[compilation.pk]) in final
    assert reverse("submissions:compilation_submit", args=[compilation.pk]) in final


def test_a_missing_signed_file_fails_the_compilation_readably(client, kaltim):
    document = kaltim["g_balikpapan"].softcopy
    default_storage.delete(document.file.name)
    compilation = Compilation.objects.create(province=unit("64"), year=YEAR)
    assert compile_province(compilation.pk) == "gagal"
    compilation.refresh_from_db()
    assert compilation.status == "gagal" and compilation.finished_at
    assert "tidak ditemukan di penyimpanan" in compilation.error
    assert "Sekretariat KPU Kota Balikpapan" in compilation.error
    assert not compilation.reading_pdf and not compilation.originals_zip
    client.force_login(kaltim["compiler"])
    html = client.get(reverse("submissions:compilation_progress", args=[compilation.pk]))
    assert "tidak ditemukan di penyimpanan" in html.content.decode()
    assert "data-hx-trigger" not in html.content.decode()


def test_a_file_that_is_no_pdf_stays_in_the_zip_and_the_report_says_so(kaltim):
    """A damaged scan, whose bytes no longer match the hash recorded at signing either."""
    document = kaltim["f_balikpapan"].softcopy
    with default_storage.open(document.file.name, "wb") as handle:
        handle.write(b"%PDF-1.7 not really")
    compilation = built_compilation(kaltim)
    report = compilation.report
    damaged = next(e for e in report["entries"] if e["unit_code"] == "64.71")
    assert damaged["pages"] is None and damaged["start_page"] is None
    assert report["unreadable"] == report["sha256_mismatch"] == [damaged["file"]]
    reading = stored_bytes(compilation.reading_pdf)
    texts = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(reading)).pages]
    assert report["total_pages"] == len(texts) == report["front_pages"] + 3
    front_text = " ".join(texts[: report["front_pages"]])
    assert "Tidak dapat dibaca sebagai PDF" in front_text
    assert "SHA-256 berkas berbeda dari yang tercatat" in front_text
    with zipfile.ZipFile(io.BytesIO(stored_bytes(compilation.originals_zip))) as archive:
        assert archive.read(damaged["file"]) == b"%PDF-1.7 not really"


def test_a_compilation_without_any_submitted_pk_is_built_but_not_sent(client, kaltim):
    Submission.objects.filter(channel="provinsi").update(decision=Decision.RETURNED)
    compilation = built_compilation(kaltim)
    assert compilation.report["entries"] == [] and compilation.report["missing"]
    with zipfile.ZipFile(io.BytesIO(stored_bytes(compilation.originals_zip))) as archive:
        assert sorted(archive.namelist()) == ["BACA-SAYA.txt", "SHA256SUMS", "manifest.csv"]
    client.force_login(kaltim["compiler"])
    response = client.post(
        reverse("submissions:compilation_submit", args=[compilation.pk]), follow=True
    )
    assert "tidak memuat PK" in response.content.decode()
    compilation.refresh_from_db()
    assert compilation.submitted_at is None


def test_a_second_compile_waits_for_the_one_in_progress(client, kaltim):
    running = Compilation.objects.create(province=unit("64"), year=YEAR, status="berjalan")
    client.force_login(kaltim["compiler"])
    response = client.post(compile_url())
    assert response["Location"].endswith(f"#kompilasi-{running.pk}")
    assert Compilation.objects.count() == 1


def test_a_lost_compilation_stops_the_polling_and_lets_a_new_one_start(client, kaltim):
    lost = Compilation.objects.create(province=unit("64"), year=YEAR, status="berjalan")
    Compilation.objects.filter(pk=lost.pk).update(
        created_at=datetime.datetime.now(UTC) - datetime.timedelta(hours=1)
    )
    client.force_login(kaltim["compiler"])
    html = client.get(reverse("submissions:compilation_progress", args=[lost.pk]))
    assert "data-hx-trigger" not in html.content.decode()
    assert "tidak bergerak lagi" in html.content.decode()
    client.post(compile_url())
    assert Compilation.objects.count() == 2


# --- submitting to KPU ---------------------------------------------------------------------
def test_submitting_attaches_the_compiled_submissions_and_then_kpu_decides_them(client, kaltim):
    compilation = built_compilation(kaltim)
    # Submitted after the bundle was built: not in it, so not sent with it.
    newcomer = submit(
        Agreement.objects.get(unit__code="64.72", year=YEAR), make_user(unit_code="64.72")
    )
    client.force_login(kaltim["compiler"])
    url = reverse("submissions:compilation_submit", args=[compilation.pk])
    response = client.post(url)
    assert response.status_code == 302
    compilation.refresh_from_db()
    assert compilation.submitted_at and compilation.submitted_by == kaltim["compiler"]
    assert set(compilation.submissions.values_list("pk", flat=True)) == {
        kaltim["f_balikpapan"].pk, kaltim["g_balikpapan"].pk}  # fmt: skip
    newcomer.refresh_from_db()
    assert newcomer.compilation is None

    decided = decide(kaltim["f_balikpapan"], kaltim["reviewer"], accept=True)
    assert decided.decision == Decision.ACCEPTED
    assert decided.agreement.status == "diterima"
    with pytest.raises(SubmissionRefused, match="belum dikompilasi"):
        decide(newcomer, kaltim["reviewer"], accept=True)

    again = client.post(url, follow=True)
    assert "sudah disampaikan ke KPU" in again.content.decode()
    assert Compilation.objects.get().submitted_at == compilation.submitted_at


def test_only_a_finished_compilation_is_submitted(client, kaltim):
    compilation = Compilation.objects.create(province=unit("64"), year=YEAR, status="berjalan")
    client.force_login(kaltim["compiler"])
    response = client.post(
        reverse("submissions:compilation_submit", args=[compilation.pk]), follow=True
    )
    assert "Hanya kompilasi yang sudah selesai" in response.content.decode()
    compilation.refresh_from_db()
    assert compilation.submitted_at is None
    assert not Submission.objects.filter(compilation__isnull=False).exists()


# --- who may do what -----------------------------------------------------------------------
@pytest.fixture
def finished(kaltim):
    """A finished compilation with files in storage (built without WeasyPrint: it is about
    who may reach them, not what they hold)."""
    compilation = Compilation(province=unit("64"), year=YEAR, status="selesai", progress=1,
                              total=1, report={"submission_ids": []})  # fmt: skip
    compilation.reading_pdf.save("baca.pdf", ContentFile(b"%PDF-1.7 baca"), save=False)
    compilation.originals_zip.save("asli.zip", ContentFile(b"PK zip"), save=False)
    compilation.save()
    return compilation


def endpoints(compilation):
    pk = compilation.pk
    return {
        "page": ("get", page_url()),
        "progress": ("get", reverse("submissions:compilation_progress", args=[pk])),
        "pdf": ("get", reverse("submissions:compilation_pdf", args=[pk])),
        "zip": ("get", reverse("submissions:compilation_zip", args=[pk])),
        "compile": ("post", compile_url()),
        "submit": ("post", reverse("submissions:compilation_submit", args=[pk])),
    }


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("other_compiler", dict.fromkeys(["page", "progress", "pdf", "zip", "compile", "submit"], 404)),
        ("regency_operator", dict.fromkeys(["page", "progress", "pdf", "zip", "compile", "submit"], 404)),
        ("province_operator", dict.fromkeys(["page", "progress", "pdf", "zip", "compile", "submit"], 403)),
        ("reviewer", {"page": 200, "progress": 200, "pdf": 200, "zip": 200, "compile": 403, "submit": 403}),
    ],
)  # fmt: skip
def test_each_actor_gets_what_the_rules_say(client, kaltim, finished, actor, expected):
    client.force_login(kaltim[actor])
    got = {name: getattr(client, method)(url).status_code
           for name, (method, url) in endpoints(finished).items()}  # fmt: skip
    assert got == expected
    assert not Compilation.objects.exclude(pk=finished.pk).exists()
    finished.refresh_from_db()
    assert finished.submitted_at is None


def test_anonymous_users_are_sent_to_log_in(client, finished):
    home = ("get", reverse("submissions:province_home"))
    for method, url in [*endpoints(finished).values(), home]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_changes_refuse_get(client, kaltim, finished):
    client.force_login(kaltim["compiler"])
    assert client.get(compile_url()).status_code == 405
    assert (
        client.get(reverse("submissions:compilation_submit", args=[finished.pk])).status_code == 405
    )
    assert not Compilation.objects.exclude(pk=finished.pk).exists()


def test_downloads_stream_from_storage_as_attachments(client, kaltim, finished):
    client.force_login(kaltim["compiler"])
    response = client.get(reverse("submissions:compilation_pdf", args=[finished.pk]))
    assert response.streaming and b"".join(response.streaming_content) == b"%PDF-1.7 baca"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="kompilasi-pk-64-{YEAR}-{finished.pk}-baca.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    response = client.get(reverse("submissions:compilation_zip", args=[finished.pk]))
    assert b"".join(response.streaming_content) == b"PK zip"
    assert "/media" not in response.get("Location", "")


def test_an_unfinished_compilation_has_nothing_to_download(client, kaltim):
    running = Compilation.objects.create(province=unit("64"), year=YEAR, status="berjalan")
    client.force_login(kaltim["compiler"])
    assert client.get(reverse("submissions:compilation_pdf", args=[running.pk])).status_code == 404


@time_machine.travel(ON_TIME)
def test_the_navigation_entry_takes_each_actor_to_their_provinces(client, kaltim):
    home = reverse("submissions:province_home")
    client.force_login(kaltim["compiler"])
    assert client.get(home)["Location"] == page_url("64", 2027)
    client.force_login(kaltim["reviewer"])
    response = client.get(home)
    assert [p.code for p in response.context["provinces"]] == ["64", "65"]
    assert page_url("65", 2027) in response.content.decode()
    client.force_login(kaltim["province_operator"])
    assert client.get(home).status_code == 403


def test_another_provinces_page_and_an_unknown_year_are_404(client, kaltim):
    client.force_login(kaltim["compiler"])
    assert client.get(page_url("65")).status_code == 404
    assert client.get(page_url("64.71")).status_code == 404  # a regency is no province page
    assert client.get(page_url("64", 1999)).status_code == 404


# --- a real worker -------------------------------------------------------------------------
@pytest.fixture
def worker_media(tmp_path, monkeypatch):
    """The worker process reads MEDIA_ROOT from its environment: point it at this test's
    storage folder (conftest's `_files_in_a_temporary_folder`) before the worker starts."""
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_compiles_while_the_page_polls_its_progress(
    worker_media, celery_worker_process, client, kaltim
):
    client.force_login(kaltim["compiler"])
    response = client.post(compile_url())  # autocommit: queued at once
    compilation = Compilation.objects.get()
    assert response["Location"].endswith(f"#kompilasi-{compilation.pk}")
    url = reverse("submissions:compilation_progress", args=[compilation.pk])
    percents, deadline = [], time.monotonic() + 90
    while True:
        html = client.get(url).content.decode()
        percents.append(html.split('aria-valuenow="', 1)[-1].split('"', 1)[0])
        if "data-hx-trigger" not in html:
            break
        assert time.monotonic() < deadline, celery_worker_process["log"].read_text()
        time.sleep(0.2)
    compilation.refresh_from_db()
    assert compilation.status == "selesai", compilation.error
    assert percents[-1] == "100"
    assert reverse("submissions:compilation_pdf", args=[compilation.pk]) in html
    download = client.get(reverse("submissions:compilation_pdf", args=[compilation.pk]))
    with pikepdf.open(io.BytesIO(b"".join(download.streaming_content))) as reading:
        assert len(reading.pages) == compilation.report["front_pages"] + 2 + 3
    assert "compile_province" in celery_worker_process["log"].read_text()


def test_the_province_page_shows_the_deadlines_with_days_left(client):

    load_units("64.74")
    compiler = make_user("kompilasi.tz", unit_code="64", role=Role.COMPILER)
    with time_machine.travel(dt.datetime(2027, 1, 24, 3, tzinfo=dt.UTC), tick=False):
        client.force_login(compiler)
        page = client.get(reverse("submissions:province", args=["64", 2027])).content.decode()
    assert "7 hari lagi" in page  # to 31 January in WITA
    assert "26 Januari 2027" in page and "2 hari lagi" in page  # the compilation date


def test_the_province_page_shows_each_pks_check_results(client):

    load_units("64.74")
    agreement = start_agreement(unit("64.74.sekretariat"), 2027)
    Agreement.objects.filter(pk=agreement.pk).update(check_errors=2, check_warnings=1)
    client.force_login(make_user("kompilasi.cek", unit_code="64", role=Role.COMPILER))
    page = client.get(reverse("submissions:province", args=["64", 2027])).content.decode()
    assert "2 kesalahan" in page and "1 peringatan" in page


# --- one compilation per click, whatever the clicks -----------------------------------------------
def test_a_double_click_on_compile_makes_one_compilation(
    client, kaltim, django_capture_on_commit_callbacks
):
    client.force_login(kaltim["compiler"])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(compile_url())  # eager: built inside this request
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(compile_url(), follow=True)
    (compilation,) = Compilation.objects.all()
    assert compilation.status == "selesai"
    assert first["Location"].endswith(f"#kompilasi-{compilation.pk}")
    assert "baru saja selesai" in second.content.decode()


def test_a_delivery_after_the_compilation_lets_a_new_one_start(
    client, kaltim, django_capture_on_commit_callbacks
):
    client.force_login(kaltim["compiler"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(compile_url())
    submit(Agreement.objects.get(unit__code="64.72", year=YEAR), make_user(unit_code="64.72"))
    client.post(compile_url())
    assert Compilation.objects.count() == 2


def test_the_database_refuses_a_second_unfinished_compilation(kaltim):
    Compilation.objects.create(province=unit("64"), year=YEAR, status="antre")
    with pytest.raises(IntegrityError), transaction.atomic():
        Compilation.objects.create(province=unit("64"), year=YEAR, status="berjalan")
    Compilation.objects.create(province=unit("64"), year=YEAR - 1, status="antre")  # another year


def test_a_click_that_loses_the_race_joins_the_winner(kaltim, monkeypatch):
    winner = Compilation.objects.create(province=unit("64"), year=YEAR, status="antre")
    calls = []

    def blind_first_look(province, year):
        calls.append(year)  # the first look happens before the winner's row is visible
        return None if len(calls) == 1 else real_joinable(province, year)

    real_joinable = starting._joinable
    monkeypatch.setattr(starting, "_joinable", blind_first_look)
    assert starting.start_compilation(unit("64"), YEAR, None) == (winner, False)
    assert Compilation.objects.count() == 1


# --- who hears of a delivery ----------------------------------------------------------------------
def test_the_province_compiler_hears_of_each_kab_kota_delivery_and_kpu_of_a_direct_one(kaltim):
    to_compiler = Notification.objects.filter(user=kaltim["compiler"])
    assert to_compiler.count() == 2  # Balikpapan's f and g
    notice = to_compiler.first()
    assert "siap dikompilasi" in notice.message and notice.url == page_url()
    assert not Notification.objects.filter(user=kaltim["other_compiler"]).exists()
    direct = Notification.objects.get(user=kaltim["reviewer"])  # the Provinsi's own d
    assert "langsung ke KPU" in direct.message


def test_the_national_reviewers_hear_of_a_compilation_sent_to_kpu(client, kaltim):
    compilation = built_compilation(kaltim)
    Notification.objects.all().delete()
    client.force_login(kaltim["compiler"])
    client.post(reverse("submissions:compilation_submit", args=[compilation.pk]))
    notice = Notification.objects.get(user=kaltim["reviewer"])
    assert "Kompilasi KPU Provinsi Kalimantan Timur tahun 2027 (2 PK)" in notice.message
    assert notice.url == reverse("review_dashboard", args=[YEAR]) + "?provinsi=64"


@time_machine.travel(datetime.datetime(2027, 1, 22, 2, tzinfo=UTC), tick=False)
def test_the_home_page_tells_the_compiler_and_the_reviewer_what_waits(client, kaltim):
    client.force_login(kaltim["compiler"])
    home = client.get(reverse("home")).content.decode()
    assert "2 PK Kab/Kota siap dikompilasi" in home and page_url() in home
    client.force_login(kaltim["reviewer"])
    home = client.get(reverse("home")).content.decode()
    assert "1 PK menunggu reviu" in home  # the Provinsi's own, sent straight to KPU
    assert reverse("review_dashboard", args=[YEAR]) in home
