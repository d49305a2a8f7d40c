"""The lampiran as a flat list of rows (the spreadsheet shape) and back into the tree.

`flatten(agreement)` gives the rows in document order; `replace_lampiran(agreement, rows)`
rebuilds the programme → kegiatan → sasaran → indikator tree and the budget lines from rows,
all or nothing. Import, export and copy-forward all pass through these two functions.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from agreements.diffs import diff_rows
from agreements.models import (
    Agreement,
    AgreementEvent,
    BudgetLine,
    IndicatorRow,
    LampiranKegiatan,
    LampiranProgramme,
    Sasaran,
)
from agreements.rows import ANGGARAN, INDIKATOR, LampiranRow
from agreements.signals import lampiran_replaced, lampiran_replacing
from indicators.models import Indicator, IndicatorKind, Kegiatan, Programme, SasaranStrategis
from indicators.targets import Target
from indicators.text import normalise_text
from organisations.formatting import format_rupiah


def flatten(agreement: Agreement) -> list[LampiranRow]:
    """Every indicator row, then every budget line, in document order (4 queries)."""
    rows = []
    indicators = (
        IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement=agreement)
        .select_related("sasaran__kegiatan__programme")
        .order_by(
            "sasaran__kegiatan__programme__position",
            "sasaran__kegiatan__programme__pk",
            "sasaran__kegiatan__position",
            "sasaran__kegiatan__pk",
            "sasaran__position",
            "sasaran__pk",
            "position",
            "pk",
        )
    )
    for row in indicators:
        sasaran = row.sasaran
        kegiatan = sasaran.kegiatan
        programme = kegiatan.programme
        rows.append(
            LampiranRow(
                jenis=INDIKATOR,
                program_kode=programme.code,
                program=programme.name,
                kegiatan_kode=kegiatan.code,
                kegiatan=kegiatan.name,
                sasaran=sasaran.text,
                indikator=row.text,
                target=row.target,
            )
        )
    for line in agreement.budget_lines.order_by("position", "pk"):
        rows.append(
            LampiranRow(
                jenis=ANGGARAN,
                program_kode=line.programme_code,
                program=line.programme_name,
                kegiatan_kode=line.kegiatan_code,
                kegiatan=line.kegiatan_name,
                anggaran=line.amount,
            )
        )
    return rows


@dataclass
class ReplaceSummary:
    programmes: int = 0
    kegiatan: int = 0
    sasaran: int = 0
    indicators: int = 0
    budget_lines: int = 0


def _catalogue_lookup(rows: list[LampiranRow]) -> dict[str, int]:
    wanted = {normalise_text(r.indikator) for r in rows if r.jenis == INDIKATOR}
    return dict(
        Indicator.objects.filter(normalised__in=wanted)
        .order_by("pk")
        .values_list("normalised", "pk")
    )


@transaction.atomic
def replace_lampiran(
    agreement: Agreement,
    rows: list[LampiranRow],
    expected_lock_version: int | None = None,
    user=None,
    how: str = "",
) -> ReplaceSummary:
    """Replace the whole lampiran with `rows`, all or nothing.

    Side effects: deletes the old rows and budget lines, creates the new ones, links indicator
    rows to catalogue indicators with the same normalised text, and bumps the PK's lock version
    (raising StaleAgreement if someone saved since `expected_lock_version`). With `user` (a
    change made on the site), writes what changed, before and after, to the PK's history.
    """
    agreement.touch(expected_lock_version)
    before = flatten(agreement) if user is not None else None
    lampiran_replacing.send(sender=Agreement, agreement=agreement)
    agreement.programmes.all().delete()
    agreement.budget_lines.all().delete()
    summary = ReplaceSummary()
    catalogue = _catalogue_lookup(rows)

    programme = kegiatan = sasaran = None
    programme_key = kegiatan_key = sasaran_key = None
    indicator_rows = []
    for row in rows:
        if row.jenis != INDIKATOR:
            continue
        key_p = (row.program_kode, row.program)
        key_k = (*key_p, row.kegiatan_kode, row.kegiatan)
        key_s = (*key_k, row.sasaran)
        if key_p != programme_key:
            programme = LampiranProgramme.objects.create(
                agreement=agreement,
                position=summary.programmes,
                code=row.program_kode,
                name=row.program,
            )
            summary.programmes += 1
            programme_key, kegiatan_key, sasaran_key = key_p, None, None
        if key_k != kegiatan_key:
            kegiatan = LampiranKegiatan.objects.create(
                programme=programme,
                position=summary.kegiatan,
                code=row.kegiatan_kode,
                name=row.kegiatan,
            )
            summary.kegiatan += 1
            kegiatan_key, sasaran_key = key_k, None
        if key_s != sasaran_key:
            sasaran = Sasaran.objects.create(
                kegiatan=kegiatan, position=summary.sasaran, text=row.sasaran
            )
            summary.sasaran += 1
            sasaran_key = key_s
        indicator = IndicatorRow(
            sasaran=sasaran,
            position=summary.indicators,
            text=row.indikator,
            catalogue_id=catalogue.get(normalise_text(row.indikator)),
        )
        indicator.set_target(row.target)
        indicator_rows.append(indicator)
        summary.indicators += 1
    IndicatorRow.objects.bulk_create(indicator_rows)

    budget = [
        BudgetLine(
            agreement=agreement,
            position=position,
            programme_code=row.program_kode,
            programme_name=row.program,
            kegiatan_code=row.kegiatan_kode,
            kegiatan_name=row.kegiatan,
            amount=row.anggaran,
        )
        for position, row in enumerate(r for r in rows if r.jenis == ANGGARAN)
    ]
    BudgetLine.objects.bulk_create(budget)
    summary.budget_lines = len(budget)
    lampiran_replaced.send(sender=Agreement, agreement=agreement, user=user)
    if user is not None:
        _record_lampiran_change(agreement, before, rows, user, how)
    return summary


def _record_lampiran_change(agreement, before, after, user, how):
    """One history row with every change of the lampiran, in words, before → after."""

    diff = diff_rows(before, after)
    if not diff:
        return
    changes = [
        _("Ditambah: %(i)s (%(t)s)") % {"i": line.indikator, "t": line.target}
        for line in diff.added
    ]
    changes += [_("Dihapus: %(i)s") % {"i": line.indikator} for line in diff.removed]
    changes += [
        _("Target “%(i)s”: %(old)s → %(new)s") % {"i": c.indikator, "old": c.old, "new": c.new}
        for c in diff.target_changed
    ]
    changes += [
        _("“%(i)s” dipindah ke sasaran “%(s)s”") % {"i": m.indikator, "s": m.new_sasaran}
        for m in diff.moved
    ]
    changes += [_("Anggaran %(p)s: %(old)s → %(new)s") % {
                    "p": c.programme, "old": format_rupiah(c.old) if c.old is not None else "—",
                    "new": format_rupiah(c.new) if c.new is not None else "—"}
                for c in diff.budget_changed]  # fmt: skip
    AgreementEvent.objects.create(
        agreement=agreement,
        revision=agreement.revision,
        action="lampiran",
        from_status=agreement.status,
        to_status=agreement.status,
        note=how,
        actor=user,
        snapshot={"changes": changes},
    )


@transaction.atomic
def add_to_catalogue(rows: list[LampiranRow]) -> int:
    """Put the programmes, kegiatan, sasaran and indicators of `rows` in the catalogue.

    Used by the demo loader to fill the catalogue from the seed PKs. Returns how many
    indicators were new. Matching is by normalised text, so it is safe to run again.
    """
    created = 0
    for row in rows:
        if row.jenis != INDIKATOR:
            continue
        programme = None
        if row.program:
            programme, _ = Programme.objects.get_or_create(code=row.program_kode, name=row.program)
        if row.kegiatan:
            Kegiatan.objects.get_or_create(
                code=row.kegiatan_kode, name=row.kegiatan, defaults={"programme": programme}
            )
        sasaran = SasaranStrategis.objects.filter(normalised=normalise_text(row.sasaran)).first()
        if sasaran is None:
            sasaran = SasaranStrategis.objects.create(text=row.sasaran)
        if not Indicator.objects.filter(normalised=normalise_text(row.indikator)).exists():
            kind, unit = _kind_of(row.target)
            Indicator.objects.create(
                text=row.indikator, kind=kind, unit_of_measure=unit, sasaran=sasaran
            )
            created += 1
    return created


def _kind_of(target: Target | None) -> tuple[str, str]:

    if target is None:
        return IndicatorKind.PERCENTAGE, ""
    if target.grade:
        return IndicatorKind.GRADE, ""
    if target.unit == "%":
        return IndicatorKind.PERCENTAGE, "%"
    if target.unit:
        return IndicatorKind.COUNT, target.unit
    return IndicatorKind.SCORE, ""
