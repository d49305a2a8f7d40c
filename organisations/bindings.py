"""Who can sign for an official is decided by two people (issue 16, docs/signing.md).

A unit administrator asks: binding an account to an official as signatory, or changing an
official's e-mail of record (where enrolment links and signing notices go). An administrator
of the superior office, or of the KPU, decides; never the one who asked. The official's
address of record is told of each request and of its decision, so an official learns at once
that someone asked to sign in their name.

    request_binding(user, unit, official, requested_by, email="") -> SignatoryRequest
    request_email_change(official, unit, new_email, requested_by) -> SignatoryRequest
    decision_refusal(signatory_request, user) -> str | None       who may decide
    decidable_by(user) -> QuerySet                                  pending, for this user
    approve(signatory_request, user) / reject(signatory_request, user)

Approving a binding deactivates the official's earlier signatory memberships and sends
`organisations.signals.signatory_bound` (the signing code revokes the old key and e-mails an
enrolment link). A unit administrator alone can therefore never make anyone a signatory.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import (
    Membership,
    Official,
    RequestKind,
    RequestStatus,
    Role,
    SignatoryRequest,
    Unit,
    UnitKind,
)
from organisations.signals import signatory_bound
from organisations.tasks import queue_email


class RequestRefused(Exception):  # noqa: N818 - reads as what happened
    """The request or decision is not allowed; the message says why, in Indonesian."""


def superior_office(unit: Unit) -> Unit | None:
    """The office above the unit's office (KPU Provinsi above a KPU Kab/Kota, the KPU above a
    province), None for the KPU itself."""
    office = unit.satker or unit
    return office.parent.satker if office.parent_id and office.parent.satker_id else None


def _administered_offices(user) -> set[int]:
    return set(
        Membership.objects.filter(user=user, role=Role.ADMINISTRATOR, is_active=True).values_list(
            "unit__satker_id", flat=True
        )
    )


def _kpu_office_ids() -> set[int]:
    return set(Unit.objects.filter(kind=UnitKind.KPU).values_list("pk", flat=True))


def decision_refusal(signatory_request: SignatoryRequest, user) -> str | None:
    """Why `user` may not approve or reject the request (None: they may)."""
    if not user.is_authenticated:
        return _("Silakan masuk terlebih dahulu.")
    if not signatory_request.is_pending:
        return _("Permintaan ini sudah diputuskan.")
    if signatory_request.requested_by_id == user.pk:
        return _("Permintaan yang Anda ajukan sendiri diputuskan oleh orang lain.")
    if user.is_superuser:
        return None
    offices = _administered_offices(user)
    superior = superior_office(signatory_request.unit)
    if (superior and superior.pk in offices) or offices & _kpu_office_ids():
        return None
    return _(
        "Hanya administrator unit atasan (%(office)s) atau administrator KPU yang dapat "
        "memutuskan permintaan ini."
    ) % {"office": superior.short_name if superior else _("KPU")}


def decidable_by(user):
    """The pending requests `user` may decide."""
    if not user.is_authenticated:
        return SignatoryRequest.objects.none()
    pending = (
        SignatoryRequest.objects.filter(status=RequestStatus.PENDING)
        .exclude(requested_by=user)
        .select_related("official", "user", "unit", "unit__satker", "requested_by")
    )
    if user.is_superuser:
        return pending
    offices = _administered_offices(user)
    if not offices:
        return pending.none()
    if offices & _kpu_office_ids():
        return pending
    # Offices directly below one the user administers.
    below = Unit.objects.filter(parent__satker_id__in=offices, kind__in=(
        UnitKind.PROVINSI, UnitKind.KABKOTA)).values("pk")  # fmt: skip
    return pending.filter(unit__satker_id__in=below)


def _tell(addresses, subject: str, body: str) -> None:
    to = sorted({a for a in addresses if a})
    if to:
        transaction.on_commit(lambda: queue_email(subject, body, to))


def _describe(signatory_request: SignatoryRequest) -> str:
    if signatory_request.kind == RequestKind.BIND:
        return _("akun %(user)s di %(unit)s dijadikan penandatangan atas nama %(official)s") % {
            "user": signatory_request.user.get_username(),
            "unit": signatory_request.unit.short_name,
            "official": signatory_request.official.name,
        }
    return _("surel %(official)s diganti dari “%(old)s” menjadi “%(new)s”") % {
        "official": signatory_request.official.name,
        "old": signatory_request.old_email or "-",
        "new": signatory_request.new_email,
    }


def _who(user) -> str:
    return f"{user.get_full_name() or user.get_username()} ({user.get_username()})"


def request_binding(*, user, unit, official: Official, requested_by, email: str = ""):
    """Ask that `user` sign for `official` from `unit`; `email` records the official's
    address when none is on record yet (it is set on approval). Tells the official."""
    if not official.email and not email:
        raise RequestRefused(
            _(
                "Pejabat ini belum memiliki surel tercatat: isikan surel pejabat, tempat tautan "
                "pendaftaran kunci tanda tangan akan dikirim."
            )
        )
    created = SignatoryRequest.objects.create(
        kind=RequestKind.BIND,
        official=official,
        user=user,
        unit=unit,
        new_email="" if official.email else email,
        requested_by=requested_by,
    )
    body = _(
        "%(who)s meminta agar %(what)s. Permintaan ini menunggu persetujuan administrator unit "
        "atasan.\n\nJika Anda tidak mengenal permintaan ini, segera hubungi administrator unit "
        "atasan: akun itu belum dapat menandatangani apa pun."
    ) % {"who": _who(requested_by), "what": _describe(created)}
    _tell([official.email or email], _("Permintaan penandatangan atas nama Anda"), body)
    return created


def request_email_change(*, official: Official, unit, new_email: str, requested_by):
    """Ask that the official's e-mail of record become `new_email`. Tells the address of
    record (and the new one)."""
    if new_email.strip().lower() == (official.email or "").lower():
        raise RequestRefused(_("Surel itu sudah tercatat untuk pejabat ini."))
    created = SignatoryRequest.objects.create(
        kind=RequestKind.EMAIL,
        official=official,
        unit=unit,
        old_email=official.email,
        new_email=new_email.strip(),
        requested_by=requested_by,
    )
    body = _(
        "%(who)s meminta agar %(what)s. Permintaan ini menunggu persetujuan administrator unit "
        "atasan. Jika Anda tidak mengenalnya, segera hubungi administrator unit atasan."
    ) % {"who": _who(requested_by), "what": _describe(created)}
    _tell([official.email, new_email], _("Permintaan ganti surel pejabat"), body)
    return created


def _decide(signatory_request: SignatoryRequest, user, status: str) -> SignatoryRequest:
    locked = SignatoryRequest.objects.select_for_update().get(pk=signatory_request.pk)
    reason = decision_refusal(locked, user)
    if reason:
        raise RequestRefused(reason)
    locked.status = status
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def approve(signatory_request: SignatoryRequest, user) -> SignatoryRequest:
    """Approve as `user` (decision_refusal must be None, else RequestRefused).

    Side effects: BIND — the official's other active signatory memberships are deactivated,
    the requested account gets an active signatory membership for the official, the official's
    e-mail is recorded if asked, and `signatory_bound` goes out (key revoked, enrolment link
    e-mailed). EMAIL — the official's e-mail of record changes. Both: the addresses of record
    (old and new) are told."""
    locked = _decide(signatory_request, user, RequestStatus.APPROVED)
    official = Official.objects.select_for_update().get(pk=locked.official_id)
    addresses = [official.email, locked.new_email]
    if locked.new_email and (locked.kind == RequestKind.EMAIL or not official.email):
        official.email = locked.new_email
        official.save(update_fields=["email"])
    if locked.kind == RequestKind.BIND:
        previous = Membership.objects.filter(
            official=official, role=Role.SIGNATORY, is_active=True
        ).exclude(user=locked.user, unit=locked.unit)
        replaced = list(previous)
        previous.update(is_active=False)
        membership, _created = Membership.objects.update_or_create(
            user=locked.user,
            unit=locked.unit,
            role=Role.SIGNATORY,
            defaults={"official": official, "is_active": True},
        )
        signatory_bound.send(
            sender=SignatoryRequest,
            official=official,
            membership=membership,
            replaced=replaced,
            approved_by=user,
        )
    body = _("%(who)s menyetujui permintaan agar %(what)s.") % {
        "who": _who(user),
        "what": _describe(locked),
    }
    _tell(addresses, _("Permintaan penandatangan disetujui"), body)
    return locked


@transaction.atomic
def reject(signatory_request: SignatoryRequest, user) -> SignatoryRequest:
    """Reject as `user`. Side effects: the official's address of record is told."""
    locked = _decide(signatory_request, user, RequestStatus.REJECTED)
    body = _("%(who)s menolak permintaan agar %(what)s.") % {
        "who": _who(user),
        "what": _describe(locked),
    }
    _tell([locked.official.email, locked.new_email], _("Permintaan penandatangan ditolak"), body)
    return locked
