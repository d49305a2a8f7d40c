"""The national review's board: the GET filters over the rows of a year, the counts of what
matched, and build_board() that puts them together for the page and the export. Filters,
counts and pagination run in the database (submissions.review.rows.cells_queryset)."""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from django import forms
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement
from organisations.models import Unit
from organisations.signatories import PKKind
from submissions.review.rows import (
    CELL_FIELDS,
    NO_PK,
    PRE_SUBMISSION_STATUSES,
    ROW_FIELDS,
    ReviewState,
    Row,
    build_rows,
    cells_queryset,
    load_provinces,
    rows_queryset,
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


# The parameter a submission's page gets from the dashboard row that links to it: the
# dashboard's own query string (filters, search, page), so that the way back returns to the
# same list. It comes back from a browser, so it is read again as the dashboard reads it
# (back_query) and never used as a URL: only the dashboard's own parameters survive.
BACK_PARAM = "kembali"
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
_MAX_BACK_FIELDS = 20  # the dashboard has seven parameters; more is not a dashboard's query


def dashboard_query(form: "DashboardFilterForm", page_number: int = 1) -> str:
    """The dashboard's query string for the valid filters of `form`, in the form's order, and
    the page (left out for the first): a value that is not a choice is already dropped."""
    filters = form.filters()
    params = [(name, filters[name]) for name in form.fields if name in filters]
    if page_number > 1:
        params.append(("halaman", page_number))
    return urlencode(params)


def back_query(user, text: str) -> str:
    """`text` (a BACK_PARAM value sent by a browser) as the dashboard of `user` would read it,
    written again: its filters through DashboardFilterForm, its page as a number. An unknown
    key, a province the user may not see, a URL or anything else is dropped (1 query)."""
    try:
        pairs = parse_qsl(text, max_num_fields=_MAX_BACK_FIELDS)
    except ValueError:  # more fields than a dashboard has: not one of its queries
        return ""
    data = dict(pairs)  # the last value of a repeated key, as QueryDict.get() reads it
    form = DashboardFilterForm(data, load_provinces(Unit.objects.visible_to(user)))
    page = data.get("halaman", "")
    return dashboard_query(form, int(page) if _PAGE_NUMBER.fullmatch(page) else 1)


def _cell_filter(filters: dict, year: int) -> Q:
    """The cells (rows of cells_queryset) matching every filter but the province."""
    matching = Q()
    if "cari" in filters:  # names and indicators are in the database, not in the rows
        found = Agreement.objects.filter(year=year).matching(filters["cari"]).values("pk")
        matching &= Q(agreement_id__in=found) | Q(short_name__icontains=filters["cari"])
    if "jenis" in filters:
        matching &= Q(cell_kind=filters["jenis"])
    state = filters.get("status")
    if state in ReviewState.LABELS:
        matching &= Q(review_state=state)
    elif state == NO_PK:
        matching &= Q(agreement_id__isnull=True)
    elif state:
        matching &= Q(agreement_status=state)
    if "terlambat" in filters:
        matching &= Q(late=filters["terlambat"] == "ya")
    if "pemeriksaan" in filters:
        matching &= Q(checks=filters["pemeriksaan"])
    return matching


def count(cells) -> dict:
    """PKs (matching cells) by review state, the late ones and those with errors: one grouped
    query over `cells` (a filtered cells_queryset)."""
    counts = {"total": 0, "late": 0, "errors": 0, **dict.fromkeys(ReviewState.LABELS, 0)}
    groups = (
        cells.order_by()
        .values("review_state", "late", "checks")
        .annotate(n=Count("id"))
        .values_list("review_state", "late", "checks", "n")
    )
    for state, late, checks, n in groups:
        counts["total"] += n
        counts[state] += n
        counts["late"] += n if late else 0
        counts["errors"] += n if checks == "kesalahan" else 0
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
    """The filtered board: `offices` and `cells` are querysets (nothing read yet); rows() reads
    the rows of a slice of the offices, with their cells, in two queries."""

    year: int
    now: datetime.datetime
    form: "DashboardFilterForm"
    offices: QuerySet
    cells: QuerySet
    matching: Q
    counts: dict = field(default_factory=dict)
    provinces: list[dict] = field(default_factory=list)

    def office_values(self) -> QuerySet:
        """The offices as ROW_FIELDS values: what a Paginator pages (LIMIT/OFFSET in SQL)."""
        return self.offices.values(*ROW_FIELDS)

    def rows(self, offices=None) -> list[Row]:
        """The rows of `offices` (a page of office_values(); all of them by default), each
        cell marked if it matched the filters."""
        offices = list(self.office_values() if offices is None else offices)
        matched = ExpressionWrapper(self.matching, output_field=BooleanField())
        cells = self.cells.filter(row_unit_id__in=[office["id"] for office in offices])
        cells = cells.annotate(matched=matched) if self.matching else cells
        fields = (*CELL_FIELDS, "matched") if self.matching else CELL_FIELDS
        return build_rows(offices, list(cells.values(*fields)), self.year, self.now)


def build_board(user, year: int, params, now: datetime.datetime) -> Board:
    """The filters, the offices with a matching PK and the counts of the page and the export,
    all in the database (a province filter reads no other province's offices). Three queries
    (provinces, counts, then the page's count); rows() reads the rows of a page."""
    visible = Unit.objects.visible_to(user)
    provinces = load_provinces(visible)
    form = DashboardFilterForm(params, provinces)
    filters = form.filters()
    province = filters.get("provinsi")
    cells = cells_queryset(visible, year, now)
    if province:
        cells = cells.filter(province__code=province)
    matching = _cell_filter(filters, year)
    offices = rows_queryset(visible, province)
    if matching:
        offices = offices.filter(pk__in=cells.filter(matching).values("row_unit_id"))
    return Board(
        year=year,
        now=now,
        form=form,
        offices=offices,
        cells=cells,
        matching=matching,
        counts=count(cells.filter(matching)),
        provinces=provinces,
    )
