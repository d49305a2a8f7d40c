"""Enrolment of an official's signing key (PKCS#12 backend): the official alone sets the
secret that encrypts it.

    send_enrolment_link(official, requested_by) -> KeyEnrolment   e-mails a single-use link
    find_enrolment(token) -> KeyEnrolment | None                   a valid one (hash lookup)
    enrolment_refusal(enrolment, user) -> str | None               who may use it
    enrol(enrolment, user, secret)                                 key made, link used up
    revoke_on_new_binding(...)                                     signatory_bound receiver

The link goes to the e-mail on the official's record only (changed only with the superior
office's approval, organisations.bindings), is valid SIGNING_ENROLMENT_HOURS, works once, and
only for a user holding an active signatory membership of that official. The database keeps
the token's SHA-256, never the token; the secret is kept nowhere.
"""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import KeyEnrolment
from agreements.signing.devkeys import MIN_SECRET_LENGTH, enrol_official_key, revoke_official_key
from organisations.models import Membership, Official, Role
from organisations.tasks import queue_email

logger = logging.getLogger(__name__)


class EnrolmentRefused(Exception):  # noqa: N818 - reads as what happened
    """No link could be sent or used; the message says why, in Indonesian."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def masked(email: str) -> str:
    """ "k***@kpu.go.id": enough for the official to recognise their address."""
    name, _at, domain = (email or "").partition("@")
    return f"{name[:1]}***@{domain}" if domain else ""


def send_enrolment_link(official: Official, requested_by=None) -> KeyEnrolment:
    """E-mail a new single-use enrolment link to the official's e-mail of record.

    Side effects: earlier unused links of the official stop working; one KeyEnrolment row
    (the token's hash); the e-mail is queued after the commit. Raises EnrolmentRefused when the
    official has no e-mail of record."""
    if not official.email:
        raise EnrolmentRefused(
            _(
                "Pejabat ini belum memiliki surel tercatat. Minta administrator unit mengajukan "
                "surel pejabat; administrator unit atasan menyetujuinya."
            )
        )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        KeyEnrolment.objects.filter(official=official, used_at__isnull=True).update(expires_at=now)
        enrolment = KeyEnrolment.objects.create(
            official=official,
            token_hash=_hash(token),
            sent_to=official.email,
            requested_by=requested_by,
            expires_at=now + datetime.timedelta(hours=settings.SIGNING_ENROLMENT_HOURS),
        )
        link = settings.SITE_URL.rstrip("/") + reverse("agreements:key_enrolment", args=[token])
        body = _(
            "Yth. %(name)s,\n\nBuka tautan berikut untuk membuat kunci tanda tangan elektronik "
            "Anda di PK Portal dan menetapkan rahasia penandatanganan yang hanya Anda ketahui:\n\n"
            "%(link)s\n\nTautan berlaku %(hours)d jam dan hanya sekali. Masuklah dengan akun "
            "penandatangan Anda sendiri. PK Portal tidak menyimpan rahasia itu: jangan berikan "
            "kepada siapa pun, termasuk administrator.\n\nJika Anda tidak memintanya, abaikan "
            "surel ini dan hubungi administrator unit atasan."
        ) % {"name": official.name, "link": link, "hours": settings.SIGNING_ENROLMENT_HOURS}
        to = [official.email]
        transaction.on_commit(
            lambda: queue_email(_("Pendaftaran kunci tanda tangan elektronik"), body, to)
        )
    return enrolment


def find_enrolment(token: str) -> KeyEnrolment | None:
    """The unused, unexpired enrolment of this token, if any."""
    if not token or len(token) > 100:
        return None
    return (
        KeyEnrolment.objects.filter(
            token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("official")
        .first()
    )


def enrolment_refusal(enrolment: KeyEnrolment, user) -> str | None:
    """Why `user` may not enrol with this link (None: they may): only an account bound to
    the official as an active signatory."""
    bound = Membership.objects.filter(
        user=user, official_id=enrolment.official_id, role=Role.SIGNATORY, is_active=True
    ).exists()
    if not bound:
        return _("Tautan ini untuk %(name)s. Masuklah dengan akun penandatangan pejabat itu.") % {
            "name": enrolment.official.name
        }
    return None


def secret_problems(secret: str, user) -> list[str]:
    """What is wrong with a new signing secret (empty: nothing)."""
    problems = []
    if len(secret) < MIN_SECRET_LENGTH:
        problems.append(
            _("Rahasia penandatanganan paling sedikit %(n)d karakter.") % {"n": MIN_SECRET_LENGTH}
        )
    if secret and user.check_password(secret):
        problems.append(_("Rahasia penandatanganan tidak boleh sama dengan sandi PK Portal."))
    return problems


def enrol(enrolment: KeyEnrolment, user, secret: str) -> None:
    """Create the official's key, encrypted with `secret`, and use the link up.

    Side effects: the link is marked used (under a lock: two tabs cannot both enrol); the old
    key is replaced; the official's address of record is told. Raises EnrolmentRefused."""
    reason = enrolment_refusal(enrolment, user)
    if reason:
        raise EnrolmentRefused(reason)
    problems = secret_problems(secret, user)
    if problems:
        raise EnrolmentRefused(" ".join(problems))
    with transaction.atomic():
        locked = KeyEnrolment.objects.select_for_update().get(pk=enrolment.pk)
        if locked.used_at is not None or locked.expires_at <= timezone.now():
            raise EnrolmentRefused(_("Tautan pendaftaran ini sudah dipakai atau kedaluwarsa."))
        locked.used_at = timezone.now()
        locked.used_by = user
        locked.save(update_fields=["used_at", "used_by"])
        enrol_official_key(locked.official, secret)
        official = locked.official
        body = _(
            "Kunci tanda tangan elektronik %(name)s dibuat oleh akun %(user)s. Kunci yang lama "
            "(jika ada) tidak berlaku lagi.\n\nJika bukan Anda, segera hubungi administrator unit "
            "atasan."
        ) % {"name": official.name, "user": user.get_username()}
        to = [official.email] if official.email else []
        if to:
            transaction.on_commit(
                lambda: queue_email(_("Kunci tanda tangan elektronik dibuat"), body, to)
            )


def revoke_on_new_binding(sender, official, membership, replaced, approved_by, **kwargs):
    """organisations.signals.signatory_bound: a new binding revokes the official's key and
    e-mails an enrolment link to the official's address of record."""
    if revoke_official_key(official.pk):
        logger.info("key of official %s revoked by a new binding", official.pk)
    KeyEnrolment.objects.filter(official=official, used_at__isnull=True).update(
        expires_at=timezone.now()
    )
    try:
        send_enrolment_link(official, requested_by=approved_by)
    except EnrolmentRefused:
        logger.warning(
            "official %s bound without an e-mail of record: no enrolment link", official.pk
        )
