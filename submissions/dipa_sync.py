"""The one DIPA (submissions.Dipa) is copied into the DIPA lines of the draft PK statements.

An office records its DIPA once, on the DIPA page (or KPU imports it); it starts the 30-day
signing deadline and the PK statement prints it. The statement form does not take a DIPA of its
own: an editable PK (draft or returned) always carries a copy of the DIPA that governs it — its
unit's, or for a Bagian/Subbagian its office's — written when the DIPA is saved and when a PK is
created. A submitted or signed PK keeps the copy it was submitted with (its content is locked).

Signals, because the DIPA is saved by the form, the import and the admin alike, and because the
agreements app (below this one) must not know about submissions.
"""

from django.db.models import F
from django.db.models.signals import post_save

from agreements.models import Agreement
from submissions.models import Dipa
from submissions.models.reminders import SUB_UNIT_KINDS

EDITABLE = ("draf", "dikembalikan")


def fill_from_dipa(dipa: Dipa) -> int:
    """Side effects: writes the DIPA into the editable PKs it governs (the unit's, and its
    Bagian/Subbagian's that have no nearer DIPA); returns how many changed."""
    unit = dipa.unit
    sub_units = unit.descendants().filter(kind__in=SUB_UNIT_KINDS).values_list("pk", flat=True)
    drafts = Agreement.objects.filter(
        status__in=EDITABLE, year=dipa.year, unit__in=[unit.pk, *sub_units]
    )
    changed = 0
    for draft in drafts.select_related("unit").exclude(
        dipa_number=dipa.number, dipa_date=dipa.ratified_on
    ):
        if draft.unit_id != unit.pk and Dipa.objects.governing(draft.unit, dipa.year) != dipa:
            continue  # a nearer office recorded its own
        # lock_version moves on, so a statement form opened before says so instead of undoing it.
        changed += Agreement.objects.filter(pk=draft.pk, status__in=EDITABLE).update(
            dipa_number=dipa.number, dipa_date=dipa.ratified_on, lock_version=F("lock_version") + 1
        )
    return changed


def _dipa_saved(sender, instance: Dipa, **kwargs):
    if kwargs.get("raw"):  # loaddata
        return
    fill_from_dipa(instance)


def _agreement_created(sender, instance: Agreement, created, **kwargs):
    if not created or kwargs.get("raw") or instance.status not in EDITABLE:
        return
    dipa = Dipa.objects.governing(instance.unit, instance.year)
    if dipa is None:
        return
    Agreement.objects.filter(pk=instance.pk).update(
        dipa_number=dipa.number, dipa_date=dipa.ratified_on
    )
    instance.dipa_number, instance.dipa_date = dipa.number, dipa.ratified_on


def connect() -> None:
    post_save.connect(_dipa_saved, sender=Dipa, dispatch_uid="dipa-fills-drafts")
    post_save.connect(_agreement_created, sender=Agreement, dispatch_uid="new-pk-takes-dipa")
