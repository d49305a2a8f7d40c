"""The dashboards' board: the GET filters over the rows of a year and quarter, the counts of
what matched, and build_board() that puts them together for the pages and the export."""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy

from monitoring import capaian
from monitoring.dashboards.rows import ReportState, Row, load_rows
from organisations.signatories import PKKind
from submissions.review.board import ProvinceFilterForm
from submissions.review.rows import load_provinces

NOT_SUBMITTED = "belum-diajukan"
STATE_CHOICES = [
    ("", gettext_lazy("Semua status")),
    (
        gettext_lazy("Pelaporan triwulan"),
        [
            (ReportState.NOT_REPORTED, ReportState.LABELS[ReportState.NOT_REPORTED]),
            (NOT_SUBMITTED, gettext_lazy("Belum diajukan (belum melapor, draf, dikembalikan)")),
            *[
                (state, ReportState.LABELS[state])
                for state in (
                    ReportState.DRAFT,
                    ReportState.SUBMITTED,
                    ReportState.VERIFIED,
                    ReportState.RETURNED,
                )
            ],  # fmt: skip
        ],
    ),
    (
        gettext_lazy("Tanpa PK bertanda tangan"),
        [
            (ReportState.NOT_SIGNED, ReportState.LABELS[ReportState.NOT_SIGNED]),
            (ReportState.NO_PK, ReportState.LABELS[ReportState.NO_PK]),
        ],
    ),
]
CATEGORY_CHOICES = [("", gettext_lazy("Semua kategori"))] + [
    (category, label) for category, label in capaian.CATEGORY_LABELS.items()
]
KIND_CHOICES = [("", gettext_lazy("Semua jenis"))] + [(kind.value, kind.label) for kind in PKKind]


class DashboardFilterForm(ProvinceFilterForm):
    """The monitoring dashboards' filters (the Provinsi page has no province filter)."""

    jenis = forms.ChoiceField(label=gettext_lazy("Jenis PK"), choices=KIND_CHOICES, required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Pelaporan"), choices=STATE_CHOICES, required=False
    )
    kategori = forms.ChoiceField(
        label=gettext_lazy("Kategori capaian"), choices=CATEGORY_CHOICES, required=False
    )


def _in_scope(row: Row, filters: dict) -> bool:
    province = filters.get("provinsi")
    if province and (row.province is None or row.province["code"] != province):
        return False
    return not ("jenis" in filters and row.pk_kind != filters["jenis"])


def _matches(row: Row, filters: dict) -> bool:
    state = filters.get("status")
    if state == NOT_SUBMITTED:
        if row.state not in ReportState.NOT_SUBMITTED:
            return False
    elif state and row.state != state:
        return False
    return not ("kategori" in filters and row.category != filters["kategori"])


def apply_filters(rows: list[Row], filters: dict) -> tuple[list[Row], list[Row]]:
    """(the rows of the chosen provinces and kinds, those of them in the chosen state and
    category): the counts are of the first, so that each count stays visible while the
    table shows one state."""
    in_scope = [row for row in rows if _in_scope(row, filters)]
    return in_scope, [row for row in in_scope if _matches(row, filters)]


def count(rows: list[Row]) -> dict:
    """Rows by reporting state and, for signed PKs, by capaian category."""
    counts = {
        "total": len(rows),
        "signed": 0,
        NOT_SUBMITTED: 0,
        **dict.fromkeys(ReportState.LABELS, 0),
        **dict.fromkeys(capaian.CATEGORY_LABELS, 0),
    }
    for row in rows:
        counts[row.state] += 1
        if row.score is not None:
            counts["signed"] += 1
            counts[row.category] += 1
            counts[NOT_SUBMITTED] += row.state in ReportState.NOT_SUBMITTED
    return counts


@dataclass
class Board:
    year: int
    quarter: int
    form: DashboardFilterForm
    rows: list[Row]
    counts: dict = field(default_factory=dict)
    provinces: list[dict] = field(default_factory=list)


def build_board(
    scope, year: int, quarter: int, params, *, province_filter=True, visible_ids=None
) -> Board:
    """The rows of `scope` (a Unit queryset) filtered by `params` (request.GET). A province
    filter narrows `scope` in the database: the other provinces' units are never read or
    scored."""
    provinces = load_provinces(scope) if province_filter else None
    form = DashboardFilterForm(params, provinces)
    filters = form.filters()
    if filters.get("provinsi"):
        scope = scope.filter(province__code=filters["provinsi"])
    rows, _provinces = load_rows(scope, year, quarter, visible_ids=visible_ids)
    in_scope, kept = apply_filters(rows, filters)
    return Board(
        year=year,
        quarter=quarter,
        form=form,
        rows=kept,
        counts=count(in_scope),
        provinces=provinces or [],
    )
