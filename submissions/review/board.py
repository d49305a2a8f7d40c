"""The national review's board: the GET filters over the rows of a year, the counts of what
matched, and build_board() that puts them together for the page and the export."""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement
from organisations.models import Unit
from organisations.signatories import PKKind
from submissions.review.rows import (
    NO_PK,
    PRE_SUBMISSION_STATUSES,
    Cell,
    ReviewState,
    Row,
    load_provinces,
    load_rows,
)

STATE_CHOICES = [
    ("", gettext_lazy("Semua status")),
    (gettext_lazy("Reviu"), [(state, label) for state, label in ReviewState.LABELS.items()]),
    (
        gettext_lazy("Status PK"),
        [(NO_PK, gettext_lazy("Belum ada PK"))]
        + [(s.value, s.label) for s in PRE_SUBMISSION_STATUSES],
    ),
]
LATENESS_CHOICES = [
    ("", gettext_lazy("Semua")),
    ("ya", gettext_lazy("Terlambat")),
    ("tidak", gettext_lazy("Tidak terlambat")),
]
CHECK_CHOICES = [
    ("", gettext_lazy("Semua")),
    ("kesalahan", gettext_lazy("Ada kesalahan")),
    ("peringatan", gettext_lazy("Hanya peringatan")),
    ("bersih", gettext_lazy("Tanpa temuan")),
    ("belum", gettext_lazy("Belum diperiksa")),
]
KIND_CHOICES = [("", gettext_lazy("Semua jenis"))] + [
    (kind.value, kind.label) for kind in PKKind if kind != PKKind.SUBUNIT
]


class ProvinceFilterForm(forms.Form):
    """GET filters of a nationwide page, led by the province (also monitoring's dashboards).
    A value that is not a choice is reported and ignored."""

    provinsi = forms.ChoiceField(label=gettext_lazy("Provinsi"), required=False)

    def __init__(self, data, provinces: list[dict] | None):
        """`provinces`: the choices of the province filter; None leaves the filter out."""
        super().__init__(data)
        if provinces is None:
            del self.fields["provinsi"]
        else:
            self.fields["provinsi"].choices = [("", _("Semua provinsi"))] + [
                (p["code"], p["short_name"]) for p in provinces
            ]
        for bound in self.fields.values():
            bound.widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class DashboardFilterForm(ProvinceFilterForm):
    """The national review dashboard's filters."""

    jenis = forms.ChoiceField(label=gettext_lazy("Jenis PK"), choices=KIND_CHOICES, required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=STATE_CHOICES, required=False)
    terlambat = forms.ChoiceField(
        label=gettext_lazy("Ketepatan waktu"), choices=LATENESS_CHOICES, required=False
    )
    pemeriksaan = forms.ChoiceField(
        label=gettext_lazy("Pemeriksaan"), choices=CHECK_CHOICES, required=False
    )
    cari = forms.CharField(
        label=gettext_lazy("Cari unit, pejabat atau indikator"), required=False, max_length=200
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cari"].widget.attrs["class"] = "form-control form-control-sm"


def _cell_matches(cell: Cell, filters: dict) -> bool:
    if "cari" in filters:
        found = cell.agreement is not None and cell.agreement["id"] in filters["found_ids"]
        if not found and filters["cari"].lower() not in cell.unit_name.lower():
            return False
    if "jenis" in filters and cell.pk_kind != filters["jenis"]:
        return False
    state = filters.get("status")
    if state:
        if state in ReviewState.LABELS:
            if cell.state != state:
                return False
        elif state == NO_PK:
            if cell.agreement is not None:
                return False
        elif cell.status != state:
            return False
    if "terlambat" in filters and cell.late != (filters["terlambat"] == "ya"):
        return False
    return not ("pemeriksaan" in filters and cell.checks != filters["pemeriksaan"])


def apply_filters(rows: list[Row], filters: dict) -> list[Row]:
    """The rows with at least one PK matching every filter; each cell marks if it matched."""
    kept = []
    province = filters.get("provinsi")
    for row in rows:
        if province and (row.province is None or row.province["code"] != province):
            continue
        any_match = False
        for cell in row.present_cells:
            cell.matched = _cell_matches(cell, filters)
            any_match = any_match or cell.matched
        if any_match:
            kept.append(row)
    return kept


def count(rows: list[Row]) -> dict:
    """PKs (matching cells) by review state, and the late ones."""
    counts = {"total": 0, "late": 0, "errors": 0, **dict.fromkeys(ReviewState.LABELS, 0)}
    for row in rows:
        for cell in row.present_cells:
            if not cell.matched:
                continue
            counts["total"] += 1
            counts[cell.state] += 1
            counts["late"] += cell.late
            counts["errors"] += cell.checks == "kesalahan"
    return counts


def filter_slug(form: "DashboardFilterForm") -> str:
    """The active filters in a file name: "-64-terlambat-cari-bontang" (ASCII, short)."""
    filters = form.filters()
    parts = [filters.get("provinsi", ""), filters.get("jenis", ""), filters.get("status", "")]
    if "terlambat" in filters:
        parts.append("terlambat" if filters["terlambat"] == "ya" else "tepat-waktu")
    if "pemeriksaan" in filters:
        parts.append(filters["pemeriksaan"])
    if "cari" in filters:
        parts += ["cari", slugify(filters["cari"])[:40]]
    slug = "-".join(part for part in parts if part)
    return f"-{slug}" if slug else ""


@dataclass
class Board:
    year: int
    form: "DashboardFilterForm"
    rows: list[Row]
    counts: dict = field(default_factory=dict)
    provinces: list[dict] = field(default_factory=list)


def build_board(user, year: int, params, now: datetime.datetime) -> Board:
    """The rows, filters and counts of the page and the export; a province filter is applied
    in the database (the other provinces' offices are never read)."""
    visible = Unit.objects.visible_to(user)
    provinces = load_provinces(visible)
    form = DashboardFilterForm(params, provinces)
    filters = form.filters()
    rows, _provinces = load_rows(user, year, now, filters.get("provinsi"), provinces, visible)
    if "cari" in filters:  # names and indicators are in the database, not in the rows
        matching = Agreement.objects.filter(year=year).matching(filters["cari"])
        filters["found_ids"] = set(matching.values_list("pk", flat=True))
    kept = apply_filters(rows, filters)
    return Board(year=year, form=form, rows=kept, counts=count(kept), provinces=provinces)
