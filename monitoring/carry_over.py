"""Realisations follow their indicator when a PK's lampiran is rebuilt.

`replace_lampiran` (agreements) deletes every row of the lampiran and creates the new ones. A
signed PK that a reviewer returns is edited that way while its quarters may already hold
realisations and evidence: without this module they would go with the old rows. Before the
delete we note which row each realisation belonged to and that row's text; after, each one
moves to the new row with the same indicator text (normalised, paired in order like
amendments.match_rows). A realisation whose indicator is no longer in the lampiran is deleted
with its evidence, as the operator removed that indicator.
"""

from django.utils.translation import gettext as _

from agreements.models import Agreement, IndicatorRow
from agreements.signals import lampiran_replaced, lampiran_replacing
from monitoring.amendments import match_rows
from monitoring.models import QuarterEvent, Realisation
from monitoring.series import DOCUMENT_ORDER

_NOTE = "_monitoring_rows_before"


def _rows(agreement):
    return IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement=agreement).order_by(
        *DOCUMENT_ORDER
    )


def _remember(sender, agreement, **kwargs):
    owners = {
        pk: (row_id, quarter)
        for pk, row_id, quarter in Realisation.objects.filter(agreement=agreement).values_list(
            "pk", "row_id", "quarter"
        )
    }
    rows = {
        pk: (text, target)
        for pk, text, target in _rows(agreement)
        .filter(pk__in={row_id for row_id, _quarter in owners.values()})
        .values_list("pk", "text", "target_text")
    }
    setattr(agreement, _NOTE, (owners, rows))


def _follow(sender, agreement, user=None, **kwargs):
    owners, old_rows = getattr(agreement, _NOTE, ({}, {}))
    if hasattr(agreement, _NOTE):
        delattr(agreement, _NOTE)
    if not owners:
        return
    new_rows = {pk: (text, target) for pk, text, target in _rows(agreement).values_list(
        "pk", "text", "target_text")}  # fmt: skip
    paired = match_rows(
        [(pk, text) for pk, (text, _t) in old_rows.items()],
        [(pk, text) for pk, (text, _t) in new_rows.items()],
    )
    new_for_old = {old: new for new, old in paired.items()}
    moves, changes = {}, {}
    position = {row: i for i, row in enumerate(old_rows)}  # old_rows are in document order
    in_document_order = sorted(owners.items(), key=lambda item: position[item[1][0]])
    for realisation_id, (old_row, quarter) in in_document_order:
        text, old_target = old_rows[old_row]
        if old_row in new_for_old:
            new_row = new_for_old[old_row]
            moves.setdefault(new_row, []).append(realisation_id)
            new_target = new_rows[new_row][1]
            if new_target != old_target:
                changes.setdefault(quarter, []).append(
                    _("%(i)s: target %(old)s → %(new)s, realisasi tetap")
                    % {"i": text, "old": old_target, "new": new_target}
                )
        else:
            changes.setdefault(quarter, []).append(
                _("%(i)s: realisasi dihapus karena indikatornya tidak ada lagi di lampiran")
                % {"i": text}
            )
    for new_row, realisation_ids in moves.items():
        Realisation.objects.filter(pk__in=realisation_ids).update(row_id=new_row)
    for realisation in Realisation.objects.filter(agreement=agreement, row__isnull=True):
        realisation.delete()  # its evidence files leave once the transaction commits
    # What the rebuilt lampiran did to each quarter's report, in its history.
    QuarterEvent.objects.bulk_create(
        QuarterEvent(agreement=agreement, quarter=quarter, action="lampiran",
                     note=_("Lampiran PK diubah."), changes=lines, actor=user)
        for quarter, lines in sorted(changes.items())
    )  # fmt: skip


def connect():
    lampiran_replacing.connect(_remember, sender=Agreement, dispatch_uid="monitoring-remember")
    lampiran_replaced.connect(_follow, sender=Agreement, dispatch_uid="monitoring-follow")
