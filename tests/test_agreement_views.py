"""The drafting pages of a PK, with the three standard actors: a user of the owning office
(Bontang), one of the same province (Samarinda), an outsider (Sorong), and the roles that may
see a PK but not change it."""

import re

import pytest
from auditlog.models import LogEntry
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.drafting import start_agreement
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, flatten, replace_lampiran
from agreements.models import Agreement
from agreements.permissions import drafting_units
from agreements.spreadsheet import parse_lampiran
from indicators.models import Indicator
from indicators.targets import parse_target
from organisations.models import Role, Unit
from tests.factories import appoint, load_units, make_official, make_user, unit

pytestmark = pytest.mark.django_db

CONFLICT = "PK ini telah diubah oleh pengguna lain sejak Anda membukanya."
KEUANGAN, SEKRETARIAT = "64.74.sekretariat.keuangan", "64.74.sekretariat"
PROGRAMME = ("076.01.WA", "Program Dukungan Manajemen")
HEADER = "jenis,program_kode,program,kegiatan_kode,kegiatan,sasaran,indikator,target,anggaran\n"


@pytest.fixture(autouse=True)
def offices(settings, tmp_path):
    load_units("64.74", "64.72", "96.71")
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    settings.STORAGES = {
        "default": {**storage, "OPTIONS": {"location": str(tmp_path / "media")}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def indicator(sasaran, text, target, kegiatan="Pengelolaan Keuangan"):
    return LampiranRow(INDIKATOR, *PROGRAMME, "", kegiatan, sasaran, text, parse_target(target))


def budget(amount):
    return LampiranRow(ANGGARAN, *PROGRAMME, anggaran=amount)


ROWS = [
    indicator("Terkelolanya keuangan", "Persentase laporan keuangan tepat waktu", "100%"),
    indicator("Terkelolanya keuangan", "Opini BPK atas laporan keuangan", "WTP"),
    indicator("Tertibnya BMN", "Jumlah laporan BMN", "2 laporan"),
    budget(404205000),
]


def make_pk(unit_code=KEUANGAN, year=2026, rows=ROWS):
    agreement = start_agreement(Unit.objects.get(code=unit_code), year)
    if rows:
        replace_lampiran(agreement, rows)
        agreement.refresh_from_db()
    return agreement


def login(client, unit_code=KEUANGAN, role=Role.OPERATOR):
    user = make_user(unit_code=unit_code, role=role)
    client.force_login(user)
    return user


def url(name, agreement, *args):
    return reverse(f"agreements:{name}", args=[agreement.pk, *args])


def editor_data(agreement, indicators, budgets=(), lock=None):
    """A POST of the lampiran editor: (fields, ORDER, DELETE) per row, two formsets."""
    data = {"lock_version": agreement.lock_version if lock is None else lock}
    for prefix, rows, initial in (("indikator", indicators, 3), ("anggaran", budgets, 1)):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = min(initial, len(rows))
        for i, (fields, order, delete) in enumerate(rows):
            data.update({f"{prefix}-{i}-{k}": v for k, v in fields.items()})
            data[f"{prefix}-{i}-ORDER"] = order
            if delete:
                data[f"{prefix}-{i}-DELETE"] = "on"
    return data


def as_fields(row):
    cells = row.as_cells()
    keys = ["program_kode", "program", "kegiatan_kode", "kegiatan"]
    keys += ["sasaran", "indikator", "target"] if row.jenis == INDIKATOR else ["anggaran"]
    return {k: cells[k] for k in keys}


def current_rows(agreement):
    """The saved rows as the editor shows them: indicators numbered 1.., then budget lines 1..."""
    rows = flatten(agreement)
    indicators = [r for r in rows if r.jenis == INDIKATOR]
    budgets = [r for r in rows if r.jenis == ANGGARAN]
    return [
        (as_fields(r), i + 1, False) for part in (indicators, budgets) for i, r in enumerate(part)
    ]


# --- who sees what, who changes what ---------------------------------------------------------
@pytest.mark.parametrize(
    ("member_of", "role", "status"),
    [
        (KEUANGAN, Role.OPERATOR, 200),
        ("64.72.sekretariat", Role.OPERATOR, 404),  # same province, another office
        ("96.71.sekretariat", Role.OPERATOR, 404),  # outsider
        ("setjen.inspektorat", Role.REVIEWER_INSPEKTORAT, 200),
    ],
)
def test_a_pk_page_is_visible_only_within_scope(client, member_of, role, status):
    agreement = make_pk()
    login(client, member_of, role)
    assert client.get(url("detail", agreement)).status_code == status


@pytest.mark.parametrize(
    ("member_of", "role", "pk_of", "status"),
    [
        (KEUANGAN, Role.OPERATOR, KEUANGAN, 200),
        (SEKRETARIAT, Role.OPERATOR, KEUANGAN, 200),  # the Sekretariat drafts its Subbagian's
        ("64.74", Role.ADMINISTRATOR, SEKRETARIAT, 200),
        (KEUANGAN, Role.OPERATOR, SEKRETARIAT, 403),  # a Subbagian only its own
        ("64.74.sekretariat.teknis", Role.OPERATOR, KEUANGAN, 403),  # nor a sibling's
        ("64", Role.COMPILER, KEUANGAN, 403),
        ("setjen.biro-perencanaan", Role.REVIEWER_PERENCANAAN, KEUANGAN, 403),
        ("64.72.sekretariat", Role.OPERATOR, KEUANGAN, 404),
        ("96.71.sekretariat", Role.OPERATOR, KEUANGAN, 404),
    ],
)
def test_only_drafters_of_the_unit_or_its_office_may_change_a_pk(
    client, member_of, role, pk_of, status
):
    agreement = make_pk(pk_of)
    login(client, member_of, role)
    for name in ("edit", "lampiran", "import", "copy"):
        response = client.get(url(name, agreement))
        assert response.status_code == status, name
    if status == 403:
        assert "Anda tidak berwenang mengubah PK" in response.content.decode()
        lock = agreement.lock_version
        client.post(url("lampiran", agreement), editor_data(agreement, []))
        agreement.refresh_from_db()
        assert agreement.lock_version == lock and len(flatten(agreement)) == 4


def test_a_signatory_of_the_unit_cannot_change_it(client):
    agreement = make_pk()
    official = make_official()
    login(client, KEUANGAN, Role.SIGNATORY).memberships.update(official=official)
    assert client.get(url("lampiran", agreement)).status_code == 403
    assert client.get(url("detail", agreement)).status_code == 200


def test_a_pk_that_is_no_longer_a_draft_cannot_be_changed(client):
    agreement = make_pk()
    Agreement.objects.filter(pk=agreement.pk).update(status="disetujui")
    login(client)
    response = client.get(url("edit", agreement))
    assert response.status_code == 403
    assert "tidak lagi berstatus draf" in response.content.decode()


def test_a_pk_submitted_while_the_editor_was_open_is_not_saved(client, monkeypatch):
    agreement = make_pk()
    login(client)
    rows = current_rows(agreement)
    Agreement.objects.filter(pk=agreement.pk).update(status="diajukan")
    # The page was allowed when it was opened; the save itself must still refuse.
    monkeypatch.setattr("agreements.views.common.edit_refusal", lambda user, agreement: None)
    response = client.post(url("lampiran", agreement), editor_data(agreement, rows[:1], []))
    assert response.status_code == 409
    assert "terkunci" in response.content.decode()
    assert flatten(agreement) == ROWS


def test_change_only_urls_refuse_get(client):
    agreement = make_pk()
    login(client)
    assert client.get(reverse("agreements:create")).status_code == 405
    assert client.get(url("import_confirm", agreement)).status_code == 405
    for name in ("edit", "lampiran", "import", "copy"):
        assert client.delete(url(name, agreement)).status_code == 405


def test_anonymous_users_are_sent_to_login(client):
    agreement = make_pk()
    for target in (reverse("agreements:list"), url("detail", agreement), url("export", agreement, "csv")):  # fmt: skip
        response = client.get(target)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_list_shows_visible_pks_with_their_indicator_count(client):
    make_pk()
    make_pk("96.71.sekretariat", rows=[])
    login(client)
    html = client.get(reverse("agreements:list")).content.decode()
    assert "Subbagian Keuangan, Umum dan Logistik" in html and "Sorong" not in html
    assert re.search(r'<td class="text-end">3</td>', html)


# --- starting a PK ---------------------------------------------------------------------------
def test_an_operator_creates_a_pk_for_their_unit(client):
    login(client)
    form = client.get(reverse("agreements:list")).context["form"]
    assert [u.code for u in form.fields["unit"].queryset] == [KEUANGAN]
    unit = Unit.objects.get(code=KEUANGAN)
    response = client.post(reverse("agreements:create"), {"unit": unit.pk, "year": "2027"})
    agreement = Agreement.objects.get(unit=unit, year=2027)
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    assert agreement.status == "draf" and agreement.place == "Bontang"


def test_creating_the_same_pk_twice_says_so_and_saves_nothing(client):
    make_pk()
    login(client)
    unit = Unit.objects.get(code=KEUANGAN)
    response = client.post(reverse("agreements:create"), {"unit": unit.pk, "year": "2026"})
    assert response.status_code == 400
    assert "sudah memiliki PK tahun 2026" in response.content.decode()
    assert Agreement.objects.filter(unit=unit).count() == 1


@pytest.mark.parametrize("year", ["2019", "2101", "dua ribu", ""])
def test_a_year_outside_2020_to_2100_is_refused(client, year):
    login(client)
    unit = Unit.objects.get(code=KEUANGAN)
    response = client.post(reverse("agreements:create"), {"unit": unit.pk, "year": year})
    assert response.status_code == 400
    assert not Agreement.objects.exists()


def test_a_year_message_is_clear(client):
    login(client)
    unit = Unit.objects.get(code=KEUANGAN)
    response = client.post(reverse("agreements:create"), {"unit": unit.pk, "year": "2019"})
    assert "angka tahun antara 2020 dan 2100" in response.content.decode()


def test_an_operator_cannot_create_for_another_unit(client):
    login(client)
    other = Unit.objects.get(code=SEKRETARIAT)
    response = client.post(reverse("agreements:create"), {"unit": other.pk, "year": "2027"})
    assert response.status_code == 400 and not Agreement.objects.exists()


def test_a_new_pk_copies_last_years_lampiran_when_asked(client):
    last_year = make_pk()
    login(client)
    unit = Unit.objects.get(code=KEUANGAN)
    options = client.get(reverse("agreements:source_options"), {"unit": unit.pk, "year": 2027})
    assert f'value="{last_year.pk}"' in options.content.decode()
    assert "PK 2026 unit ini" in options.content.decode()
    client.post(
        reverse("agreements:create"), {"unit": unit.pk, "year": "2027", "source": last_year.pk}
    )
    new = Agreement.objects.get(unit=unit, year=2027)
    assert flatten(new) == flatten(last_year)


def test_a_copy_source_not_offered_is_refused(client):
    foreign = make_pk("64.74.sekretariat.teknis")
    login(client)
    unit = Unit.objects.get(code=KEUANGAN)
    response = client.post(
        reverse("agreements:create"), {"unit": unit.pk, "year": "2027", "source": foreign.pk}
    )
    assert response.status_code == 400 and not Agreement.objects.filter(year=2027).exists()


# --- the PK page -----------------------------------------------------------------------------
def test_the_pk_page_groups_the_lampiran_like_the_printed_one(client):
    agreement = make_pk()
    login(client)
    html = client.get(url("detail", agreement)).content.decode()
    assert "076.01.WA Program Dukungan Manajemen" in html
    assert re.search(r'<td class="text-center" rowspan="2">a\.</td>\s*<td rowspan="2">'
                     r"Terkelolanya keuangan</td>", html)  # fmt: skip
    assert "Rp 404.205.000,-" in html
    assert "Penandatangan PK ini belum tercatat lengkap" in html
    assert url("lampiran", agreement) in html


def test_the_pk_page_shows_the_signatories_as_snapshotted(client):
    appoint(KEUANGAN, make_official("Indra Lesmana", nip="198001012005011001"))
    appoint(SEKRETARIAT, make_official("Bambang Rahmadhany"))
    agreement = make_pk()
    login(client, "setjen.inspektorat", Role.REVIEWER_INSPEKTORAT)
    html = client.get(url("detail", agreement)).content.decode()
    assert "Indra Lesmana" in html and "Bambang Rahmadhany" in html
    assert "belum tercatat" not in html
    assert url("lampiran", agreement) not in html  # a reviewer gets no edit links


# --- statement data --------------------------------------------------------------------------
def test_the_statement_data_is_saved(client):
    agreement = make_pk()
    login(client)
    response = client.post(
        url("edit", agreement),
        {"place": "Bontang", "sign_date": "2026-01-15", "lock_version": agreement.lock_version},
    )  # fmt: skip
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert str(agreement.sign_date) == "2026-01-15" and agreement.place == "Bontang"


def test_a_sign_date_in_another_year_is_refused(client):
    agreement = make_pk()
    login(client)
    response = client.post(
        url("edit", agreement), {"sign_date": "2023-01-15", "lock_version": agreement.lock_version}
    )
    assert response.status_code == 400
    assert "harus pada tahun 2026" in response.content.decode()


def test_a_stale_statement_edit_is_a_conflict_that_keeps_the_typed_text(client):
    agreement = make_pk()
    login(client)
    stale = agreement.lock_version
    replace_lampiran(agreement, ROWS)  # someone else saves meanwhile
    response = client.post(
        url("edit", agreement),
        {"place": "Kota Bontang Baru", "rkt_reference": "RKT diketik", "lock_version": stale},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert CONFLICT in html
    assert 'value="Kota Bontang Baru"' in html and 'value="RKT diketik"' in html
    agreement.refresh_from_db()
    assert agreement.place == "Bontang" and agreement.rkt_reference == ""


# --- the lampiran editor ---------------------------------------------------------------------
def test_the_editor_saves_a_changed_target(client):
    agreement = make_pk()
    login(client)
    assert client.get(url("lampiran", agreement)).status_code == 200
    rows = current_rows(agreement)
    rows[0][0]["target"] = "95%"
    response = client.post(url("lampiran", agreement), editor_data(agreement, rows[:3], rows[3:]))
    assert response.status_code == 302
    assert [r.target.printed for r in flatten(agreement)[:3]] == ["95%", "WTP", "2 laporan"]


def test_the_editor_adds_deletes_and_reorders_rows(client):
    agreement = make_pk()
    login(client)
    rows = current_rows(agreement)
    indicators, budgets = rows[:3], rows[3:]
    indicators[0] = (indicators[0][0], 3, False)  # moved down
    indicators[2] = (indicators[2][0], 1, False)  # moved up
    indicators[1] = (indicators[1][0], 2, True)  # deleted
    new = {**indicators[0][0], "indikator": "Indikator baru", "target": "1 Lembaga"}
    indicators.append((new, 4, False))
    budgets.append(({**budgets[0][0], "anggaran": "Rp 1.893.000,-"}, 2, False))
    response = client.post(url("lampiran", agreement), editor_data(agreement, indicators, budgets))
    assert response.status_code == 302
    saved = flatten(agreement)
    assert [r.indikator for r in saved if r.jenis == INDIKATOR] == [
        "Jumlah laporan BMN",
        "Persentase laporan keuangan tepat waktu",
        "Indikator baru",
    ]
    assert [r.anggaran for r in saved if r.jenis == ANGGARAN] == [404205000, 1893000]


def test_an_added_row_left_empty_is_ignored(client):
    agreement = make_pk()
    login(client)
    rows = current_rows(agreement)
    empty = {k: "" for k in rows[0][0]}
    data = editor_data(agreement, [*rows[:3], (empty, 4, False)], rows[3:])
    assert client.post(url("lampiran", agreement), data).status_code == 302
    assert len(flatten(agreement)) == 4


def test_a_target_that_is_not_a_target_is_refused_with_everything_kept(client):
    agreement = make_pk()
    login(client)
    rows = current_rows(agreement)
    rows[0][0]["target"] = "seratus persen"
    rows[1][0]["indikator"] = "Teks yang baru diketik"
    lock = agreement.lock_version
    response = client.post(url("lampiran", agreement), editor_data(agreement, rows[:3], rows[3:]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Target “seratus persen” tidak dapat dibaca" in html
    assert 'value="Teks yang baru diketik"' in html
    agreement.refresh_from_db()
    assert agreement.lock_version == lock and flatten(agreement) == ROWS


def test_a_bad_amount_is_refused_next_to_the_field(client):
    agreement = make_pk()
    login(client)
    rows = current_rows(agreement)
    rows[3][0]["anggaran"] = "empat ratus juta"
    response = client.post(url("lampiran", agreement), editor_data(agreement, rows[:3], rows[3:]))
    assert response.status_code == 400
    assert "bukan jumlah rupiah yang sah" in response.content.decode()


def test_a_stale_lampiran_save_is_a_conflict_that_keeps_everything_typed(client):
    agreement = make_pk()
    login(client)
    stale = agreement.lock_version
    replace_lampiran(agreement, ROWS[:1])  # someone else saves meanwhile
    rows = current_rows(agreement)
    rows[0][0]["indikator"] = "Ketikan saya"
    response = client.post(
        url("lampiran", agreement), editor_data(agreement, rows[:1], [], lock=stale)
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert CONFLICT in html and 'value="Ketikan saya"' in html
    assert [r.indikator for r in flatten(agreement)] == [ROWS[0].indikator]


def test_the_editor_hands_out_a_new_row_with_the_next_index(client):
    agreement = make_pk()
    login(client)
    response = client.get(url("lampiran_row", agreement, "indikator"), {"indikator-TOTAL_FORMS": 3})
    html = response.content.decode()
    assert 'name="indikator-3-indikator"' in html and 'name="indikator-3-ORDER"' in html
    assert 'list="indicator-catalogue"' in html
    assert re.search(r'name="indikator-TOTAL_FORMS" value="4"[^>]*data-hx-swap-oob="true"', html)
    budget_row = client.get(url("lampiran_row", agreement, "anggaran"), {"anggaran-TOTAL_FORMS": 0})
    assert 'name="anggaran-0-anggaran"' in budget_row.content.decode()
    assert client.get(url("lampiran_row", agreement, "lain")).status_code == 404
    assert client.get(url("lampiran_row", agreement, "indikator")).status_code == 400


def test_the_editor_offers_the_catalogue_and_has_no_inline_script(client):

    Indicator.objects.create(text="Indeks kepuasan layanan keuangan")
    agreement = make_pk()
    login(client)
    html = client.get(url("lampiran", agreement)).content.decode()
    assert '<datalist id="indicator-catalogue">' in html
    assert '<option value="Indeks kepuasan layanan keuangan">' in html
    assert "js/editor.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\son[a-z]+=", html)


# --- import, export, template ----------------------------------------------------------------
def test_an_import_with_problems_lists_them_and_saves_nothing(client):
    agreement = make_pk()
    login(client)
    bad = HEADER + "INDIKATOR,,,,,Sasaran,Indikator A,seratus persen,\n"
    upload = _csv(bad)
    response = client.post(url("import", agreement), {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<th>Lembar</th><th>Baris</th><th>Kolom</th><th>Pesan</th>" in html
    assert "<td>CSV</td><td>2</td><td>target</td>" in html
    assert flatten(agreement) == ROWS
    assert not default_storage.exists("imports") or not default_storage.listdir("imports")[1]


def test_an_import_is_previewed_then_confirmed(client):
    agreement = make_pk()
    login(client)
    good = (
        HEADER
        + "INDIKATOR,,,,,Sasaran baru,Indikator impor,85,\nANGGARAN,,Program X,,,,,,Rp 1.000.000,-\n"
    )  # noqa: E501
    preview = client.post(url("import", agreement), {"file": _csv(good)})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Indikator impor" in html and "Rp 1.000.000,-" in html
    assert flatten(agreement) == ROWS  # nothing saved yet
    key = re.search(r'name="key" value="([^"]+)"', html).group(1)
    assert re.fullmatch(r"imports/[0-9a-f]{32}\.csv", key) and default_storage.exists(key)
    lock = re.search(r'name="lock_version" value="(\d+)"', html).group(1)
    response = client.post(url("import_confirm", agreement), {"key": key, "lock_version": lock})
    assert response.status_code == 302
    assert [r.indikator for r in flatten(agreement)] == ["Indikator impor", ""]
    assert not default_storage.exists(key)


def test_a_confirm_with_a_key_of_another_session_or_shape_is_refused(client):
    agreement = make_pk()
    login(client)
    for key in ("imports/" + "a" * 32 + ".csv", "../settings.py", "imports/x.csv"):
        response = client.post(url("import_confirm", agreement), {"key": key, "lock_version": 1})
        assert response.status_code == 400
        assert "unggah ulang" in response.content.decode()
    assert flatten(agreement) == ROWS


def test_export_then_import_gives_the_same_rows(client):
    agreement = make_pk()
    other = make_pk(year=2027, rows=[])
    login(client)
    for fmt in ("xlsx", "csv"):
        response = client.get(url("export", agreement, fmt))
        assert response.status_code == 200
        assert f'filename="PK-2026-{KEUANGAN}.{fmt}"' in response["Content-Disposition"]
        parsed = parse_lampiran(response.content, f"x.{fmt}")
        assert parsed.ok and parsed.rows == flatten(agreement)
        upload = _file(response.content, f"PK.{fmt}")
        html = client.post(url("import", other), {"file": upload}).content.decode()
        key = re.search(r'name="key" value="([^"]+)"', html).group(1)
        other.refresh_from_db()
        data = {"key": key, "lock_version": other.lock_version}
        assert client.post(url("import_confirm", other), data).status_code == 302
        assert flatten(other) == flatten(agreement)


def test_the_templates_download_and_parse_without_problems(client):
    login(client)
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse("agreements:template", args=[fmt]))
        assert response.status_code == 200
        parsed = parse_lampiran(response.content, f"templat.{fmt}")
        assert parsed.problems == [] and parsed.indicator_count == 1


def _file(content, name):

    return SimpleUploadedFile(name, content)


def _csv(text):
    return _file(text.encode("utf-8"), "lampiran.csv")


# --- copy forward onto a draft ---------------------------------------------------------------
def test_a_draft_copies_last_years_pk(client):
    last_year = make_pk()
    this_year = make_pk(year=2027, rows=[])
    login(client)
    page = client.get(url("copy", this_year)).content.decode()
    assert "PK 2026 unit ini" in page
    response = client.post(
        url("copy", this_year), {"source": last_year.pk, "lock_version": this_year.lock_version}
    )
    assert response.status_code == 302
    assert flatten(this_year) == flatten(last_year)


def test_a_subbagian_picks_rows_of_its_sekretariat_pk(client):
    parent_rows = [
        indicator("Sasaran A", "Indikator perencanaan", "1 dokumen", "Perencanaan"),
        indicator("Sasaran B", "Indikator keuangan", "100%"),
        indicator("Sasaran B", "Indikator BMN", "WTP"),
        budget(4105373000),
    ]
    make_pk(SEKRETARIAT, rows=parent_rows)
    own = make_pk(rows=[])
    login(client)
    page = client.get(url("copy", own)).content.decode()
    assert "Indikator perencanaan" in page and 'name="positions" value="2"' in page
    parent = Agreement.objects.get(unit__code=SEKRETARIAT)
    none_picked = client.post(url("copy", own), {"source": parent.pk, "lock_version": 0})
    assert none_picked.status_code == 400
    assert "Pilih sedikitnya satu baris indikator" in none_picked.content.decode()
    response = client.post(
        url("copy", own), {"source": parent.pk, "positions": ["1", "2"], "lock_version": 0}
    )
    assert response.status_code == 302
    assert [r.indikator for r in flatten(own)] == ["Indikator keuangan", "Indikator BMN"]


def test_a_stale_copy_is_a_conflict(client):
    last_year = make_pk()
    this_year = make_pk(year=2027, rows=[])
    login(client)
    response = client.post(url("copy", this_year), {"source": last_year.pk, "lock_version": 99})
    assert response.status_code == 409 and CONFLICT in response.content.decode()
    assert flatten(this_year) == []


def test_a_secretariat_operator_may_start_its_subbagian_pks_but_not_another_office():

    load_units("64.74", "64.72")
    codes = set(
        drafting_units(make_user(unit_code="64.74.sekretariat")).values_list("code", flat=True)
    )
    assert {"64.74.sekretariat", "64.74.sekretariat.keuangan", "64.74.sekretariat.teknis"} <= codes
    assert "64.74" not in codes and not any(c.startswith("64.72") for c in codes)
    provincial = set(drafting_units(make_user(unit_code="64")).values_list("code", flat=True))
    assert "64.sekretariat" in provincial and not any(c.startswith("64.74") for c in provincial)


def test_a_statement_edit_is_in_the_field_history_with_its_author(client):

    load_units("64.74")
    agreement = start_agreement(unit("64.74.sekretariat"), 2027)
    operator = make_user("op.log", unit_code="64.74.sekretariat")
    client.force_login(operator)
    response = client.post(reverse("agreements:edit", args=[agreement.pk]), {
        "place": "Bontang", "sign_date": "15/01/2027", "renstra_reference": "Renstra KPU 2025-2029",
        "rkt_reference": "", "rka_reference": "", "dipa_number": "", "dipa_date": "",
        "lock_version": agreement.lock_version})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = (
        LogEntry.objects.get_for_object(agreement)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == operator
    assert entry.changes_dict["renstra_reference"] == ["", "Renstra KPU 2025-2029"]


# --- deleting a mistaken draft -----------------------------------------------------------------
def test_a_drafter_deletes_a_draft_never_submitted_after_a_confirmation(client):
    agreement = make_pk(year=2030)  # started for the wrong year
    login(client)
    page = client.get(url("detail", agreement)).content.decode()
    form = re.search(rf'<form method="post" action="{url("delete", agreement)}"[^>]*>', page)
    assert form and "data-confirm=" in form[0]  # the static script asks before it is sent
    assert client.get(url("delete", agreement)).status_code == 405
    response = client.post(url("delete", agreement))
    assert response.status_code == 302 and response.url == reverse("agreements:list")
    assert not Agreement.objects.filter(pk=agreement.pk).exists()


def test_a_pk_once_submitted_is_not_deleted(client):
    agreement = make_pk()
    Agreement.objects.filter(pk=agreement.pk).update(status="diajukan")
    agreement.events.create(revision=1, action="submit", from_status="draf", to_status="diajukan")
    Agreement.objects.filter(pk=agreement.pk).update(status="draf")  # withdrawn since
    login(client)
    assert "Hapus draf" not in client.get(url("detail", agreement)).content.decode()
    response = client.post(url("delete", agreement))
    assert response.status_code == 403
    assert "belum pernah diajukan" in response.content.decode()
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_the_pk_list_finds_a_unit_by_part_of_its_name_an_official_or_an_indicator(client):
    keuangan = make_pk()
    sekretariat = make_pk(SEKRETARIAT, rows=[indicator("Sasaran", "Indeks kepuasan arsip", "3")])
    login(client, SEKRETARIAT)

    def found(words):
        page = client.get(reverse("agreements:list"), {"cari": words}).content.decode()
        return {a.pk for a in (keuangan, sekretariat) if a.get_absolute_url() in page}

    assert found("") == {keuangan.pk, sekretariat.pk}
    assert found("keuangan") == {keuangan.pk}
    assert found("KEPUASAN  arsip") == {sekretariat.pk}
    Agreement.objects.filter(pk=keuangan.pk).update(pihak_pertama_name="Indra Lesmana")
    assert found("lesmana") == {keuangan.pk}
    assert found("tidak ada") == set()
