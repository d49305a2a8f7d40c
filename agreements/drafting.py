"""Starting and copying PKs: the domain rules behind the drafting pages and the demo loader."""

import contextlib
import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agreements.lampiran import INDIKATOR, flatten, replace_lampiran
from agreements.models import Agreement, AgreementStatus
from agreements.permissions import drafting_refusal
from organisations.models import Unit
from organisations.signatories import VacantPosition, pk_kind_for


class DraftingError(Exception):
    """A PK cannot be started as asked; the message is for the user, in Indonesian."""


def deletion_refusal(user, agreement: Agreement) -> str | None:
    """Why `user` may not delete `agreement`, or None: only a draft that was never submitted
    (a mistaken one, a PK started for the wrong year), by one of its drafters."""
    if (
        agreement.status != AgreementStatus.DRAFT
        or agreement.events.filter(action="submit").exists()
    ):
        return _("Hanya draf yang belum pernah diajukan yang dapat dihapus.")
    return drafting_refusal(user, agreement.unit)


@transaction.atomic
def delete_draft(agreement: Agreement, user) -> None:
    """Delete a draft never submitted, with its lampiran; raises DraftingError with the reason.

    Side effects: the lampiran, budget and accepted warnings go with it (cascade); the audit
    log keeps the deletion."""
    locked = Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    if locked is None:
        return  # deleted by another click already: the same outcome
    reason = deletion_refusal(user, locked)
    if reason:
        raise DraftingError(reason)
    locked.delete()


def latest_version(unit: Unit, year: int) -> Agreement | None:
    return Agreement.objects.filter(unit=unit, year=year).order_by("-version").first()


@transaction.atomic
def start_agreement(unit: Unit, year: int, user=None, sign_date=None) -> Agreement:
    """Create the draft PK of `unit` for `year`, with its signatories looked up.

    A vacant signatory post does not block drafting: the PK starts without names and the
    page says what is missing. Raises DraftingError when the unit already has a PK that year.
    """
    if Agreement.objects.filter(unit=unit, year=year).exists():
        raise DraftingError(
            _("%(unit)s sudah memiliki PK tahun %(year)s.") % {"unit": unit, "year": year}
        )
    agreement = Agreement(
        unit=unit,
        year=year,
        status=AgreementStatus.DRAFT,
        pk_kind=pk_kind_for(unit),
        place=unit.city,
        sign_date=sign_date,
        created_by=user,
    )
    with contextlib.suppress(VacantPosition):
        agreement.refresh_signatories(sign_date or datetime.date(year, 1, 2))
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError:
        raise DraftingError(
            _("%(unit)s sudah memiliki PK tahun %(year)s.") % {"unit": unit, "year": year}
        ) from None
    return agreement


@dataclass
class CopySource:
    agreement: Agreement
    label: str


def copy_sources(unit: Unit, year: int, user) -> list[CopySource]:
    """The PKs a new PK of `unit` may start from: last year's, and the parent unit's this year."""
    visible = Agreement.objects.visible_to(user)
    sources = []
    previous = visible.filter(unit=unit, year__lt=year).order_by("-year", "-version").first()
    if previous:
        sources.append(CopySource(previous, _("PK %(year)s unit ini") % {"year": previous.year}))
    if unit.parent_id:
        parent = visible.filter(unit_id=unit.parent_id, year=year).order_by("-version").first()
        if parent:
            sources.append(CopySource(parent, _("PK %(unit)s %(year)s") % {
                "unit": parent.unit, "year": year}))  # fmt: skip
    return sources


@transaction.atomic
def copy_forward(
    source: Agreement,
    target: Agreement,
    indicator_positions: set[int] | None = None,
    expected_lock_version: int | None = None,
    user=None,
):
    """Copy the lampiran of `source` into `target` (rows, targets and budget lines).

    With `indicator_positions` (0-based positions of indicator rows in document order) only
    those indicators are copied and no budget line, as when a Subbagian picks rows of its
    Sekretariat's PK. Replaces what `target` had; bumps its lock version.
    """
    rows = flatten(source)
    if indicator_positions is not None:
        indicators = [r for r in rows if r.jenis == INDIKATOR]
        rows = [r for i, r in enumerate(indicators) if i in indicator_positions]
    how = _("Disalin dari %(pk)s") % {"pk": source}
    return replace_lampiran(target, rows, expected_lock_version, user=user, how=how)


AMENDABLE_STATUSES = {"ditandatangani", "disampaikan", "diterima"}


@transaction.atomic
def start_amendment(agreement: Agreement, user, reason: str, note: str, day) -> Agreement:
    """Start a PK Perubahan of a signed PK: a new version linked to it, with its rows.

    The old version stays as it is (signed, readable). The new one is a draft that goes through
    the workflow again; its parties are the officials holding the posts on `day` (acting ones
    printed as Plt./Plh.). Raises DraftingError when the PK cannot be amended.
    """
    agreement = Agreement.objects.select_for_update().select_related("unit").get(pk=agreement.pk)
    if agreement.status not in AMENDABLE_STATUSES:
        raise DraftingError(
            _("Hanya PK yang sudah ditandatangani yang dapat diubah (PK Perubahan).")
        )
    latest = latest_version(agreement.unit, agreement.year)
    if latest.pk != agreement.pk:
        raise DraftingError(
            _("PK ini sudah memiliki versi yang lebih baru (versi %(v)s).") % {"v": latest.version}
        )
    if day.year not in (agreement.year - 1, agreement.year):
        raise DraftingError(_("Tanggal perubahan harus pada tahun %(y)s.") % {"y": agreement.year})
    amendment = Agreement(
        unit=agreement.unit,
        year=agreement.year,
        version=agreement.version + 1,
        status=AgreementStatus.DRAFT,
        pk_kind=agreement.pk_kind,
        place=agreement.place,
        sign_date=day,
        renstra_reference=agreement.renstra_reference,
        rkt_reference=agreement.rkt_reference,
        rka_reference=agreement.rka_reference,
        dipa_number=agreement.dipa_number,
        dipa_date=agreement.dipa_date,
        amends=agreement,
        amendment_reason=reason,
        amendment_note=note,
        amendment_date=day,
        created_by=user,
    )
    with contextlib.suppress(VacantPosition):
        amendment.refresh_signatories(day)
    amendment.save()
    copy_forward(agreement, amendment, user=user)
    return amendment
