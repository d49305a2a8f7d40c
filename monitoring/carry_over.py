"""Realisations follow their indicator when a PK's lampiran is rebuilt.

`replace_lampiran` (agreements) deletes every row of the lampiran and creates the new ones. A
signed PK that a reviewer returns is edited that way while its quarters may already hold
realisations and evidence: without this module they would go with the old rows. Before the
delete we note which row each realisation belonged to and that row's text; after, each one
moves to the new row with the same indicator text (normalised, paired in order like
amendments.match_rows). A realisation whose indicator is no longer in the lampiran is deleted
with its evidence, as the operator removed that indicator.
"""

from agreements.models import Agreement, IndicatorRow
from agreements.signals import lampiran_replaced, lampiran_replacing
from monitoring.amendments import match_rows
from monitoring.models import Realisation
from monitoring.series import DOCUMENT_ORDER

_NOTE = "_monitoring_rows_before"


def _rows(agreement):
    return IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement=agreement).order_by(
        *DOCUMENT_ORDER
    )


def _remember(sender, agreement, **kwargs):
    owners = dict(Realisation.objects.filter(agreement=agreement).values_list("pk", "row_id"))
    rows = list(_rows(agreement).filter(pk__in=set(owners.values())).values_list("pk", "text"))
    setattr(agreement, _NOTE, (owners, rows))


def _follow(sender, agreement, **kwargs):
    owners, old_rows = getattr(agreement, _NOTE, ({}, []))
    if hasattr(agreement, _NOTE):
        delattr(agreement, _NOTE)
    if not owners:
        return
    paired = match_rows(old_rows, _rows(agreement).values_list("pk", "text"))
    new_for_old = {old: new for new, old in paired.items()}
    moves = {}
    for realisation_id, old_row in owners.items():
        if old_row in new_for_old:
            moves.setdefault(new_for_old[old_row], []).append(realisation_id)
    for new_row, realisation_ids in moves.items():
        Realisation.objects.filter(pk__in=realisation_ids).update(row_id=new_row)
    for realisation in Realisation.objects.filter(agreement=agreement, row__isnull=True):
        realisation.delete()  # its evidence files leave once the transaction commits


def connect():
    lampiran_replacing.connect(_remember, sender=Agreement, dispatch_uid="monitoring-remember")
    lampiran_replaced.connect(_follow, sender=Agreement, dispatch_uid="monitoring-follow")
