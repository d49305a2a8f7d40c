"""A PK's timeline: workflow transitions with their notes, lampiran changes, statement edits."""

from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement, AgreementEvent, AgreementStatus
from organisations.formatting import readable

# Kept in the timeline by the workflow events already, or not worth a reader's time.
_SKIPPED_FIELDS = {"status", "revision", "submitted_by", "lock_version", "updated_at", "created_at",
                   "check_errors", "check_warnings", "created_by"}  # fmt: skip
ACTION_TITLES = {
    "submit": gettext_lazy("Diajukan untuk disetujui"),
    "approve": gettext_lazy("Disetujui"),
    "return": gettext_lazy("Dikembalikan untuk perbaikan"),
    "withdraw": gettext_lazy("Pengajuan ditarik kembali"),
    "sign": gettext_lazy("Ditandatangani"),
    "deliver": gettext_lazy("Disampaikan"),
    "withdraw_delivery": gettext_lazy("Penyampaian ditarik kembali"),
    "compilation_withdraw": gettext_lazy("Kompilasi KPU Provinsi ditarik kembali dari KPU"),
    "accept": gettext_lazy("Diterima reviewer"),
    "review_return": gettext_lazy("Dikembalikan oleh reviewer"),
    "lampiran": gettext_lazy("Lampiran diubah"),
}


# A PK goes back to its drafters by its approver's or signatory's return, or a reviewer's.
RETURN_ACTIONS = ("return", "review_return")


def last_return(agreement: Agreement) -> AgreementEvent | None:
    """The latest return of the PK (with its note, who and when), or None (one query)."""
    return (
        agreement.events.filter(action__in=RETURN_ACTIONS)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def pending_return(agreement: Agreement) -> AgreementEvent | None:
    """The return the drafters still have to answer: shown on every page of the PK until it is
    submitted again."""
    if agreement.status != AgreementStatus.RETURNED:
        return None
    return last_return(agreement)


@dataclass
class Entry:
    at: object
    actor: object
    title: str
    note: str = ""
    lines: list = field(default_factory=list)
    tone: str = "secondary"


def timeline(agreement: Agreement) -> list[Entry]:
    """Newest first, in two queries."""
    entries = []
    for event in agreement.events.select_related("actor"):
        title = str(ACTION_TITLES.get(event.action, event.action))
        state = str(AgreementStatus(event.to_status).label)
        if event.from_status != event.to_status and state.lower() not in title.lower():
            title += f" ({state})"  # not "Dikembalikan oleh reviewer (Dikembalikan)"
        lines = (event.snapshot or {}).get("changes", []) if event.action == "lampiran" else []
        tone = "danger" if "return" in event.action else "primary"
        entries.append(Entry(event.at, event.actor, title, event.note, lines, tone))
    labels = {f.name: str(f.verbose_name) for f in Agreement._meta.fields}
    for log in LogEntry.objects.get_for_object(agreement).select_related("actor"):
        if log.action == LogEntry.Action.CREATE:
            entries.append(Entry(log.timestamp, log.actor, _("PK dibuat")))
            continue
        lines = [
            f"{labels.get(name, name)}: {readable(old)} → {readable(new)}"
            for name, (old, new) in (log.changes_dict or {}).items()
            if name not in _SKIPPED_FIELDS
        ]
        if lines:
            entries.append(
                Entry(log.timestamp, log.actor, _("Data pernyataan diubah"), lines=lines)
            )
    return sorted(entries, key=lambda e: e.at, reverse=True)
