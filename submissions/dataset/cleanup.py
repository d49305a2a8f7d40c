"""The PKs a year already has in the chosen offices, and deleting them (for --replace)."""

from auditlog.context import disable_auditlog
from django.db.models import Q

from agreements.models import (
    Agreement,
    AgreementEvent,
    BudgetLine,
    CheckAcceptance,
    IndicatorRow,
    LampiranKegiatan,
    LampiranProgramme,
    Notification,
    Sasaran,
    Signature,
    SignedDocument,
)
from organisations.models import Unit
from submissions.models import Compilation, OutgoingDelivery, Submission


def province_scope(province_codes) -> Q:
    if not province_codes:
        return Q()
    return Q(province__isnull=True) | Q(province__code__in=list(province_codes))


def existing_agreements(year: int, scope: Q):
    return Agreement.objects.filter(year=year).filter(
        unit__in=Unit.objects.filter(scope).values("pk")
    )


def delete_year(year: int, scope: Q | None = None) -> int:
    """Delete the PKs of `year` in `scope` (all offices by default) and everything hanging
    from them, bottom up so that each step is one DELETE. Returns the number of PKs deleted."""

    scope = scope if scope is not None else Q()
    agreements = existing_agreements(year, scope)
    ids = agreements.values("pk")
    count = agreements.count()
    AgreementEvent.objects.filter(agreement__in=ids).delete()
    OutgoingDelivery.objects.filter(submission__agreement__in=ids).delete()
    compilations = list(
        Submission.objects.filter(agreement__in=ids, compilation__isnull=False)
        .values_list("compilation_id", flat=True)
        .distinct()
    )
    Submission.objects.filter(agreement__in=ids).delete()
    Compilation.objects.filter(pk__in=compilations, submissions__isnull=True).delete()
    Signature.objects.filter(document__agreement__in=ids).delete()
    SignedDocument.objects.filter(agreement__in=ids).delete()
    IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement__in=ids).delete()
    Sasaran.objects.filter(kegiatan__programme__agreement__in=ids).delete()
    LampiranKegiatan.objects.filter(programme__agreement__in=ids).delete()
    LampiranProgramme.objects.filter(agreement__in=ids).delete()
    BudgetLine.objects.filter(agreement__in=ids).delete()
    CheckAcceptance.objects.filter(agreement__in=ids).delete()
    Notification.objects.filter(agreement__in=ids).delete()
    with disable_auditlog():
        agreements.delete()
    return count
