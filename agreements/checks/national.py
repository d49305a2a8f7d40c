"""The national floor (KPU's 2026 guidance) and IKU coverage."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from agreements.checks.matching import Haystack, IndicatorRef, indicators_of
from agreements.checks.results import Check, Finding, Severity
from agreements.lampiran import INDIKATOR, LampiranRow
from indicators.models import IKUDesignation, IKULevel
from indicators.targets import GRADE_ORDERS, Target, parse_target
from organisations.models import UnitKind

IKU_LEVEL_OF_UNIT = {
    UnitKind.KPU: IKULevel.KPU,
    UnitKind.PROVINSI: IKULevel.PROVINSI,
    UnitKind.SEKRETARIAT_PROVINSI: IKULevel.PROVINSI,
    UnitKind.KABKOTA: IKULevel.KABKOTA,
    UnitKind.SEKRETARIAT_KABKOTA: IKULevel.KABKOTA,
}


def _grade_rank(grade: str) -> tuple[str, int] | None:
    for scale, order in GRADE_ORDERS.items():
        if grade in order:
            return scale, len(order) - order.index(grade)
    return None


def compare_targets(regional: Target, national: Target) -> int | None:
    """-1 below, 0 equal, 1 above; None when the two cannot be compared (unlike kinds)."""
    if regional.grade or national.grade:
        a, b = _grade_rank(regional.grade), _grade_rank(national.grade)
        if a is None or b is None or a[0] != b[0]:
            return None
        return (a[1] > b[1]) - (a[1] < b[1])
    if regional.unit.lower() != national.unit.lower():
        return None
    a, b = regional.value or Decimal(0), national.value or Decimal(0)
    return (a > b) - (a < b)


def iku_for(agreement) -> list[IKUDesignation]:
    level = IKU_LEVEL_OF_UNIT.get(agreement.unit.kind)
    if level is None:
        return []
    return list(IKUDesignation.for_year(level, agreement.year).select_related("indicator"))


def check_national_floor(agreement, rows, iku) -> list[Finding]:
    national = {}
    for designation in (
        IKUDesignation.objects.filter(level=IKULevel.KPU, first_year__lte=agreement.year)
        .filter(models.Q(last_year__isnull=True) | models.Q(last_year__gte=agreement.year))
        .exclude(national_target="")
        .select_related("indicator")
    ):
        national[designation.indicator.normalised] = designation
    for designation in iku:
        if designation.national_target:
            national.setdefault(designation.indicator.normalised, designation)
    if agreement.unit.kind == UnitKind.KPU or not national:
        return []
    findings = []
    candidates = [
        IndicatorRef(i, LampiranRow(INDIKATOR, indikator=d.indicator.text), key)
        for i, (key, d) in enumerate(national.items())
    ]
    designations = list(national.values())
    national_haystack = Haystack(candidates)
    for item in indicators_of(rows):
        if item.row.target is None:  # not filled in: check_form reports it
            continue
        match, note = national_haystack.find(item)
        if match is None:
            continue
        designation = designations[match.index]
        try:
            floor = parse_target(designation.national_target)
        except ValidationError:  # a badly typed national target must not break the PK page
            continue
        outcome = compare_targets(item.row.target, floor)
        values = {"ind": item.row.indikator, "t": item.row.target.printed, "n": floor.printed}
        if outcome is None:
            findings.append(Finding(
                Check.NATIONAL_FLOOR, Severity.WARNING,
                _("Target “%(ind)s” (%(t)s) tidak sebanding dengan target nasional %(n)s.")
                % values,
                row_key=f"floor:{item.key}", row_index=item.index, match_note=note,
            ))  # fmt: skip
        elif outcome < 0:
            findings.append(Finding(
                Check.NATIONAL_FLOOR, Severity.ERROR,
                _("Target “%(ind)s” (%(t)s) di bawah target nasional %(n)s.") % values,
                row_key=f"floor:{item.key}", row_index=item.index, match_note=note,
            ))  # fmt: skip
        else:
            findings.append(Finding(
                Check.NATIONAL_FLOOR, Severity.PASSED,
                _("Target “%(ind)s” (%(t)s) tidak di bawah target nasional %(n)s.") % values,
                row_key=f"floor:{item.key}", row_index=item.index, match_note=note,
            ))  # fmt: skip
    return findings


def check_iku_coverage(agreement, rows, iku) -> list[Finding]:
    if agreement.unit.kind not in {UnitKind.PROVINSI, UnitKind.KABKOTA}:
        return []
    present = Haystack(indicators_of(rows))
    findings = []
    for designation in iku:
        wanted = IndicatorRef(-1, LampiranRow(INDIKATOR, indikator=designation.indicator.text),
                            designation.indicator.normalised)  # fmt: skip
        match, note = present.find(wanted)
        if match is None:
            findings.append(Finding(
                Check.IKU_COVERAGE, Severity.ERROR,
                _("IKU “%(ind)s” belum dimuat.") % {"ind": designation.indicator.text},
                row_key=f"iku:{designation.pk}",
            ))  # fmt: skip
        else:
            findings.append(Finding(
                Check.IKU_COVERAGE, Severity.PASSED,
                _("IKU “%(ind)s” dimuat.") % {"ind": designation.indicator.text},
                row_key=f"iku:{designation.pk}", row_index=match.index, match_note=note,
            ))  # fmt: skip
    return findings
