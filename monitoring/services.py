"""Saving, submitting, verifying and returning a PK's quarter: all or nothing, each step in
one transaction that first locks the PK's row (so two saves of the same PK queue up).

    form_refusal(agreement, quarter, user, now)      why the quarter form is read-only
    save_quarter(agreement, quarter, entries, user, submit=False, now=None)
    verify_quarter(agreement, quarter, user, now=None)
    return_quarter(agreement, quarter, user, note, now=None)

Each raises QuarterRefused (a message for the user) when the step does not apply, and
save_quarter raises StaleRealisation when someone saved the quarter since the form was
opened; then nothing is kept, not even an uploaded file. Every step writes one QuarterEvent
and notifies (monitoring.notifications).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, IndicatorRow
from monitoring.amendments import quarter_owners
from monitoring.capaian import plain_number
from monitoring.deadlines import entry_window, window_message
from monitoring.evidence import MAX_EVIDENCE_PER_REALISATION, EvidenceInfo
from monitoring.models import (
    EDITABLE_REALISATION_STATUSES,
    MONITORED_STATUSES,
    Evidence,
    Quarter,
    QuarterEvent,
    Realisation,
    RealisationStatus,
    StaleRealisation,
)
from monitoring.notifications import notify
from monitoring.permissions import entry_refusal, verify_refusal
from monitoring.series import DOCUMENT_ORDER, quarter_status


class QuarterRefused(Exception):  # noqa: N818 - reads as what happened
    """The step does not apply now, or the user may not take it; the message says why."""


@dataclass
class Entry:
    """One line of the quarter form, cleaned."""

    row: IndicatorRow
    expected_lock_version: int | None  # None: the form saw no realisation for this row
    value: Decimal | None = None
    grade: str = ""
    explanation: str = ""
    obstacles: str = ""
    follow_up: str = ""
    new_files: list[tuple[object, EvidenceInfo]] = field(default_factory=list)
    remove_evidence: list[int] = field(default_factory=list)

    FIELDS = ("value", "grade", "explanation", "obstacles", "follow_up")

    def differs_from(self, realisation: Realisation | None) -> bool:
        if self.new_files or self.remove_evidence:
            return True
        if realisation is None:
            return any(getattr(self, f) not in (None, "") for f in self.FIELDS)
        return any(getattr(self, f) != getattr(realisation, f) for f in self.FIELDS)


UPDATED_FIELDS = (*Entry.FIELDS, "entered_by", "updated_at", "lock_version")
UPDATE_BATCH = 500  # lines per UPDATE: a PK has up to a few hundred indicators


def monitoring_refusal(agreement) -> str | None:
    if agreement.status not in MONITORED_STATUSES:
        return _("Realisasi hanya diisi untuk PK yang sudah ditandatangani.")
    return None


def owner_refusal(agreement, quarter: int) -> str | None:
    """A quarter measured by another version of the PK (an amendment) is reported there."""
    owner = quarter_owners(agreement.unit_id, agreement.year).get(quarter)
    if owner is not None and owner.pk != agreement.pk:
        return _(
            "%(quarter)s diukur dengan PK versi %(v)s (perubahan PK); isi realisasinya di sana."
        ) % {"quarter": Quarter(quarter).label, "v": owner.version}
    return None


def form_refusal(agreement, quarter: int, user, now=None, statuses=None) -> str | None:
    """Why `user` may not change the quarter's realisations now, or None when they may."""
    reason = monitoring_refusal(agreement) or owner_refusal(agreement, quarter)
    if reason:
        return reason
    now = now or timezone.now()
    window = entry_window(agreement.year, quarter, agreement.unit.time_zone, now)
    if not window.is_open:
        return window_message(window, agreement.year, quarter)
    reason = entry_refusal(user, agreement)
    if reason:
        return reason
    if statuses is None:
        statuses = Realisation.objects.filter(agreement=agreement, quarter=quarter).values_list(
            "status", flat=True
        )
    status = quarter_status(statuses)
    if status == RealisationStatus.SUBMITTED:
        return _("Realisasi triwulan ini sedang menunggu verifikasi sehingga tidak dapat diubah.")
    if status == RealisationStatus.VERIFIED:
        return _("Realisasi triwulan ini sudah diverifikasi sehingga tidak dapat diubah.")
    return None


def _lock(agreement) -> Agreement:
    return Agreement.objects.select_for_update().select_related("unit").get(pk=agreement.pk)


def _locked_realisations(agreement, quarter) -> dict[int, Realisation]:
    found = Realisation.objects.select_for_update().filter(agreement=agreement, quarter=quarter)
    return {r.row_id: r for r in found}


def short_name(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else cut at the last whole word with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


def _describe(entry: Entry, before: Realisation | None) -> str:
    def shown(value, grade):
        if grade:
            return grade
        return "—" if value is None else plain_number(Decimal(value), places=None)

    old = shown(before.value, before.grade) if before else "—"
    new = shown(entry.value, entry.grade)
    text = short_name(entry.row.text, 120)
    if old != new:
        return _("%(i)s: %(old)s → %(new)s") % {"i": text, "old": old, "new": new}
    return _("%(i)s: keterangan atau bukti dukung diubah") % {"i": text}


def save_quarter(agreement, quarter, entries: list[Entry], user, *, submit=False, now=None):
    """Save the quarter form's lines (and, with `submit`, send it for verification).

    Side effects: creates or updates a Realisation per changed line (lock version + 1),
    stores new evidence files and deletes removed ones (the stored files once committed),
    writes a QuarterEvent 'save' with the changes (and 'submit'), notifies the verifiers on
    submit. Returns the number of lines changed.
    """
    now = now or timezone.now()
    stored = []
    try:
        with transaction.atomic():
            locked = _lock(agreement)
            existing = _locked_realisations(locked, quarter)
            reason = form_refusal(locked, quarter, user, now, [r.status for r in existing.values()])
            if reason:
                raise QuarterRefused(reason)
            for entry in entries:
                current = existing.get(entry.row.pk)
                seen = entry.expected_lock_version
                if (current is None) != (seen is None) or (
                    current and current.lock_version != seen
                ):
                    raise StaleRealisation
            changed = [e for e in entries if e.differs_from(existing.get(e.row.pk))]
            changes = [_describe(e, existing.get(e.row.pk)) for e in changed]
            created, updated = [], []
            for entry in changed:
                realisation = existing.get(entry.row.pk)
                if realisation is None:
                    realisation = Realisation(row=entry.row, agreement=locked, quarter=quarter,
                                              lock_version=0)  # fmt: skip
                    created.append(realisation)
                else:
                    realisation.lock_version += 1
                    updated.append(realisation)
                for name in Entry.FIELDS:
                    setattr(realisation, name, getattr(entry, name))
                realisation.entered_by = user
                realisation.updated_at = now
            Realisation.objects.bulk_create(created)
            _update_lines(updated)
            if created and not all(r.pk for r in created):  # backends without RETURNING ids
                ids = dict(
                    Realisation.objects.filter(agreement=locked, quarter=quarter).values_list(
                        "row_id", "pk"
                    )
                )
                for realisation in created:
                    realisation.pk = ids[realisation.row_id]
            by_row = {**existing, **{r.row_id: r for r in created}}
            for entry in changed:
                realisation = by_row[entry.row.pk]
                if entry.remove_evidence:
                    # The stored files go once this commits (monitoring.models signal).
                    Evidence.objects.filter(
                        realisation=realisation, pk__in=entry.remove_evidence
                    ).delete()
                if entry.new_files:
                    count = Evidence.objects.filter(realisation=realisation).count()
                    if count + len(entry.new_files) > MAX_EVIDENCE_PER_REALISATION:
                        raise QuarterRefused(
                            _("Paling banyak %(n)d bukti dukung per indikator (%(i)s).")
                            % {"n": MAX_EVIDENCE_PER_REALISATION, "i": entry.row.text}
                        )
                for uploaded, info in entry.new_files:
                    evidence = Evidence(realisation=realisation, original_name=info.original_name,
                                        content_type=info.content_type, size=info.size,
                                        sha256=info.sha256, uploaded_by=user)  # fmt: skip
                    uploaded.seek(0)
                    # A PDF is stored as sanitised by monitoring.evidence, never as uploaded.
                    content = ContentFile(info.content) if info.content else uploaded
                    evidence.file.save(evidence.original_name, content, save=False)
                    stored.append((evidence.file.storage, evidence.file.name))
                    evidence.save()
            if changed:
                QuarterEvent.objects.create(
                    agreement=locked, quarter=quarter, action="save", changes=changes, actor=user
                )
            if submit:
                _submit(locked, quarter, user, now)
    except IntegrityError:  # someone created the same row's realisation at the same moment
        _delete_stored(stored)
        raise StaleRealisation from None
    except BaseException:
        _delete_stored(stored)
        raise
    return len(changed)


def _update_lines(realisations: list[Realisation]) -> None:
    """Write UPDATED_FIELDS of every changed line in one UPDATE … FROM (VALUES …) per
    UPDATE_BATCH lines: a query per line costs a round trip each (83 queries for 60 lines,
    273 for 250), and bulk_update's CASE per field and line costs more CPU to build than the
    lines themselves. Plain SQL over the model's own columns and value conversions."""
    meta = Realisation._meta
    fields = [meta.pk, *(meta.get_field(name) for name in UPDATED_FIELDS)]
    postgres = connection.vendor == "postgresql"
    # PostgreSQL types the VALUES columns from their first row: cast each placeholder.
    slots = ", ".join(
        f"CAST(%s AS {field.cast_db_type(connection)})" if postgres else "%s" for field in fields
    )
    quote = connection.ops.quote_name
    table, names = quote(meta.db_table), [f"column{i + 1}" for i in range(len(fields))]
    pairs = zip(fields[1:], names[1:], strict=True)
    assignments = ", ".join(f"{quote(field.column)} = v.{name}" for field, name in pairs)
    alias = f"v({', '.join(names)})" if postgres else "v"  # SQLite names them column1, …
    for start in range(0, len(realisations), UPDATE_BATCH):
        batch = realisations[start : start + UPDATE_BATCH]
        values = [
            field.get_db_prep_save(getattr(realisation, field.attname), connection)
            for realisation in batch
            for field in fields
        ]
        rows = ", ".join(f"({slots})" for _ in batch)
        # Names from the model's meta, every value a parameter.
        sql = f"UPDATE {table} SET {assignments} FROM (VALUES {rows}) AS {alias} WHERE "  # noqa: S608
        sql += f"{table}.{quote(meta.pk.column)} = v.{names[0]}"
        with connection.cursor() as cursor:
            cursor.execute(sql, values)


def _delete_stored(stored):
    for storage, name in stored:
        storage.delete(name)


# What each transition method of Realisation changes.
TRANSITION_FIELDS = {
    "submit": ("status", "submitted_by", "submitted_at", "return_note"),
    "verify": ("status", "verifier", "verified_at"),
    "return": ("status", "verifier", "verified_at", "return_note"),
}


def _transition(locked, quarter, user, method, action, from_statuses, now, note="") -> list:
    realisations = list(
        Realisation.objects.select_for_update().filter(agreement=locked, quarter=quarter)
    )
    status = quarter_status(r.status for r in realisations)
    if status not in from_statuses:
        labels = {**dict(RealisationStatus.choices), "": _("belum diisi")}
        raise QuarterRefused(
            _("Realisasi triwulan ini berstatus %(status)s; langkah ini tidak berlaku.")
            % {"status": labels[status]}
        )
    for realisation in realisations:  # the fsm checks each row's state
        args = (user, now, note) if action == "return" else (user, now)
        getattr(realisation, method)(*args)
    # The transition sets the same values on every row: one UPDATE for the quarter.
    first = realisations[0]
    Realisation.objects.filter(pk__in=[r.pk for r in realisations]).update(
        **{name: getattr(first, name) for name in TRANSITION_FIELDS[action]},
        lock_version=F("lock_version") + 1,
        updated_at=now,
    )
    QuarterEvent.objects.create(agreement=locked, quarter=quarter, action=action,
                                from_status=status, to_status=realisations[0].status,
                                note=note, actor=user)  # fmt: skip
    notify(locked, quarter, action, user, note)
    return realisations


def _submit(locked, quarter, user, now):
    rows = list(
        IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement=locked).order_by(
            *DOCUMENT_ORDER
        )
    )
    entered = {r.row_id: r for r in Realisation.objects.filter(agreement=locked, quarter=quarter)}
    missing = [row.text for row in rows if row.pk not in entered or entered[row.pk].is_empty]
    if not rows:
        raise QuarterRefused(_("Lampiran PK ini belum berisi indikator."))
    if missing:
        # Whole names: a name cut mid-word ("Persentase pengelolaan keu") names nothing.
        listed = "; ".join(missing[:3])
        more = ""
        if len(missing) > 3:
            more = _("; dan %(rest)d indikator lainnya") % {"rest": len(missing) - 3}
        raise QuarterRefused(
            _(
                "Belum dapat diajukan: %(n)d indikator belum diisi realisasinya atau penjelasan "
                "mengapa belum ada (%(list)s%(more)s)."
            )
            % {"n": len(missing), "list": listed, "more": more}
        )
    _transition(locked, quarter, user, "submit", "submit", EDITABLE_REALISATION_STATUSES, now)


def verify_quarter(agreement, quarter, user, now=None) -> list[Realisation]:
    """Pihak Kedua confirms the submitted quarter. Side effects: every realisation becomes
    Terverifikasi (verifier, time), one QuarterEvent, the drafters are notified. Verifying
    stays possible after the quarter closed: it changes no figure."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(agreement)
        submitted_by = (
            Realisation.objects.filter(agreement=locked, quarter=quarter)
            .exclude(submitted_by=None)
            .values_list("submitted_by", flat=True)
            .first()
        )
        reason = monitoring_refusal(locked) or verify_refusal(user, locked, submitted_by)
        if reason:
            raise QuarterRefused(reason)
        return _transition(locked, quarter, user, "verify", "verify",
                           {RealisationStatus.SUBMITTED}, now)  # fmt: skip


def return_quarter(agreement, quarter, user, note, now=None) -> list[Realisation]:
    """Send the quarter back to the operators with a note (while it is still open, so that
    they can correct it). Side effects: every realisation becomes Dikembalikan with the
    note, one QuarterEvent, the drafters are notified."""
    now = now or timezone.now()
    note = (note or "").strip()
    if not note:
        raise QuarterRefused(_("Tuliskan catatan: apa yang harus diperbaiki operator."))
    with transaction.atomic():
        locked = _lock(agreement)
        reason = monitoring_refusal(locked) or verify_refusal(user, locked)
        if reason:
            raise QuarterRefused(reason)
        window = entry_window(locked.year, quarter, locked.unit.time_zone, now)
        if not window.is_open:
            raise QuarterRefused(window_message(window, locked.year, quarter))
        return _transition(locked, quarter, user, "return_for_correction", "return",
                           {RealisationStatus.SUBMITTED, RealisationStatus.VERIFIED}, now,
                           note)  # fmt: skip
