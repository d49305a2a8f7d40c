"""The PK workflow: every state × transition × role, and the content lock at the model level."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from agreements.documents import render_html
from agreements.drafting import DraftingError, start_agreement, start_amendment
from agreements.lampiran import flatten, replace_lampiran
from agreements.models import AgreementEvent, IndicatorRow, LockedAgreement, SignedDocument
from agreements.workflow import BUTTON_ACTIONS, WorkflowRefused, available_actions, perform
from indicators.targets import parse_target
from organisations.models import Acting, Assignment, Membership, Role, Unit
from tests.factories import (
    appoint,
    load_units,
    make_official,
    make_subbagian_cast,
    make_user,
    subbagian_rows,
    unit,
)

pytestmark = pytest.mark.django_db
STATES = ["draf", "diajukan", "disetujui", "pindaian_diunggah", "ditandatangani", "dikembalikan"]
ROWS = subbagian_rows()


@pytest.fixture
def cast():
    """The Subbagian Keuangan PK of Bontang and everyone around it."""
    return make_subbagian_cast()


def put_in_state(agreement, state):
    agreement.__class__.objects.filter(pk=agreement.pk).update(status=state)
    agreement.refresh_from_db()


# (action, role) -> the states from which it is allowed; elsewhere it is refused.
ALLOWED = {
    ("submit", "drafter"): {"draf", "dikembalikan"},
    ("submit", "secretariat_operator"): {"draf", "dikembalikan"},
    ("approve", "approver"): {"diajukan"},
    ("return", "approver"): {"diajukan", "disetujui", "pindaian_diunggah"},
    # The wet-signature scan (agreements.scans calls these; no button of their own).
    ("upload_scan", "drafter"): {"disetujui"},
    ("upload_scan", "secretariat_operator"): {"disetujui"},
    ("upload_scan", "approver"): {"disetujui"},
    ("upload_scan", "pihak_pertama"): {"disetujui"},
    ("reject_scan", "approver"): {"pindaian_diunggah"},
    ("reject_scan", "pihak_pertama"): {"pindaian_diunggah"},
    ("withdraw", "drafter"): {"diajukan"},
    ("withdraw", "secretariat_operator"): {"diajukan"},
}
ROLES = ["drafter", "secretariat_operator", "approver", "pihak_pertama", "outsider", "compiler"]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(
    "action", ["submit", "approve", "return", "withdraw", "upload_scan", "reject_scan"]
)
@pytest.mark.parametrize("role", ROLES)
def test_every_state_transition_and_role(cast, state, action, role):
    agreement, users = cast
    put_in_state(agreement, state)
    allowed = state in ALLOWED.get((action, role), set())
    offered = {a for a, _label in available_actions(agreement, users[role])}
    assert (action in offered) == (allowed and action in BUTTON_ACTIONS)
    if allowed:
        event = perform(agreement, action, users[role], note="Perbaiki target.")
        assert (event.from_status, event.to_status) == (state, agreement.status)
        assert event.actor == users[role]
    else:
        with pytest.raises(WorkflowRefused) as excinfo:
            perform(agreement, action, users[role], note="Catatan.")
        assert str(excinfo.value)  # a reason, in Indonesian, for the user
        agreement.refresh_from_db()
        assert agreement.status == state
        assert not AgreementEvent.objects.exists()


def test_the_happy_path_and_a_return_with_a_note(cast):
    agreement, users = cast
    assert [a for a, _ in available_actions(agreement, users["drafter"])] == ["submit"]
    perform(agreement, "submit", users["drafter"])
    assert agreement.status == "diajukan"
    assert [a for a, _ in available_actions(agreement, users["approver"])] == ["approve", "return"]
    assert [a for a, _ in available_actions(agreement, users["drafter"])] == ["withdraw"]
    with pytest.raises(WorkflowRefused, match="catatan"):
        perform(agreement, "return", users["approver"], note="  ")
    perform(agreement, "return", users["approver"], note="Target SAKTI harus 95%.")
    assert (agreement.status, agreement.revision) == ("dikembalikan", 2)
    replace_lampiran(agreement, ROWS)  # editable again
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "approve", users["approver"])
    history = list(agreement.events.values_list("action", "to_status", "revision", "note"))
    assert history == [
        ("submit", "diajukan", 1, ""),
        ("return", "dikembalikan", 2, "Target SAKTI harus 95%."),
        ("submit", "diajukan", 2, ""),
        ("approve", "disetujui", 2, ""),
    ]


def test_a_submission_nobody_acted_on_is_withdrawn_to_what_it_was_with_a_history_row(cast):
    agreement, users = cast
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "withdraw", users["drafter"])
    assert (agreement.status, agreement.revision, agreement.submitted_by) == ("draf", 1, None)
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "return", users["approver"], note="Target SAKTI harus 95%.")
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "withdraw", users["secretariat_operator"])
    assert agreement.status == "dikembalikan"  # the returned revision it was, its note kept
    history = list(agreement.events.values_list("action", "from_status", "to_status"))
    assert history[1] == ("withdraw", "diajukan", "draf")
    assert history[-1] == ("withdraw", "diajukan", "dikembalikan")
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "approve", users["approver"])
    with pytest.raises(WorkflowRefused, match="tidak berlaku"):
        perform(agreement, "withdraw", users["drafter"])  # acted on: too late


def test_the_submitter_cannot_approve_their_own_revision(cast):
    agreement, users = cast
    both = users["approver"]

    Membership.objects.create(
        user=both, unit=Unit.objects.get(code="64.74.sekretariat"), role=Role.OPERATOR
    )
    perform(agreement, "submit", both)
    with pytest.raises(WorkflowRefused, match="tidak dapat menyetujuinya sendiri"):
        perform(agreement, "approve", both)


def test_a_pk_with_check_errors_cannot_be_submitted(cast):
    agreement, users = cast
    replace_lampiran(agreement, ROWS[:1])  # a programme without its budget line
    with pytest.raises(WorkflowRefused, match="kesalahan pemeriksaan"):
        perform(agreement, "submit", users["drafter"])


@pytest.mark.parametrize("state", ["diajukan", "disetujui", "ditandatangani"])
def test_a_locked_pk_refuses_every_edit_at_the_model_level(cast, state):
    agreement, _users = cast
    put_in_state(agreement, state)
    before = flatten(agreement)
    with pytest.raises(LockedAgreement):
        replace_lampiran(agreement, ROWS[:1])
    row = IndicatorRow.objects.get(sasaran__kegiatan__programme__agreement=agreement)
    row.target_text = "99%"
    with pytest.raises(LockedAgreement):
        row.save()
    with pytest.raises(LockedAgreement):
        row.delete()
    agreement.place = "Samarinda"
    with pytest.raises(LockedAgreement, match="terkunci"):
        agreement.save()
    assert flatten(agreement) == before


def test_the_pk_page_offers_the_actions_and_shows_the_history(client, cast):

    agreement, users = cast
    client.force_login(users["drafter"])
    page = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert "Ajukan untuk disetujui" in page and "Pemeriksaan berjenjang" in page
    url = reverse("agreements:workflow_action", args=[agreement.pk, "submit"])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    client.force_login(users["approver"])
    response = client.post(reverse("agreements:workflow_action", args=[agreement.pk, "return"]),
                           {"note": "Lengkapi target."}, follow=True)  # fmt: skip
    html = response.content.decode()
    assert "PK dikembalikan untuk diperbaiki" in html
    assert "Lengkapi target." in html and "Dikembalikan" in html
    client.force_login(users["outsider"])
    assert client.post(url).status_code == 404


def test_a_refused_action_says_why_on_the_page(client, cast):

    agreement, users = cast
    client.force_login(users["approver"])
    response = client.post(
        reverse("agreements:workflow_action", args=[agreement.pk, "approve"]), follow=True
    )
    assert "tidak berlaku untuk PK berstatus Draf" in response.content.decode()


def test_the_drafter_sees_why_the_pk_cannot_be_submitted_yet(client, cast):

    agreement, users = cast
    replace_lampiran(agreement, ROWS[:1])
    client.force_login(users["drafter"])
    page = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert "PK belum dapat diajukan: 1 kesalahan pemeriksaan" in page
    assert "Ajukan untuk disetujui" not in page


def test_a_submission_keeps_a_snapshot_of_what_was_submitted(cast):
    agreement, users = cast
    event = perform(agreement, "submit", users["drafter"])
    assert event.snapshot["revision"] == 1
    assert event.snapshot["rows"][0]["indikator"] == "Jumlah Laporan Keuangan"
    assert event.snapshot["rows"][0]["target"] == "2 laporan"
    assert event.snapshot["statement"]["place"] == "Bontang"


def test_signing_needs_a_complete_signed_document_of_the_revision(cast):

    agreement, users = cast
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "approve", users["approver"])
    with pytest.raises(WorkflowRefused, match="belum ada"):
        perform(agreement, "sign", users["approver"])
    document = SignedDocument(agreement=agreement, revision=agreement.revision, method="basah",
                              sha256="0" * 64, is_complete=True)  # fmt: skip
    document.file.save("scan.pdf", ContentFile(b"%PDF-1.7"), save=True)
    with pytest.raises(WorkflowRefused, match="Hanya penandatangan atau penyusun"):
        perform(agreement, "sign", users["outsider"])
    perform(agreement, "sign", users["drafter"])
    assert agreement.status == "ditandatangani"


def test_an_action_returns_to_the_signatory_list_but_never_to_another_site(client, cast):

    agreement, users = cast
    client.force_login(users["drafter"])
    url = reverse("agreements:workflow_action", args=[agreement.pk, "submit"])
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("agreements:detail", args=[agreement.pk])
    client.force_login(users["approver"])
    response = client.post(reverse("agreements:workflow_action", args=[agreement.pk, "approve"]),
                           {"next": reverse("agreements:waiting")})  # fmt: skip
    assert response["Location"] == reverse("agreements:waiting")


def test_the_timeline_shows_who_changed_what_before_and_after(client, cast):

    agreement, users = cast
    changed = [
        ROWS[0].__class__(**{**ROWS[0].__dict__, "target": parse_target("3 laporan")}),
        ROWS[1],
    ]
    replace_lampiran(agreement, changed, user=users["drafter"], how="Diubah di penyunting lampiran")
    agreement.refresh_from_db()
    agreement.renstra_reference = "Renstra KPU 2025-2029"
    agreement.save()
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "return", users["approver"], note="Target terlalu rendah.")
    client.force_login(users["drafter"])
    page = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert "Target “Jumlah Laporan Keuangan”: 2 laporan → 3 laporan" in page
    assert "Lampiran diubah" in page and "op.keuangan" in page
    assert "Renstra: — → Renstra KPU 2025-2029" in page
    assert "Dikembalikan untuk perbaikan" in page and "Target terlalu rendah." in page
    assert "(Dikembalikan)" not in page  # the word is not said twice
    agreement.refresh_from_db()
    agreement.sign_date = datetime.date(2027, 1, 10)
    agreement.save()  # editable again: the statement's date is logged
    page = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert "— → 10 Januari 2027" in page and "None" not in page and "2027-01-10" not in page
    assert page.index("Target terlalu rendah.") < page.index("Lampiran diubah")  # newest first


def _sign(agreement, users):

    perform(agreement, "submit", users["drafter"])
    perform(agreement, "approve", users["approver"])
    document = SignedDocument(agreement=agreement, revision=agreement.revision, method="basah",
                              sha256="0" * 64, is_complete=True)  # fmt: skip
    document.file.save("scan.pdf", ContentFile(b"%PDF-1.7"), save=True)
    perform(agreement, "sign", users["drafter"])


def test_an_amendment_is_a_new_version_with_the_officials_of_its_date(client, cast):

    agreement, users = cast
    with pytest.raises(DraftingError, match="sudah ditandatangani"):
        start_amendment(agreement, users["drafter"], "pejabat", "x", datetime.date(2027, 7, 15))
    _sign(agreement, users)
    Assignment.objects.filter(position__unit__code="64.74.sekretariat").update(
        end_date=datetime.date(2027, 6, 30)
    )
    appoint(
        "64.74.sekretariat",
        make_official("Pelaksana Tugas"),
        start=datetime.date(2027, 7, 1),
        acting=Acting.PLT,
    )
    client.force_login(users["drafter"])
    response = client.post(reverse("agreements:amend", args=[agreement.pk]),
                           {"reason": "pejabat", "note": "Sekretaris diganti Plt sejak 1 Juli.",
                            "day": "2027-07-15"})  # fmt: skip
    assert response.status_code == 302
    amendment = agreement.__class__.objects.get(amends=agreement)
    assert (amendment.version, amendment.status, amendment.amendment_reason) == (
        2,
        "draf",
        "pejabat",
    )
    assert amendment.pihak_kedua_name == "Pelaksana Tugas"
    assert amendment.pihak_kedua_position == "Plt. SEKRETARIS KPU KOTA BONTANG"
    assert flatten(amendment) == flatten(agreement)
    agreement.refresh_from_db()
    assert agreement.status == "ditandatangani"  # the signed version stays as it was
    assert "PERJANJIAN KINERJA PERUBAHAN TAHUN 2027" in render_html(amendment, "pernyataan")
    assert "PERJANJIAN KINERJA TAHUN 2027" in render_html(agreement, "pernyataan")
    with pytest.raises(DraftingError, match="versi yang lebih baru"):
        start_amendment(agreement, users["drafter"], "pejabat", "lagi", datetime.date(2027, 8, 1))
    page = client.get(reverse("agreements:detail", args=[amendment.pk])).content.decode()
    assert "PK Perubahan · versi 2" in page and "Mengubah PK versi 1" in page


def test_a_return_note_loses_its_control_characters_and_is_capped(cast):
    agreement, users = cast
    perform(agreement, "submit", users["drafter"])
    with pytest.raises(WorkflowRefused, match="paling banyak 2000 karakter"):
        perform(agreement, "return", users["approver"], note="x" * 2001)
    with pytest.raises(WorkflowRefused, match="catatan"):
        perform(agreement, "return", users["approver"], note="\x00\x07")
    agreement.refresh_from_db()
    assert agreement.status == "diajukan"
    perform(agreement, "return", users["approver"], note="Target\x00 SAKTI\n\t95%.")
    assert agreement.events.get(action="return").note == "Target SAKTI\n\t95%."


def test_a_plt_ketua_approves_from_the_account_of_his_own_post():
    """The Sekretaris, Plt Ketua while the chair is vacant, approves the Ketua's PK with his
    Sekretariat signatory account: the printed official decides, not where the account sits."""

    load_units("64.74")
    sekretaris = appoint("64.74.sekretariat", make_official("Bambang Rahmadhany")).official
    appoint("64.74", sekretaris, acting=Acting.PLT)
    kota = start_agreement(unit("64.74"), 2027)
    replace_lampiran(kota, subbagian_rows())
    assert kota.is_single_signatory and kota.pihak_pertama_official_id == sekretaris.pk
    operator = make_user("op.kota", unit_code="64.74")
    account = make_user("sekretaris", unit_code="64.74.sekretariat", role=Role.SIGNATORY,
                        official=sekretaris)  # fmt: skip
    other = make_user("other", unit_code="64.74.sekretariat", role=Role.SIGNATORY,
                      official=make_official("Orang Lain"))  # fmt: skip
    perform(kota, "submit", operator)
    with pytest.raises(WorkflowRefused):
        perform(kota, "approve", other)
    perform(kota, "approve", account)
    assert kota.status == "disetujui"
