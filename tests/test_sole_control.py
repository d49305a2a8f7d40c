"""Finding 1 of the independent test (issue 16), replayed: a signature only its official can
make. A unit administrator who binds rogue accounts to the Ketua and the Sekretaris gets a
request the superior office decides, never a signatory; even an approved binding, an
operator, a superuser or a copy of the database and the storage cannot open a key the
official enrolled with their own secret. Nothing is signed in any case."""

import datetime
import io
import re

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agreements.drafting import start_agreement
from agreements.lampiran import replace_lampiran
from agreements.models import KeyEnrolment, Signature, SignedDocument
from agreements.signing import devkeys
from agreements.signing.enrolment import find_enrolment
from agreements.signing.service import SigningRefused, sign_agreement
from agreements.signing.signers import (
    PKCS12Signer,
    SignerIdentity,
    SignerRejected,
    key_storage_name,
)
from agreements.workflow import WorkflowRefused, perform
from organisations.models import Membership, RequestStatus, Role, SignatoryRequest
from tests.factories import appoint, load_units, make_official, make_user, unit, verify_otp
from tests.test_signing import PASSWORD, ROWS

# Every e-mail is read from the outbox: the tasks run here, also where Redis is set.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

SEKRETARIAT = "64.74.sekretariat"
KETUA_SECRET = "rahasia-ketua-yang-asli"  # noqa: S105 - typed by the real Ketua at enrolment
SEKRETARIS_SECRET = "rahasia-sekretaris-asli"  # noqa: S105
GUESSES = ["", "dev-only-passphrase", devkeys.DEMO_SIGNING_SECRET, PASSWORD, "rahasia-ketua"]


@pytest.fixture
def bontang(settings):
    """The Sekretariat PK of KPU Kota Bontang (Pihak Pertama the Sekretaris, Pihak Kedua the
    Ketua), approved by the real Ketua; the real officials' accounts; the Bontang unit admin,
    an operator, the Kaltim (superior office) admin and a superuser."""
    settings.SITE_URL = "https://pk.kpu.go.id"
    load_units("64.74")
    ketua = appoint("64.74", make_official("Muzarroby Renfly")).official
    sekretaris = appoint(SEKRETARIAT, make_official("Bambang Rahmadhany")).official
    ketua.email, sekretaris.email = "ketua@kpu-bontang.go.id", "sekretaris@kpu-bontang.go.id"
    ketua.save()
    sekretaris.save()
    people = {
        "ketua": make_user("ketua", unit_code="64.74", role=Role.SIGNATORY, official=ketua),
        "sekretaris": make_user("sekretaris", unit_code=SEKRETARIAT, role=Role.SIGNATORY,
                                official=sekretaris),
        "operator": make_user("op.sekretariat", unit_code=SEKRETARIAT),
        "admin": make_user("admin.bontang", unit_code="64.74", role=Role.ADMINISTRATOR),
        "kaltim_admin": make_user("admin.kaltim", unit_code="64", role=Role.ADMINISTRATOR),
        "superuser": make_user("root", is_superuser=True, is_staff=True),
    }  # fmt: skip
    agreement = start_agreement(unit(SEKRETARIAT), 2027)
    replace_lampiran(agreement, ROWS)
    perform(agreement, "submit", people["operator"])
    perform(agreement, "approve", people["ketua"])
    return agreement, people, {"ketua": ketua, "sekretaris": sekretaris}


def nothing_signed(agreement):
    agreement.refresh_from_db()
    assert agreement.status == "disetujui"
    assert not SignedDocument.objects.exists() and not Signature.objects.exists()


def add_rogue(client, official, username):
    """The unit admin's POST of finding 1: an account of their own, bound to `official`."""
    return client.post(reverse("organisations:unit_users"), {
        "username": username, "full_name": "Akun Palsu", "email": f"{username}@contoh.id",
        "unit": unit("64.74").pk, "role": Role.SIGNATORY, "official": official.pk,
        "password": "sandi-awal-yang-panjang-1",
    })  # fmt: skip


def link_in(message) -> str:
    return re.search(r"https://pk\.kpu\.go\.id(/\S+)", message.body).group(1)


def enrol_through_the_link(client, user, secret):
    """The official opens the last link e-mailed to them, logged in as themselves."""
    client.force_login(user)
    response = client.post(link_in(mail.outbox[-1]), {"secret": secret, "secret_again": secret})
    assert response.status_code == 302, response.content.decode()[:500]


def test_a_unit_admin_binding_rogue_accounts_gets_pending_requests_and_nothing_signed(
    client, bontang, django_capture_on_commit_callbacks
):
    agreement, people, officials = bontang
    client.force_login(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        for official, username in ((officials["ketua"], "rogue.ketua"),
                                   (officials["sekretaris"], "rogue.sekretaris")):  # fmt: skip
            response = add_rogue(client, official, username)
            assert response.status_code == 302
    # The first step the design forbids: no signatory is made, two requests wait.
    rogues = [type(people["admin"]).objects.get(username=u) for u in ("rogue.ketua",
                                                                      "rogue.sekretaris")]  # fmt: skip
    assert not Membership.objects.filter(user__in=rogues).exists()
    assert SignatoryRequest.objects.filter(status=RequestStatus.PENDING).count() == 2
    # Each official's address of record heard of it.
    told = {to for message in mail.outbox for to in message.to}
    assert {"ketua@kpu-bontang.go.id", "sekretaris@kpu-bontang.go.id"} <= told
    # The admin cannot decide their own request, nor switch a signatory on.
    pending = SignatoryRequest.objects.first()
    decide = reverse("organisations:signatory_request_decide", args=[pending.pk, "setujui"])
    assert client.post(decide).status_code == 404
    assert SignatoryRequest.objects.get(pk=pending.pk).status == RequestStatus.PENDING

    # The rogue accounts log in, set up a one-time code, and try to approve and sign.
    for rogue, party in zip(rogues, ("pihak_kedua", "pihak_pertama"), strict=True):
        client.force_login(rogue)
        verify_otp(rogue, client)
        response = client.post(reverse("agreements:sign", args=[agreement.pk]), {
            "party": party, "password": "sandi-awal-yang-panjang-1",
            "signing_secret": devkeys.DEMO_SIGNING_SECRET})  # fmt: skip
        assert response.status_code == 404  # the rogue account sees no PK at all
        with pytest.raises(SigningRefused, match="Anda bukan"):
            sign_agreement(agreement, party, rogue, "sandi-awal-yang-panjang-1", secret="x" * 12)
    with pytest.raises(WorkflowRefused):
        perform(agreement, "return", rogues[0], note="palsu")
    nothing_signed(agreement)


def test_an_approved_rogue_binding_revokes_the_key_and_cannot_enrol_one(
    client, bontang, django_capture_on_commit_callbacks
):
    agreement, people, officials = bontang
    devkeys.enrol_official_key(officials["sekretaris"], SEKRETARIS_SECRET)
    client.force_login(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        add_rogue(client, officials["sekretaris"], "rogue.sekretaris")
        request = SignatoryRequest.objects.get()
        client.force_login(people["kaltim_admin"])  # careless, but the second person
        assert "rogue.sekretaris" in client.get(
            reverse("organisations:signatory_requests")).content.decode()  # fmt: skip
        client.post(reverse("organisations:signatory_request_decide",
                            args=[request.pk, "setujui"]))  # fmt: skip
    rogue = type(people["admin"]).objects.get(username="rogue.sekretaris")
    assert Membership.objects.get(user=rogue).is_active
    # The change of binding: the old account is off and the old key revoked.
    assert not Membership.objects.get(user=people["sekretaris"], role=Role.SIGNATORY).is_active
    assert not default_storage.exists(key_storage_name(officials["sekretaris"].pk))
    # The enrolment link went to the official's address of record, not to the rogue.
    enrolment_mail = [m for m in mail.outbox if "Pendaftaran kunci" in m.subject]
    assert [m.to for m in enrolment_mail] == [["sekretaris@kpu-bontang.go.id"]]
    approved = [m for m in mail.outbox if "disetujui" in m.subject]
    assert approved and approved[0].to == ["sekretaris@kpu-bontang.go.id"]
    verify_otp(rogue)
    for guess in GUESSES:
        with pytest.raises(SigningRefused, match="belum mendaftarkan kunci"):
            sign_agreement(agreement, "pihak_pertama", rogue, "sandi-awal-yang-panjang-1",
                           secret=guess)  # fmt: skip
    # Asking for a link from the signing page sends it to the official again, not to the rogue.
    client.force_login(rogue)
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agreements:enrolment_link"))
    assert [m.to for m in mail.outbox[before:]] == [["sekretaris@kpu-bontang.go.id"]]
    nothing_signed(agreement)


@pytest.mark.parametrize("who", ["admin", "operator", "superuser"])
def test_without_the_officials_secret_nobody_else_signs_even_bound_to_the_official(bontang, who):
    agreement, people, officials = bontang
    devkeys.enrol_official_key(officials["sekretaris"], SEKRETARIS_SECRET)
    intruder = people[who]
    # Whatever the design forbids, suppose it bypassed: a signatory membership for the
    # Sekretaris written straight into the database (the Django admin, a shell).
    Membership.objects.create(user=intruder, unit=unit(SEKRETARIAT), role=Role.SIGNATORY,
                              official=officials["sekretaris"])  # fmt: skip
    verify_otp(intruder)
    for guess in GUESSES:
        with pytest.raises(SigningRefused, match="(?i)rahasia penandatanganan"):
            sign_agreement(agreement, "pihak_pertama", intruder, PASSWORD, secret=guess)
    nothing_signed(agreement)


def test_a_copy_of_the_database_and_the_storage_opens_no_key(bontang, settings):
    agreement, people, officials = bontang
    devkeys.enrol_official_key(officials["ketua"], KETUA_SECRET)
    stolen = default_storage.open(key_storage_name(officials["ketua"].pk)).read()
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert KETUA_SECRET not in dump.getvalue()
    candidates = [None, b"", settings.SIGNING_KEY_PASSPHRASE.encode(), settings.SECRET_KEY.encode(),
                  devkeys.DEMO_SIGNING_SECRET.encode(), PASSWORD.encode()]  # fmt: skip
    for password in candidates:
        with pytest.raises((ValueError, TypeError)):
            pkcs12.load_key_and_certificates(stolen, password)
    identity = SignerIdentity(officials["ketua"].pk, "Muzarroby Renfly", "Ketua", secret="x" * 12)
    with pytest.raises(SignerRejected):
        PKCS12Signer().load(identity.official_id, identity.secret)
    # Only the official's own secret opens it.
    key, certificate, _cas = pkcs12.load_key_and_certificates(stolen, KETUA_SECRET.encode())
    assert "Muzarroby Renfly" in certificate.subject.rfc4514_string()
    nothing_signed(agreement)


def test_the_official_enrols_through_the_link_and_signs_with_their_secret(
    client, bontang, django_capture_on_commit_callbacks
):
    agreement, people, officials = bontang
    sekretaris = people["sekretaris"]
    client.force_login(sekretaris)
    verify_otp(sekretaris, client)
    sign_url = reverse("agreements:sign", args=[agreement.pk])
    page = client.get(sign_url).content.decode()
    assert "Kirim tautan pendaftaran kunci" in page and 'name="signing_secret"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agreements:enrolment_link"), {"next": sign_url},
                               follow=True)  # fmt: skip
    assert "s***@kpu-bontang.go.id" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["sekretaris@kpu-bontang.go.id"]
    link = link_in(message)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert not KeyEnrolment.objects.filter(token_hash=token).exists()  # stored hashed
    assert find_enrolment(token) is not None

    # Another account (the operator) cannot use it; a weak secret is refused.
    client.force_login(people["operator"])
    assert client.get(link).status_code == 403
    client.force_login(sekretaris)
    weak = client.post(link, {"secret": "pendek", "secret_again": "pendek"})
    assert weak.status_code == 400 and "paling sedikit 10 karakter" in weak.content.decode()
    same = client.post(link, {"secret": PASSWORD, "secret_again": PASSWORD})
    assert "tidak boleh sama dengan sandi PK Portal" in same.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        enrol_through_the_link(client, sekretaris, SEKRETARIS_SECRET)
    assert client.get(link).status_code == 404  # used once
    assert "Kunci tanda tangan elektronik dibuat" in mail.outbox[-1].subject

    verify_otp(sekretaris, client)
    wrong = client.post(sign_url, {"party": "pihak_pertama", "password": PASSWORD,
                                   "signing_secret": devkeys.DEMO_SIGNING_SECRET})  # fmt: skip
    assert "Rahasia penandatanganan salah" in wrong.content.decode()
    assert not SignedDocument.objects.exists()
    signed = client.post(sign_url, {"party": "pihak_pertama", "password": PASSWORD,
                                    "signing_secret": SEKRETARIS_SECRET})  # fmt: skip
    assert signed.status_code == 302
    assert Signature.objects.get().user == sekretaris


def test_an_expired_link_does_not_enrol(client, bontang, django_capture_on_commit_callbacks):
    _agreement, people, officials = bontang
    client.force_login(people["ketua"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agreements:enrolment_link"))
    link = link_in(mail.outbox[-1])
    KeyEnrolment.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(link, {"secret": KETUA_SECRET, "secret_again": KETUA_SECRET})
    assert response.status_code == 404
    assert "Tautan pendaftaran tidak berlaku" in response.content.decode()
    assert not default_storage.exists(key_storage_name(officials["ketua"].pk))


def test_wrong_secrets_are_limited_per_official(bontang, settings):
    agreement, people, officials = bontang
    devkeys.enrol_official_key(officials["sekretaris"], SEKRETARIS_SECRET)
    verify_otp(people["sekretaris"])
    for _ in range(settings.SIGNING_SECRET_FAILURE_LIMIT):
        with pytest.raises(SigningRefused, match="Rahasia penandatanganan salah"):
            sign_agreement(agreement, "pihak_pertama", people["sekretaris"], PASSWORD,
                           secret="tebakan-yang-salah")  # fmt: skip
    with pytest.raises(SigningRefused, match="Terlalu banyak rahasia"):
        sign_agreement(agreement, "pihak_pertama", people["sekretaris"], PASSWORD,
                       secret=SEKRETARIS_SECRET)  # fmt: skip
    nothing_signed(agreement)


def test_an_officials_email_changes_only_with_the_superior_office(
    client, bontang, django_capture_on_commit_callbacks
):
    _agreement, people, officials = bontang
    client.force_login(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisations:official_email_request"), {
            "official": officials["ketua"].pk, "email": "palsu@contoh.id"})  # fmt: skip
    assert response.status_code == 302
    officials["ketua"].refresh_from_db()
    assert officials["ketua"].email == "ketua@kpu-bontang.go.id"  # pending
    assert any("ketua@kpu-bontang.go.id" in m.to for m in mail.outbox)
    request = SignatoryRequest.objects.get()
    client.force_login(people["kaltim_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organisations:signatory_request_decide", args=[request.pk, "tolak"]))
    officials["ketua"].refresh_from_db()
    assert officials["ketua"].email == "ketua@kpu-bontang.go.id"
    assert "ditolak" in mail.outbox[-1].subject and "ketua@kpu-bontang.go.id" in mail.outbox[-1].to


def test_a_deactivated_signatory_is_not_switched_back_on_by_the_unit_admin(client, bontang):
    _agreement, people, _officials = bontang
    membership = people["ketua"].memberships.get()
    client.force_login(people["admin"])
    toggle = reverse("organisations:membership_toggle", args=[membership.pk])
    client.post(toggle)
    membership.refresh_from_db()
    assert not membership.is_active
    response = client.post(toggle, follow=True)
    membership.refresh_from_db()
    assert not membership.is_active
    assert "tidak dapat diaktifkan kembali di sini" in response.content.decode()


def test_the_decision_pages_refuse_get_and_other_offices(client, bontang):
    _agreement, people, officials = bontang
    client.force_login(people["admin"])
    add_rogue(client, officials["ketua"], "rogue.ketua")
    request = SignatoryRequest.objects.get()
    decide = reverse("organisations:signatory_request_decide", args=[request.pk, "setujui"])
    client.force_login(people["kaltim_admin"])
    assert client.get(decide).status_code == 405
    assert client.post(reverse("organisations:signatory_request_decide",
                               args=[request.pk, "lain"])).status_code == 404  # fmt: skip
    load_units("96.71")
    papua = make_user("admin.papua", unit_code="96", role=Role.ADMINISTRATOR)
    client.force_login(papua)
    assert client.post(decide).status_code == 404
    assert SignatoryRequest.objects.get().status == RequestStatus.PENDING
    assert client.get(reverse("agreements:enrolment_link")).status_code == 405
