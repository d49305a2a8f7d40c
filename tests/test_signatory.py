"""The signatories' pages: what waits for whom, one PK's review with what changed, and the
diff functions behind it."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from agreements.diffs import diff_rows, diff_statement
from agreements.drafting import start_agreement
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from agreements.views.signatory import APPROVE, REVISE, SIGN, WAIT, waiting_for
from agreements.workflow import perform
from indicators.targets import parse_target
from organisations.models import Role
from tests.factories import appoint, load_units, make_official, make_user, unit

pytestmark = pytest.mark.django_db
KEUANGAN, PERENCANAAN = "64.74.sekretariat.keuangan", "64.74.sekretariat.perencanaan"


def row(indikator="Jumlah Laporan Keuangan", target="2 laporan", sasaran="Sasaran",
        kegiatan="Pengelolaan Keuangan"):  # fmt: skip
    return LampiranRow(INDIKATOR, "076.01.WA", "Program Dukungan Manajemen", "", kegiatan,
                       sasaran, indikator, parse_target(target))  # fmt: skip


def budget(amount, code="076.01.WA", name="Program Dukungan Manajemen"):
    return LampiranRow(ANGGARAN, code, name, anggaran=amount)


ROWS = [row(), budget(1_000_000)]


@pytest.fixture
def cast():
    """The Bontang Sekretariat, two of its Subbagian, their signatories and drafters."""
    load_units("64.74", "96.71")
    ketua = appoint("64.74", make_official("Muzarroby Renfly")).official
    sekretaris = appoint("64.74.sekretariat", make_official("Bambang Rahmadhany")).official
    kasubbag = appoint(KEUANGAN, make_official("Indra Lesmana")).official
    appoint(PERENCANAAN, make_official("Selvi Soraya"))
    users = {
        "drafter": make_user("op.keuangan", unit_code=KEUANGAN),
        "secretariat_operator": make_user("op.sekretariat", unit_code="64.74.sekretariat"),
        "approver": make_user("sekretaris", unit_code="64.74.sekretariat", role=Role.SIGNATORY,
                              official=sekretaris),
        "pihak_pertama": make_user("kasubbag", unit_code=KEUANGAN, role=Role.SIGNATORY,
                                   official=kasubbag),
        "ketua": make_user("ketua", unit_code="64.74", role=Role.SIGNATORY, official=ketua),
        "outsider": make_user("op.sorong", unit_code="96.71.sekretariat"),
    }  # fmt: skip
    return users


def make_pk(unit_code, year, rows=ROWS):
    agreement = start_agreement(unit(unit_code), year)
    replace_lampiran(agreement, rows)
    return agreement


def put_in_state(agreement, state):
    agreement.__class__.objects.filter(pk=agreement.pk).update(status=state)
    agreement.refresh_from_db()


@pytest.fixture
def pks(cast):
    """One PK in each situation: who must act on which is what the tests check."""
    users = cast
    returned = make_pk(KEUANGAN, 2028)
    perform(returned, "submit", users["drafter"])
    perform(returned, "return", users["approver"], note="Target laporan harus 3.")
    found = {
        "keuangan_submitted": make_pk(KEUANGAN, 2027),
        "perencanaan_approved": make_pk(PERENCANAAN, 2027),
        "keuangan_approved": make_pk(KEUANGAN, 2026),
        "keuangan_returned": returned,
        "sekretariat_draft": make_pk("64.74.sekretariat", 2027),
        "sekretariat_submitted": make_pk("64.74.sekretariat", 2026),
        "sekretariat_approved": make_pk("64.74.sekretariat", 2025),
        "sorong_submitted": make_pk("96.71.sekretariat", 2027),
    }
    for name, agreement in found.items():
        for state in ("submitted", "approved", "draft"):
            if name.endswith(state):
                put_in_state(agreement, {"submitted": "diajukan", "approved": "disetujui",
                                         "draft": "draf"}[state])  # fmt: skip
    return found


EXPECTED = {
    # Pihak Kedua signs after Pihak Pertama: until then the task waits, and says for whom.
    "approver": {("keuangan_submitted", APPROVE), ("perencanaan_approved", WAIT),
                 ("keuangan_approved", WAIT), ("sekretariat_approved", SIGN)},
    "ketua": {("sekretariat_submitted", APPROVE), ("sekretariat_approved", WAIT)},
    "pihak_pertama": {("keuangan_approved", SIGN)},
    "drafter": {("keuangan_returned", REVISE)},
    "secretariat_operator": {("keuangan_returned", REVISE)},
    "outsider": set(),
}  # fmt: skip


@pytest.mark.parametrize("role", EXPECTED)
def test_the_waiting_list_holds_exactly_what_waits_for_each_role(cast, pks, role):
    names = {agreement.pk: name for name, agreement in pks.items()}
    found = {(names[item.agreement.pk], item.task) for item in waiting_for(cast[role])}
    assert found == EXPECTED[role]


def test_the_waiting_page_lists_them_with_their_checks_and_links(client, cast, pks):
    client.force_login(cast["approver"])
    page = client.get(reverse("agreements:waiting")).content.decode()
    assert "Menunggu tindakan Anda" in page
    for name in ("keuangan_submitted", "perencanaan_approved", "keuangan_approved"):
        agreement = pks[name]
        assert f'data-pk="{agreement.pk}"' in page
        assert reverse("agreements:review", args=[agreement.pk]) in page
    assert f'data-pk="{pks["keuangan_returned"].pk}"' not in page
    assert "kesalahan" in page and "peringatan" in page


def test_a_drafter_sees_the_returned_pk_with_the_note(client, cast, pks):
    client.force_login(cast["drafter"])
    page = client.get(reverse("agreements:waiting")).content.decode()
    assert f'data-pk="{pks["keuangan_returned"].pk}"' in page
    assert "Target laporan harus 3." in page


def test_an_outsider_has_nothing_waiting(client, cast, pks):
    client.force_login(cast["outsider"])
    page = client.get(reverse("agreements:waiting")).content.decode()
    assert "Tidak ada PK yang menunggu tindakan Anda." in page


def section(page: str, element_id: str) -> str:
    """The text from the element with this id to the next one (or the document frame), tags
    stripped and spaces collapsed."""
    start = page.index(f'id="{element_id}"')
    end = min(i for i in (page.find(' id="pk-', start + 1), page.find("<iframe", start)) if i > 0)
    return " ".join(strip_tags(page[start:end]).split())


def test_the_review_page_shows_what_changed_since_last_year_and_the_last_revision(client, cast):
    users = cast
    make_pk(KEUANGAN, 2026, [row(target="1 laporan"), row("Jumlah Arsip Tertata", "10 arsip"),
                             budget(900_000)])  # fmt: skip
    agreement = make_pk(KEUANGAN, 2027)
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "return", users["approver"], note="Target laporan harus 3.")
    replace_lampiran(agreement, [row(target="3 laporan"), budget(1_200_000)])
    perform(agreement, "submit", users["drafter"])

    client.force_login(users["approver"])
    page = client.get(reverse("agreements:review", args=[agreement.pk])).content.decode()
    since_revision = section(page, "pk-diff-revision")
    assert "Perubahan dari revisi 1" in since_revision
    assert "Jumlah Laporan Keuangan: 2 laporan → 3 laporan" in since_revision
    assert "Rp 1.000.000,- → Rp 1.200.000,-" in since_revision
    since_last_year = section(page, "pk-diff-last-year")
    assert "Perubahan dari PK tahun 2026" in since_last_year
    assert "Jumlah Laporan Keuangan: 1 laporan → 3 laporan" in since_last_year
    assert "Dihapus Jumlah Arsip Tertata" in since_last_year
    assert "Rp 900.000,- → Rp 1.200.000,-" in since_last_year
    assert "Target laporan harus 3." in page  # why the last revision came back


def test_the_review_page_offers_the_approvers_buttons_and_frames_the_document(client, cast):
    users = cast
    agreement = make_pk(KEUANGAN, 2027)
    perform(agreement, "submit", users["drafter"])
    client.force_login(users["approver"])
    page = client.get(reverse("agreements:review", args=[agreement.pk])).content.decode()
    for action in ("approve", "return"):
        assert reverse("agreements:workflow_action", args=[agreement.pk, action]) in page
    assert 'name="note"' in page and "Setujui" in page
    assert f'src="{reverse("agreements:review_pdf", args=[agreement.pk])}"' in page
    assert "Unit ini tidak memiliki PK tahun sebelumnya" in page
    assert 'id="pk-diff-revision"' not in page  # the first revision: nothing to compare
    assert 'name="pindaian"' not in page  # not approved yet: no upload

    client.force_login(users["drafter"])
    page = client.get(reverse("agreements:review", args=[agreement.pk])).content.decode()
    assert reverse("agreements:workflow_action", args=[agreement.pk, "approve"]) not in page


def test_an_approved_pk_offers_the_wet_signature_upload(client, cast):
    users = cast
    agreement = make_pk(KEUANGAN, 2027)
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "approve", users["approver"])
    client.force_login(users["pihak_pertama"])
    page = client.get(reverse("agreements:review", args=[agreement.pk])).content.decode()
    assert reverse("agreements:scan_upload", args=[agreement.pk]) in page
    assert reverse("agreements:document_pdf", args=[agreement.pk, "lengkap"]) in page


def test_the_review_pages_are_a_404_for_another_office(client, cast):
    agreement = make_pk(KEUANGAN, 2027)
    client.force_login(cast["outsider"])
    assert client.get(reverse("agreements:review", args=[agreement.pk])).status_code == 404
    assert client.get(reverse("agreements:review_pdf", args=[agreement.pk])).status_code == 404


def test_the_framed_pdf_is_inline_and_same_origin_only(client, cast):
    agreement = make_pk(KEUANGAN, 2027)
    client.force_login(cast["drafter"])
    response = client.get(reverse("agreements:review_pdf", args=[agreement.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response.content.startswith(b"%PDF")


# --- the diffs --------------------------------------------------------------------------------


def test_indicators_match_by_normalised_text():
    old = [row("Jumlah Laporan Keuangan.", "2 Laporan"), budget(1_000_000)]
    new = [row("jumlah laporan  keuangan", "2 laporan"), budget(1_000_000)]
    assert not diff_rows(old, new).has_changes


def test_added_removed_and_changed_targets():
    old = [row("Indikator A", "1 laporan"), row("Indikator B", "90%")]
    new = [row("Indikator A", "2 laporan"), row("Indikator C", "100%")]
    diff = diff_rows(old, new)
    assert [(c.indikator, c.old, c.new) for c in diff.target_changed] == [
        ("Indikator A", "1 laporan", "2 laporan")
    ]
    assert [line.indikator for line in diff.added] == ["Indikator C"]
    assert [line.indikator for line in diff.removed] == ["Indikator B"]
    assert diff.moved == []


def test_an_indicator_moved_to_another_sasaran():
    diff = diff_rows([row(sasaran="Sasaran lama")], [row(sasaran="Sasaran baru")])
    assert [(m.old_sasaran, m.new_sasaran) for m in diff.moved] == [
        ("Sasaran lama", "Sasaran baru")
    ]
    assert not diff.added and not diff.removed and not diff.target_changed


def test_the_same_indicator_under_two_kegiatan_is_paired_by_place():
    old = [row(kegiatan="Kegiatan 1", target="1"), row(kegiatan="Kegiatan 2", target="2")]
    new = [row(kegiatan="Kegiatan 1", target="1"), row(kegiatan="Kegiatan 2", target="5")]
    diff = diff_rows(old, new)
    assert [(c.old, c.new) for c in diff.target_changed] == [("2", "5")]
    assert not diff.moved and not diff.added and not diff.removed


def test_budgets_are_compared_per_programme():
    old = [budget(1_000), budget(500), budget(300, "076.01.CQ", "Program Penyelenggaraan Pemilu")]
    new = [budget(1_500), {"jenis": ANGGARAN, "program_kode": "076.01.XX", "program": "Baru",
                           "anggaran": "2000"}]  # fmt: skip
    changes = {(c.programme, c.old, c.new) for c in diff_rows(old, new).budget_changed}
    assert changes == {
        ("076.01.CQ Program Penyelenggaraan Pemilu", 300, None),
        ("076.01.XX Baru", None, 2000),
    }  # 1.000 + 500 = 1.500: the Dukungan Manajemen total did not change


def test_snapshot_rows_and_lampiran_rows_compare_alike():
    snapshot_rows = [{k: str(v) for k, v in r.as_cells().items()} for r in ROWS]
    assert not diff_rows(snapshot_rows, ROWS).has_changes


def test_statement_changes_list_the_fields_that_changed():
    changes = diff_statement(
        {"place": "Bontang", "sign_date": "2027-01-15", "pihak_pertama_name": "Indra"},
        {"place": "Bontang", "sign_date": "2027-01-20", "pihak_pertama_name": "Indra"},
    )
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("sign_date", "15 Januari 2027", "20 Januari 2027")]  # fmt: skip
    assert changes[0].label == "tanggal"
    (added,) = diff_statement({"dipa_date": None}, {"dipa_date": "2027-01-10"})
    assert (added.old, added.new) == ("—", "10 Januari 2027")  # no "None", no ISO date


# --- the return note ---------------------------------------------------------------------------
def test_a_returned_pk_shows_its_note_who_and_when_at_the_top_of_each_of_its_pages(client, cast):
    users = cast
    agreement = make_pk(KEUANGAN, 2027)
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "return", users["approver"], note="Target laporan harus 3.")
    client.force_login(users["drafter"])
    for name in ("detail", "review", "lampiran", "edit"):
        page = client.get(reverse(f"agreements:{name}", args=[agreement.pk])).content.decode()
        start = page.index('id="pk-return-note"')
        note = " ".join(strip_tags(page[start : page.index("</p>", start)]).split())
        assert "Target laporan harus 3." in note, name
        assert users["approver"].get_full_name() in note and "WITA" in note
        # At the top: before the page's own heading.
        assert page.index('id="pk-return-note"') < page.index("<h1"), name


def test_the_return_note_leaves_the_top_once_the_pk_is_submitted_again(client, cast):
    users = cast
    agreement = make_pk(KEUANGAN, 2027)
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "return", users["approver"], note="Target laporan harus 3.")
    perform(agreement, "submit", users["drafter"])
    client.force_login(users["approver"])
    page = client.get(reverse("agreements:review", args=[agreement.pk])).content.decode()
    assert 'id="pk-return-note"' not in page
    assert "Target laporan harus 3." in page  # the new revision's reviewer still reads it


# --- confirmations ------------------------------------------------------------------------------
def test_submit_approve_and_withdraw_ask_for_a_confirmation_on_both_pages(client, cast):
    users = cast
    agreement = make_pk(KEUANGAN, 2027)

    def form_of(page, action):
        target = reverse("agreements:workflow_action", args=[agreement.pk, action])
        found = re.search(rf'<form[^>]*action="{re.escape(target)}"[^>]*>', page)
        assert found, action
        return found[0]

    client.force_login(users["drafter"])
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "data-confirm=" in form_of(page, "submit")
    assert '<dialog id="pk-confirm"' in page and "/static/js/actions.js" in page
    perform(agreement, "submit", users["drafter"])
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "data-confirm=" in form_of(page, "withdraw")
    client.force_login(users["approver"])
    for name in ("detail", "review"):
        page = client.get(reverse(f"agreements:{name}", args=[agreement.pk])).content.decode()
        assert "data-confirm=" in form_of(page, "approve")
        assert "data-confirm=" not in form_of(page, "return")  # the note is the deliberate step
