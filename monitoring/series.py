"""A PK's realisations and capaian by quarter, indicator, sasaran, programme and PK.

    build_report(agreement) -> Report        (5 queries, whatever the number of indicators)

What the PK page, the exports, the dashboards and the API read. Each quarter is measured by
the signed version that owns it (monitoring.amendments): a quarter owned by another version
shows that version's target and the realisation of its row with the same text (carried
over), and counts summed over the year add those quarters too. The capaian rules are in
monitoring.capaian.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from agreements.models import IndicatorRow
from monitoring import capaian
from monitoring.amendments import match_rows, quarter_owners, signed_versions
from monitoring.capaian import QUARTERS, Capaian, Measure, plain_number
from monitoring.models import MONITORED_STATUSES, CapaianRule, Realisation, RealisationStatus

# Indicator rows as the lampiran prints them (each level by position, ties by creation).
DOCUMENT_ORDER = (
    "sasaran__kegiatan__programme__position", "sasaran__kegiatan__programme__pk",
    "sasaran__kegiatan__position", "sasaran__kegiatan__pk",
    "sasaran__position", "sasaran__pk", "position", "pk",
)  # fmt: skip


def measure_from_values(
    kind: str | None, higher_is_better: bool | None, target_value, target_unit, target_grade
) -> Measure:
    """What the capaian rules need of a row, from its plain values (as read with values_list:
    the catalogue's kind and direction are None for a row without a catalogue indicator)."""
    return Measure(
        kind=capaian.kind_of(kind, target_unit, target_grade),
        higher_is_better=True if higher_is_better is None else higher_is_better,
        target_value=Decimal(target_value) if target_value is not None else None,
        target_grade=target_grade,
    )


def measure_of(row: IndicatorRow) -> Measure:
    """What the capaian rules need of a row (its catalogue's kind and direction, if any)."""
    catalogue = row.catalogue
    return measure_from_values(
        catalogue.kind if catalogue else None,
        catalogue.higher_is_better if catalogue else None,
        row.target_value,
        row.target_unit,
        row.target_grade,
    )


@dataclass
class Cell:
    """One indicator in one quarter."""

    quarter: int
    source_row: IndicatorRow | None  # the row of the version measuring it; None: not in it
    realisation: Realisation | None
    measure: Measure | None
    measured: Decimal | None = None  # the figure compared with the target (a count: summed)
    capaian: Capaian | None = None
    carried: bool = False  # entered on another version of the PK

    @property
    def target_text(self) -> str:
        return self.source_row.target_text if self.source_row else ""

    @property
    def measured_text(self) -> str:
        """The figure compared with the target, as Indonesians write it ('' when none)."""
        return "" if self.measured is None else plain_number(self.measured, places=None)

    @property
    def entered(self) -> str:
        """The value as entered for this quarter (grade or number), '' when none."""
        r = self.realisation
        if r is None:
            return ""
        return r.grade or ("" if r.value is None else plain_number(r.value, places=None))


@dataclass
class Line:
    row: IndicatorRow
    measure: Measure
    cells: dict[int, Cell]


@dataclass
class Group:
    """A sasaran or a programme, with its lines and the average capaian per quarter."""

    obj: object
    lines: list[Line] = field(default_factory=list)
    children: list["Group"] = field(default_factory=list)
    averages: dict[int, Capaian] = field(default_factory=dict)


@dataclass
class Report:
    agreement: object
    owners: dict[int, object]  # quarter → the Agreement (version) measuring it
    lines: list[Line]
    programmes: list[Group]
    averages: dict[int, Capaian]  # the whole PK
    statuses: dict[int, str]  # quarter → quarter_status()
    rules: capaian.Rules


def quarter_status(statuses) -> str:
    """One status for a PK's quarter from its realisations' ('' when nothing is entered)."""
    found = set(statuses)
    if not found:
        return ""
    for status in (RealisationStatus.RETURNED, RealisationStatus.SUBMITTED):
        if status in found:
            return status
    if found == {RealisationStatus.VERIFIED}:
        return RealisationStatus.VERIFIED
    return RealisationStatus.DRAFT


def _rows_of(versions) -> dict[int, list[IndicatorRow]]:
    rows = (
        IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement__in=versions)
        .select_related("catalogue", "sasaran__kegiatan__programme")
        .order_by(*DOCUMENT_ORDER)
    )
    by_version: dict[int, list[IndicatorRow]] = {v.pk: [] for v in versions}
    for row in rows:
        by_version[row.sasaran.kegiatan.programme.agreement_id].append(row)
    return by_version


def build_report(agreement, rules: capaian.Rules | None = None) -> Report:
    """Every indicator of `agreement` with its four quarters (see the module docstring)."""
    rules = rules or CapaianRule.current()
    versions = signed_versions(agreement.unit_id, agreement.year)
    if agreement.pk not in {v.pk for v in versions}:
        versions.append(agreement)
    signed = [v for v in versions if v.status in MONITORED_STATUSES]
    owners = quarter_owners(agreement.unit_id, agreement.year, versions=signed)
    rows = _rows_of(versions)
    realisations = {
        (r.row_id, r.quarter): r for r in Realisation.objects.filter(agreement__in=versions)
    }
    own_rows = rows[agreement.pk]
    own_pairs = [(row.pk, row.text) for row in own_rows]
    matches = {}  # version id → {own row id: that version's row}
    for version in {o.pk for o in owners.values()} - {agreement.pk}:
        theirs = {row.pk: row for row in rows[version]}
        pairs = match_rows([(row.pk, row.text) for row in rows[version]], own_pairs)
        matches[version] = {mine: theirs[other] for mine, other in pairs.items()}

    lines = []
    for row in own_rows:
        cells = {}
        for quarter in QUARTERS:
            owner = owners.get(quarter, agreement)
            source = row if owner.pk == agreement.pk else matches[owner.pk].get(row.pk)
            cells[quarter] = Cell(
                quarter=quarter,
                source_row=source,
                realisation=realisations.get((source.pk, quarter)) if source else None,
                measure=measure_of(source) if source else None,
                carried=source is not None and source is not row,
            )
        _score(cells, rules)
        lines.append(Line(row=row, measure=measure_of(row), cells=cells))
    programmes = _group(lines, rules)
    statuses = {
        quarter: quarter_status(
            r.status for (row_id, q), r in realisations.items()
            if q == quarter and r.agreement_id == owners.get(quarter, agreement).pk
        )
        for quarter in QUARTERS
    }  # fmt: skip
    return Report(
        agreement=agreement,
        owners=owners,
        lines=lines,
        programmes=programmes,
        averages=_averages(lines, rules),
        statuses=statuses,
        rules=rules,
    )


def _score(cells: dict[int, Cell], rules: capaian.Rules) -> None:
    values = {q: c.realisation.value for q, c in cells.items() if c.realisation}
    grades = {q: c.realisation.grade for q, c in cells.items() if c.realisation}
    for quarter, cell in cells.items():
        if cell.measure is None:
            cell.capaian = Capaian(None, capaian.NO_DATA, "")
            continue
        if cell.measure.kind != capaian.GRADE:
            cell.measured = capaian.measured_value(cell.measure.kind, values, quarter)
        cell.capaian = capaian.quarter_capaian(cell.measure, values, grades, quarter, rules)


def _averages(lines: list[Line], rules) -> dict[int, Capaian]:
    return {
        q: capaian.average(
            (line.cells[q].capaian for line in lines if line.cells[q].measure is not None), rules
        )
        for q in QUARTERS
    }


def _group(lines: list[Line], rules) -> list[Group]:
    programmes: dict[int, Group] = {}
    sasaran: dict[int, Group] = {}
    for line in lines:
        s = line.row.sasaran
        p = s.kegiatan.programme
        if p.pk not in programmes:
            programmes[p.pk] = Group(obj=p)
        if s.pk not in sasaran:
            sasaran[s.pk] = Group(obj=s)
            programmes[p.pk].children.append(sasaran[s.pk])
        sasaran[s.pk].lines.append(line)
        programmes[p.pk].lines.append(line)
    for group in [*programmes.values(), *sasaran.values()]:
        group.averages = _averages(group.lines, rules)
    return list(programmes.values())


def carried_from_older(agreement, quarter: int, rows) -> dict[int, Realisation]:
    """{row id of `agreement`: the realisation of `quarter` entered on an older signed
    version for the row with the same text}: what the quarter form starts from when an
    amendment took over a quarter that was already (partly) reported. Newest version first."""
    older = [
        v.pk
        for v in signed_versions(agreement.unit_id, agreement.year)
        if v.version < agreement.version
    ]
    if not older:
        return {}
    found = Realisation.objects.filter(agreement__in=older, quarter=quarter).select_related("row")
    by_version: dict[int, list[Realisation]] = {}
    for realisation in found:
        by_version.setdefault(realisation.agreement_id, []).append(realisation)
    carried: dict[int, Realisation] = {}
    for version in sorted(by_version, key=older.index, reverse=True):
        theirs = {r.row_id: r for r in by_version[version]}
        wanted = [(row.pk, row.text) for row in rows if row.pk not in carried]
        pairs = match_rows([(r.row_id, r.row.text) for r in by_version[version]], wanted)
        carried.update({mine: theirs[other] for mine, other in pairs.items()})
    return carried
