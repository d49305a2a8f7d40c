"""Subbagian ⊂ Sekretariat and the budget roll-up: a Sekretariat PK against its Subbagian PKs.

A budget that does not add up blocks every PK of the family, so its message says which PK to
look at and who acts: the PK(s) whose amount changed since last submitted (their snapshot),
else every PK's amount, each with a link (issue 17).
"""

from collections import defaultdict

from django.db import models
from django.db.models import Max
from django.utils.translation import gettext as _

from agreements.checks.matching import Haystack, indicators_of, same_target
from agreements.checks.results import Check, Finding, Severity
from agreements.lampiran import INDIKATOR, LampiranRow, flatten
from agreements.models import Agreement, AgreementEvent
from indicators.text import normalise_text
from organisations.formatting import format_rupiah
from organisations.models import UnitKind


def family_of(agreement: Agreement):
    """(sekretariat PK, [subbagian PKs]) of the same year around `agreement`, or None."""
    unit = agreement.unit
    if unit.kind in {UnitKind.SUBBAGIAN, UnitKind.BAGIAN}:
        secretariat_unit_id = unit.parent_id
    elif unit.kind in {UnitKind.SEKRETARIAT_KABKOTA, UnitKind.SEKRETARIAT_PROVINSI}:
        secretariat_unit_id = unit.pk
    else:
        return None
    latest = {}
    for pk in (
        Agreement.objects.filter(year=agreement.year)
        .filter(
            models.Q(unit_id=secretariat_unit_id) | models.Q(unit__parent_id=secretariat_unit_id)
        )
        .select_related("unit")
        .order_by("unit_id", "-version")
    ):
        latest.setdefault(pk.unit_id, pk)
    if agreement.pk:
        latest[agreement.unit_id] = agreement
    secretariat = latest.pop(secretariat_unit_id, None)
    return secretariat, list(latest.values())


def check_subbagian_in_sekretariat(agreement, rows, family) -> list[Finding]:
    findings = []
    if family is None:
        return findings
    secretariat, subunits = family
    if secretariat is None:
        if agreement.unit.kind in {UnitKind.SUBBAGIAN, UnitKind.BAGIAN}:
            findings.append(
                Finding(
                    Check.SUBBAGIAN_IN_SEKRETARIAT,
                    Severity.WARNING,
                    _("PK Sekretariat tahun %(year)s belum ada: indikator belum dapat dicocokkan.")
                    % {"year": agreement.year},
                )
            )
        return findings
    sec_rows = rows if secretariat.pk == agreement.pk else flatten(secretariat)
    sec_indicators = indicators_of(sec_rows)
    sec_haystack = Haystack(sec_indicators)
    sub_rows = {sub.pk: (rows if sub.pk == agreement.pk else flatten(sub)) for sub in subunits}

    def compare(sub, sub_indicators, own):
        for item in sub_indicators:
            match, note = sec_haystack.find(item)
            index = item.index if own else None
            key = f"{sub.unit.code}:{item.key}"
            if match is None:
                findings.append(Finding(
                    Check.SUBBAGIAN_IN_SEKRETARIAT, Severity.ERROR,
                    _("Indikator “%(ind)s” (%(unit)s) tidak ada di PK %(sec)s.")
                    % {"ind": item.row.indikator, "unit": sub.unit.short_name,
                       "sec": secretariat.unit.short_name},
                    row_key=key, row_index=index,
                ))  # fmt: skip
            elif item.row.target is None or match.row.target is None:
                continue  # not filled in: check_form reports it ("target belum diisi")
            elif not same_target(item.row.target, match.row.target):
                findings.append(Finding(
                    Check.SUBBAGIAN_IN_SEKRETARIAT, Severity.ERROR,
                    _("Target “%(ind)s” berbeda: %(sub_t)s di %(unit)s, %(sec_t)s di PK %(sec)s.")
                    % {"ind": item.row.indikator, "sub_t": item.row.target.printed,
                       "unit": sub.unit.short_name, "sec_t": match.row.target.printed,
                       "sec": secretariat.unit.short_name},
                    row_key=key, row_index=index if own else match.index, match_note=note,
                    details={"subbagian_target": item.row.target.printed,
                             "sekretariat_target": match.row.target.printed,
                             "subbagian": sub.unit.short_name},
                ))  # fmt: skip
            else:
                findings.append(Finding(
                    Check.SUBBAGIAN_IN_SEKRETARIAT, Severity.PASSED,
                    _("“%(ind)s” ada di PK Sekretariat dengan target yang sama.")
                    % {"ind": item.row.indikator},
                    row_key=key, row_index=index, match_note=note,
                ))  # fmt: skip

    if agreement.pk == secretariat.pk:
        # The Sekretariat's own page: every Subbagian compared, and the reverse direction.
        all_sub = []
        for sub in subunits:
            items = indicators_of(sub_rows[sub.pk])
            all_sub.extend(items)
            compare(sub, items, own=False)
        sub_haystack = Haystack(all_sub)
        for item in sec_indicators:
            match, note = sub_haystack.find(item)
            if match is None and subunits:
                findings.append(Finding(
                    Check.SEKRETARIAT_CARRIED, Severity.WARNING,
                    _("Indikator “%(ind)s” tidak diemban oleh Subbagian mana pun.")
                    % {"ind": item.row.indikator},
                    row_key=f"{secretariat.unit.code}:{item.key}", row_index=item.index,
                ))  # fmt: skip
            elif match is not None:
                findings.append(Finding(
                    Check.SEKRETARIAT_CARRIED, Severity.PASSED,
                    _("“%(ind)s” diemban Subbagian.") % {"ind": item.row.indikator},
                    row_key=f"{secretariat.unit.code}:{item.key}", row_index=item.index,
                    match_note=note,
                ))  # fmt: skip
    else:
        compare(agreement, indicators_of(rows), own=True)
    return findings


def programme_key(code: str, name: str) -> str:
    return code.strip().upper() or normalise_text(name)


def budget_by_programme(rows: list[LampiranRow]) -> dict[str, tuple[str, int]]:
    totals: dict[str, tuple[str, int]] = {}
    for row in rows:
        if row.jenis == INDIKATOR or row.anggaran is None:
            continue
        key = programme_key(row.program_kode, row.program)
        label, total = totals.get(key, (row.program or row.program_kode, 0))
        totals[key] = (label, total + row.anggaran)
    return totals


def _submitted_budgets(pks) -> dict[int, dict[str, int]]:
    """Each PK's budget per programme as it was when last submitted (the snapshot kept with
    each submission), for those submitted at least once: two queries."""
    latest = (
        AgreementEvent.objects.filter(agreement__in=pks, snapshot__isnull=False)
        .values("agreement_id")
        .annotate(last=Max("pk"))
        .values_list("last", flat=True)
    )
    budgets = {}
    for event in AgreementEvent.objects.filter(pk__in=list(latest)).only("agreement", "snapshot"):
        rows = [
            LampiranRow(cells.get("jenis", ""), cells.get("program_kode", ""),
                        cells.get("program", ""),
                        anggaran=int(cells["anggaran"]) if cells.get("anggaran") else None)
            for cells in event.snapshot.get("rows", [])
        ]  # fmt: skip
        budgets[event.agreement_id] = {k: v for k, (_label, v) in budget_by_programme(rows).items()}
    return budgets


def _who_acts(pk, secretariat) -> str:
    """Who corrects `pk`'s budget: its own operator; the Sekretariat's operators draft the
    Subbagian PKs too (agreements.permissions)."""
    if pk.pk == secretariat.pk:
        return _("operator %(unit)s") % {"unit": secretariat.unit.short_name}
    return _("operator %(unit)s atau operator %(sec)s") % {
        "unit": pk.unit.short_name, "sec": secretariat.unit.short_name}  # fmt: skip


def _explain_difference(key, secretariat, subunits, amounts, submitted) -> tuple[str, list]:
    """Which PKs to look at for a programme whose budgets do not add up: (a sentence for the
    message, one line per PK for the report). A PK whose amount changed since it was last
    submitted is named as the cause; without one, every PK of the family is listed."""
    lines, changed = [], []
    for pk in [secretariat, *subunits]:
        amount = amounts[pk.pk].get(key, 0)
        before = submitted.get(pk.pk, {}).get(key, 0) if pk.pk in submitted else None
        change = None if before is None else amount - before
        label = _("PK %(unit)s %(year)s") % {"unit": pk.unit.short_name, "year": pk.year}
        line = {
            "label": label,
            "url": pk.get_absolute_url(),
            "amount": format_rupiah(amount),
            "change": (
                _("berubah %(diff)s sejak terakhir diajukan") % {"diff": format_rupiah(change)}
                if change
                else ""
            ),
            "who": _who_acts(pk, secretariat),
        }
        lines.append(line)
        if change:
            changed.append((pk, line))
    if changed:
        others = (
            _("PK Subbagian yang bersangkutan")
            if any(pk.pk == secretariat.pk for pk, _line in changed)
            else _("PK Sekretariat")
        )
        sentence = _(
            "Penyebabnya: %(pks)s. Yang perlu bertindak: %(who)s — kembalikan anggaran PK itu, "
            "atau bila angka barunya benar, sesuaikan juga %(others)s."
        ) % {
            "pks": "; ".join(f"{line['label']} ({line['change']})" for _pk, line in changed),
            "who": "; ".join(line["who"] for _pk, line in changed),
            "others": others,
        }
    else:
        sentence = _(
            "Rincian: %(pks)s. Yang perlu bertindak: operator %(sec)s (yang menyusun PK "
            "Sekretariat dan PK Subbagiannya) atau operator Subbagian yang angkanya keliru."
        ) % {
            "pks": "; ".join(f"{line['label']} {line['amount']}" for line in lines),
            "sec": secretariat.unit.short_name,
        }
    return sentence, lines


def check_budget_roll_up(agreement, rows, family) -> list[Finding]:
    if family is None:
        return []
    secretariat, subunits = family
    if secretariat is None or not subunits:
        return []
    sec_budget = budget_by_programme(
        rows if secretariat.pk == agreement.pk else flatten(secretariat)
    )
    amounts = {secretariat.pk: {k: v for k, (_label, v) in sec_budget.items()}}
    sub_total: dict[str, int] = defaultdict(int)
    for sub in subunits:
        amounts[sub.pk] = {}
        for key, (_label, amount) in budget_by_programme(
            rows if sub.pk == agreement.pk else flatten(sub)
        ).items():
            sub_total[key] += amount
            amounts[sub.pk][key] = amount
    findings = []
    submitted = None  # read only when a programme does not add up
    for key in list(sec_budget) + [k for k in sub_total if k not in sec_budget]:
        label, sec_amount = sec_budget.get(key, (key, 0))
        sub_amount = sub_total.get(key, 0)
        difference = sub_amount - sec_amount
        details = {"sekretariat": sec_amount, "subbagian": sub_amount, "selisih": difference}
        if difference == 0:
            findings.append(Finding(
                Check.BUDGET_ROLL_UP, Severity.PASSED,
                _("%(prog)s: anggaran Subbagian %(sub)s = Sekretariat %(sec)s.")
                % {"prog": label, "sub": format_rupiah(sub_amount),
                   "sec": format_rupiah(sec_amount)},
                row_key=f"budget:{key}", details=details,
            ))  # fmt: skip
        else:
            if submitted is None:
                submitted = _submitted_budgets([secretariat, *subunits])
            sentence, lines = _explain_difference(key, secretariat, subunits, amounts, submitted)
            details["pks"] = lines
            findings.append(Finding(
                Check.BUDGET_ROLL_UP, Severity.ERROR,
                _("%(prog)s: jumlah anggaran Subbagian %(sub)s, Sekretariat %(sec)s, "
                  "selisih %(diff)s.")
                % {"prog": label, "sub": format_rupiah(sub_amount),
                   "sec": format_rupiah(sec_amount), "diff": format_rupiah(difference)}
                + " " + sentence,
                row_key=f"budget:{key}", details=details,
            ))  # fmt: skip
    return findings
