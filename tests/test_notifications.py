"""Each workflow transition tells the next person, in the app and by e-mail; the list page."""

import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfWriter

from agreements.drafting import start_agreement
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from agreements.models import Notification
from agreements.notifications import unread_notifications
from agreements.scans import confirm_scan, generated_page_count, record_wet_signature
from agreements.workflow import perform
from indicators.targets import parse_target
from organisations.models import Membership, Role
from pk_portal.celery import app
from tests.factories import appoint, load_units, make_official, make_user, unit

pytestmark = pytest.mark.django_db
KEUANGAN = "64.74.sekretariat.keuangan"
ROWS = [
    LampiranRow(INDIKATOR, "076.01.WA", "Program Dukungan Manajemen", "", "Pengelolaan Keuangan",
                "Sasaran", "Jumlah Laporan Keuangan", parse_target("2 laporan")),
    LampiranRow(ANGGARAN, "076.01.WA", "Program Dukungan Manajemen", anggaran=1_000_000),
]  # fmt: skip


@pytest.fixture(autouse=True)
def eager_celery():
    """E-mails are sent in the test's process, whatever broker REDIS_URL names."""

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def cast():
    """The Subbagian Keuangan PK of Bontang and everyone around it, each with an address."""
    load_units("64.74", "96.71")
    appoint("64.74", make_official("Muzarroby Renfly"))
    sekretaris = appoint("64.74.sekretariat", make_official("Bambang Rahmadhany")).official
    kasubbag = appoint(KEUANGAN, make_official("Indra Lesmana")).official
    agreement = start_agreement(unit(KEUANGAN), 2027)
    replace_lampiran(agreement, ROWS)

    def user(name, unit_code, **kwargs):
        return make_user(name, unit_code=unit_code, email=f"{name}@kpu.test", **kwargs)

    users = {
        "drafter": user("op.keuangan", KEUANGAN),
        "secretariat_operator": user("op.sekretariat", "64.74.sekretariat"),
        "approver": user("sekretaris", "64.74.sekretariat", role=Role.SIGNATORY,
                         official=sekretaris),
        "pihak_pertama": user("kasubbag", KEUANGAN, role=Role.SIGNATORY, official=kasubbag),
        "other_subbagian": user("op.perencanaan", "64.74.sekretariat.perencanaan"),
        "outsider": user("op.sorong", "96.71.sekretariat"),
    }  # fmt: skip
    return agreement, users


def notified(agreement) -> dict[str, str]:
    return dict(
        Notification.objects.filter(agreement=agreement).values_list("user__username", "message")
    )


def act(capture, agreement, action, user, note=""):
    """Perform the transition and commit it: e-mails leave only after the commit."""
    Notification.objects.all().delete()
    with capture(execute=True):
        return perform(agreement, action, user, note=note)


def test_a_submission_tells_the_approver(cast, mailoutbox, django_capture_on_commit_callbacks):
    agreement, users = cast
    act(django_capture_on_commit_callbacks, agreement, "submit", users["drafter"])
    assert list(notified(agreement)) == ["sekretaris"]
    notice = Notification.objects.get()
    assert "diajukan oleh op.keuangan dan menunggu persetujuan Anda" in notice.message
    assert notice.url == reverse("agreements:review", args=[agreement.pk])
    assert [m.to for m in mailoutbox] == [["sekretaris@kpu.test"]]
    assert "menunggu persetujuan Anda" in mailoutbox[0].subject
    assert notice.url in mailoutbox[0].body


def test_a_return_tells_the_drafters_with_the_note(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    agreement, users = cast
    perform(agreement, "submit", users["drafter"])
    mailoutbox.clear()
    note = "Target laporan keuangan harus 3 laporan."
    act(django_capture_on_commit_callbacks, agreement, "return", users["approver"], note)
    messages = notified(agreement)
    assert set(messages) == {"op.keuangan", "op.sekretariat"}
    assert all(note in message for message in messages.values())
    assert sorted(m.to[0] for m in mailoutbox) == ["op.keuangan@kpu.test",
                                                   "op.sekretariat@kpu.test"]  # fmt: skip
    assert all(note in m.body for m in mailoutbox)


def test_an_approval_tells_the_signatories_pihak_pertama_first(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    agreement, users = cast
    # A second account of Pihak Kedua (an assistant who signs for the Sekretaris): also told.
    second = make_user("sekretaris.kedua", email="sekretaris.kedua@kpu.test")
    Membership.objects.create(user=second, unit=unit("64.74.sekretariat"), role=Role.SIGNATORY,
                              official=users["approver"].memberships.get().official)  # fmt: skip
    perform(agreement, "submit", users["drafter"])
    mailoutbox.clear()
    act(django_capture_on_commit_callbacks, agreement, "approve", users["approver"])
    assert list(Notification.objects.order_by("pk").values_list("user__username", flat=True)) == [
        "kasubbag",
        "sekretaris.kedua",
    ]  # the approver approved it: not told again
    assert "siap ditandatangani" in Notification.objects.first().message
    assert [m.to for m in mailoutbox] == [["kasubbag@kpu.test"], ["sekretaris.kedua@kpu.test"]]


def test_a_signature_tells_the_drafters(cast, mailoutbox, django_capture_on_commit_callbacks):
    agreement, users = cast
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "approve", users["approver"])
    mailoutbox.clear()
    Notification.objects.all().delete()
    writer = PdfWriter()
    for _ in range(generated_page_count(agreement)):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    scan = SimpleUploadedFile("scan.pdf", buffer.getvalue(), content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        record_wet_signature(agreement, scan, users["pihak_pertama"])
    # The upload asks the signatories (not the uploader) to confirm the scan.
    assert "sekretaris" in notified(agreement)
    assert "menunggu konfirmasi" in mailoutbox[-1].subject.lower() or "konfirmasi" in (
        mailoutbox[-1].body
    )
    mailoutbox.clear()
    Notification.objects.all().delete()
    confirm_scan(agreement, users["pihak_pertama"])
    with django_capture_on_commit_callbacks(execute=True):
        confirm_scan(agreement, users["approver"])
    messages = notified(agreement)
    assert set(messages) == {"op.keuangan", "op.sekretariat"}
    assert all("telah ditandatangani" in message for message in messages.values())
    assert len(mailoutbox) == 2


def test_no_e_mail_leaves_before_the_transition_commits(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    agreement, users = cast
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        perform(agreement, "submit", users["drafter"])
    assert mailoutbox == [] and callbacks  # the e-mail (and the cached check report) wait
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_a_user_without_an_address_is_told_in_the_app_only(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    agreement, users = cast
    users["approver"].email = ""
    users["approver"].save()
    act(django_capture_on_commit_callbacks, agreement, "submit", users["drafter"])
    assert list(notified(agreement)) == ["sekretaris"]
    assert mailoutbox == []


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_failing_mail_server_does_not_break_the_transition(
    cast, settings, caplog, django_capture_on_commit_callbacks
):
    agreement, users = cast
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    with caplog.at_level(logging.ERROR, logger="agreements.notifications"):
        act(django_capture_on_commit_callbacks, agreement, "submit", users["drafter"])
    agreement.refresh_from_db()
    assert agreement.status == "diajukan"
    assert list(notified(agreement)) == ["sekretaris"]
    assert "Could not queue the notification e-mail" in caplog.text


def test_a_failure_while_notifying_does_not_break_the_transition(cast, monkeypatch, caplog):
    agreement, users = cast

    def broken(event):
        raise RuntimeError("no recipients today")

    monkeypatch.setattr("agreements.notifications.recipients", broken)
    with caplog.at_level(logging.ERROR, logger="agreements.notifications"):
        perform(agreement, "submit", users["drafter"])
    agreement.refresh_from_db()
    assert agreement.status == "diajukan"
    assert not Notification.objects.exists()
    assert "Could not notify" in caplog.text


# --- the notification pages -------------------------------------------------------------------


@pytest.fixture
def notices(cast):
    agreement, users = cast
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "return", users["approver"], note="Perbaiki target.")
    return agreement, users, Notification.objects.get(user=users["drafter"])


def test_the_list_shows_the_unread_count_and_marks_one_read(client, notices):
    agreement, users, notice = notices
    client.force_login(users["drafter"])
    page = client.get(reverse("agreements:notifications")).content.decode()
    assert "1 belum dibaca" in page and "Perbaiki target." in page
    url = reverse("agreements:notification_read", args=[notice.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None
    page = client.get(reverse("agreements:notifications")).content.decode()
    assert "belum dibaca" not in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_pk(client, notices):
    agreement, users, notice = notices
    client.force_login(users["drafter"])
    url = reverse("agreements:notification_read", args=[notice.pk])
    response = client.post(url, {"buka": "1"})
    assert response["Location"] == agreement.get_absolute_url()
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_mark_all_read(client, notices):
    agreement, users, notice = notices
    client.force_login(users["secretariat_operator"])
    url = reverse("agreements:notifications_read_all")
    assert client.get(url).status_code == 405
    client.post(url)
    assert not Notification.objects.filter(user=users["secretariat_operator"],
                                           read_at__isnull=True).exists()  # fmt: skip
    assert Notification.objects.filter(user=users["drafter"], read_at__isnull=True).exists()


def test_someone_elses_notification_is_a_404(client, notices):
    agreement, users, notice = notices
    client.force_login(users["secretariat_operator"])
    url = reverse("agreements:notification_read", args=[notice.pk])
    assert client.post(url).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_bell_shows_the_unread_count(notices):
    agreement, users, notice = notices
    request = RequestFactory().get("/")
    request.user = users["drafter"]
    html = render_to_string("notifications/_bell.html", unread_notifications(request))
    assert reverse("agreements:notifications") in html
    assert '<span class="badge rounded-pill text-bg-danger">1</span>' in html
    request.user = users["outsider"]
    html = render_to_string("notifications/_bell.html", unread_notifications(request))
    assert "badge" not in html


# --- the profile page: address and which notices come by e-mail ----------------------------------
def test_the_profile_sets_the_address_and_mutes_the_e_mails_of_one_kind(
    client, cast, mailoutbox, django_capture_on_commit_callbacks
):
    agreement, users = cast
    drafter = users["drafter"]
    client.force_login(drafter)
    page = client.get(reverse("profile")).content.decode()
    assert "op.keuangan@kpu.test" in page and reverse("otp_settings") in page
    data = {"email": "baru@kpu.test", **{f"surel_{k}": "on" for k in ("alur", "reviu")}}
    assert client.post(reverse("profile"), data).status_code == 302
    drafter.refresh_from_db()
    assert drafter.email == "baru@kpu.test"
    assert set(drafter.email_muted) == {"pengembalian", "penyampaian", "pemantauan"}

    act(django_capture_on_commit_callbacks, agreement, "submit", users["secretariat_operator"])
    mailoutbox.clear()
    act(django_capture_on_commit_callbacks, agreement, "return", users["approver"], "Perbaiki.")
    assert "op.keuangan" in notified(agreement)  # in the app, always
    assert ["baru@kpu.test"] not in [m.to for m in mailoutbox]  # returns: muted
    assert ["op.sekretariat@kpu.test"] in [m.to for m in mailoutbox]


def test_a_bad_address_on_the_profile_is_refused_and_nothing_saved(client, cast):
    _agreement, users = cast
    client.force_login(users["drafter"])
    response = client.post(reverse("profile"), {"email": "bukan alamat"})
    assert response.status_code == 400 and "alamat surel yang benar" in response.content.decode()
    users["drafter"].refresh_from_db()
    assert users["drafter"].email == "op.keuangan@kpu.test"
