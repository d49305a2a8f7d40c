"""The DIPA recorded once (submissions.Dipa) fills the DIPA lines of the PK statements.

The DIPA page is where an office records its DIPA (it starts the 30-day signing deadline); the
PK statement prints the same number and date. Typing them twice invites two different
numbers, so a draft PK whose DIPA lines are still empty takes them from the record: when the
DIPA is saved (for the unit's drafts and those of its Bagian/Subbagian) and when a PK is
created after it. A PK whose operator typed a DIPA keeps it, and a submitted or signed PK is
never touched (its content is locked).

Signals, because the DIPA is saved by the form, the import and the admin alike, and because the
agreements app (below this one) must not know about submissions.
"""

from django.db.models import F, Q
from django.db.models.signals import post_save

from agreements.models import Agreement
from submissions.models import Dipa

EDITABLE = ("draf", "dikembalikan")
SUB_UNIT_KINDS = ("bagian", "subbagian")


def _empty_drafts():
    return Agreement.objects.filter(status__in=EDITABLE, dipa_number="", dipa_date__isnull=True)


def fill_from_dipa(dipa: Dipa) -> int:
    """Side effects: writes the DIPA into the empty drafts of its unit and sub-units."""
    unit = dipa.unit
    sub_units = unit.descendants().filter(kind__in=SUB_UNIT_KINDS).values("pk")
    drafts = _empty_drafts().filter(Q(unit=unit) | Q(unit__in=sub_units), year=dipa.year)
    # lock_version moves on, so a statement form opened before says so instead of blanking it.
    return drafts.update(
        dipa_number=dipa.number, dipa_date=dipa.ratified_on, lock_version=F("lock_version") + 1
    )


def _dipa_saved(sender, instance: Dipa, **kwargs):
    if kwargs.get("raw"):  # loaddata
        return
    fill_from_dipa(instance)


def _agreement_created(sender, instance: Agreement, created, **kwargs):
    if not created or kwargs.get("raw") or instance.dipa_number or instance.dipa_date:
        return
    unit = instance.unit
    codes = [unit.code]
    if unit.kind in SUB_UNIT_KINDS:
        codes += reversed(unit.ancestor_codes)  # the nearest office with a DIPA
    for code in codes:
        dipa = Dipa.objects.filter(unit__code=code, year=instance.year).first()
        if dipa is not None:
            Agreement.objects.filter(pk=instance.pk).update(
                dipa_number=dipa.number, dipa_date=dipa.ratified_on
            )
            instance.dipa_number, instance.dipa_date = dipa.number, dipa.ratified_on
            return


def connect() -> None:
    post_save.connect(_dipa_saved, sender=Dipa, dispatch_uid="dipa-fills-drafts")
    post_save.connect(_agreement_created, sender=Agreement, dispatch_uid="new-pk-takes-dipa")
