"""The national review: every office's PKs of a year on one page, its export, and the page of
one submission where a reviewer accepts it or returns it with a note.

Who: national reviewers (Biro Perencanaan, Inspektorat) and superusers; anyone else gets a
403. The softcopy download is scoped instead: whoever may see the PK gets it, others a 404.

Scale: the dashboard reads the units, the PKs and the submissions of the year in one query
each, whatever the number of units (about 1,100 of each at national scale), and joins them
in Python; filters, counts and pagination work on the joined rows.

What the columns mean (one row per office, DOMAIN.md "Submission rules"):
- a KPU Provinsi or KPU Kab/Kota row shows its own PK (d or f) and its Sekretariat's (e or g);
  KPU, the Setjen and each Eselon II unit show their own PK (a, b, c);
- the review state of a PK: "menunggu" while its submission waits for a decision, "diterima",
  "dikembalikan" when a reviewer returned it and it has not been submitted again, and
  "belum" for everything else (no PK yet, still in drafting or signing, or returned by its
  own approver before it was ever submitted);
- late: its first submission came after the submission deadline (end of January in the
  unit's time zone) or, never submitted, the deadline has passed. A PK returned by a reviewer
  is not late for having been returned: it was submitted in time.
"""

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, wraps
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from agreements.models import Agreement, AgreementStatus
from agreements.views.common import forbidden
from organisations.models import Unit, UnitKind
from organisations.signatories import RULES, PKKind
from submissions.deadlines import TIME_ZONE_NAMES, days_left, is_overdue, submission_deadline
from submissions.models import Decision, Submission
from submissions.routing import Channel
from submissions.services import (
    SubmissionRefused,
    decide,
    is_national_reviewer,
    reviewer_refusal,
)

PER_PAGE = 100
MIN_YEAR, MAX_YEAR = 2020, 2100

# The offices that have a row, and the Sekretariat whose PK shares it.
ROW_KINDS = (UnitKind.KPU, UnitKind.SETJEN, UnitKind.ESELON_II, UnitKind.PROVINSI, UnitKind.KABKOTA)
SECRETARIAT_KIND = {
    UnitKind.PROVINSI: UnitKind.SEKRETARIAT_PROVINSI,
    UnitKind.KABKOTA: UnitKind.SEKRETARIAT_KABKOTA,
}
UNIT_KINDS = (*ROW_KINDS, *SECRETARIAT_KIND.values())
CENTRAL_KINDS = {UnitKind.KPU, UnitKind.SETJEN, UnitKind.ESELON_II}


class ReviewState:
    NOT_SUBMITTED = "belum"
    PENDING = "menunggu"
    ACCEPTED = "diterima"
    RETURNED = "dikembalikan"
    LABELS = {
        NOT_SUBMITTED: gettext_lazy("Belum disampaikan"),
        PENDING: gettext_lazy("Menunggu reviu"),
        ACCEPTED: gettext_lazy("Diterima"),
        RETURNED: gettext_lazy("Dikembalikan"),
    }
    TONES = {
        NOT_SUBMITTED: "secondary",
        PENDING: "warning",
        ACCEPTED: "success",
        RETURNED: "danger",
    }


NO_PK = "tanpa-pk"
PRE_SUBMISSION_STATUSES = (
    AgreementStatus.DRAFT,
    AgreementStatus.SUBMITTED,
    AgreementStatus.APPROVED,
    AgreementStatus.SIGNED,
)


# --- the joined data ------------------------------------------------------------------------
@dataclass
class Cell:
    """One PK slot of a row: the unit that owns it, its PK (if any) and its latest submission."""

    unit_id: int
    unit_code: str
    unit_name: str
    pk_kind: str
    time_zone: str
    deadline: datetime.datetime
    agreement: dict | None = None
    submission: dict | None = None  # the latest one of the PK
    first_submitted_at: datetime.datetime | None = None
    state: str = ReviewState.NOT_SUBMITTED
    late: bool = False
    matched: bool = True
    days_left: int | None = None  # to the submission deadline, while not yet submitted

    @property
    def deadline_tone(self) -> str:
        if self.days_left is None:
            return "secondary"
        if self.days_left < 0:
            return "danger"
        return "warning" if self.days_left <= 7 else "secondary"

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def status(self) -> str:
        return self.agreement["status"] if self.agreement else ""

    @property
    def status_label(self) -> str:
        return AgreementStatus(self.status).label if self.agreement else _("Belum ada PK")

    @property
    def state_label(self) -> str:
        return ReviewState.LABELS[self.state]

    @property
    def tone(self) -> str:
        return ReviewState.TONES[self.state]

    @property
    def pk_kind_label(self) -> str:
        return PKKind(self.pk_kind).label

    @property
    def submitted_on(self) -> datetime.date | None:
        """The day of the first submission on the unit's own calendar."""
        if self.first_submitted_at is None:
            return None
        return self.first_submitted_at.astimezone(ZoneInfo(self.time_zone)).date()

    @property
    def check_errors(self) -> int | None:
        return self.agreement["check_errors"] if self.agreement else None

    @property
    def check_warnings(self) -> int | None:
        return self.agreement["check_warnings"] if self.agreement else None

    @property
    def checks(self) -> str:
        """'galat', 'peringatan', 'bersih', or 'belum' (not yet checked, or no PK)."""
        if self.check_errors is None:
            return "belum"
        if self.check_errors:
            return "galat"
        return "peringatan" if self.check_warnings else "bersih"

    @cached_property
    def url(self) -> str:
        if self.submission:
            return reverse("review_submission", args=[self.submission["id"]])
        if self.agreement:
            return reverse("agreements:detail", args=[self.agreement["id"]])
        return ""


@dataclass
class Row:
    unit: dict
    province: dict | None
    cells: list  # [own PK, Sekretariat PK]: a Cell, or None where the office has no such PK

    @property
    def present_cells(self) -> list[Cell]:
        return [c for c in self.cells if c is not None]


@dataclass
class Board:
    year: int
    form: "DashboardFilterForm"
    rows: list[Row]
    counts: dict = field(default_factory=dict)
    provinces: list[dict] = field(default_factory=list)


def _review_state(agreement: dict | None, latest: dict | None) -> str:
    if agreement is None:
        return ReviewState.NOT_SUBMITTED
    if agreement["status"] == AgreementStatus.DELIVERED:
        return ReviewState.PENDING
    if agreement["status"] == AgreementStatus.ACCEPTED:
        return ReviewState.ACCEPTED
    if latest is not None and latest["decision"] == Decision.RETURNED:
        return ReviewState.RETURNED
    return ReviewState.NOT_SUBMITTED


def load_rows(user, year: int, now: datetime.datetime) -> tuple[list[Row], list[dict]]:
    """Every office's row for `year`, in three queries (units, PKs, submissions).

    Returns the rows (central offices first, then each province followed by its Kab/Kota)
    and the provinces, for the filter.
    """
    visible = Unit.objects.visible_to(user).filter(kind__in=UNIT_KINDS, is_active=True)
    units = list(
        visible.values(
            "id", "code", "kind", "short_name", "parent_id", "province_id", "time_zone", "path"
        )
    )
    agreements: dict[int, dict] = {}
    for agreement in (
        Agreement.objects.filter(year=year, unit__in=visible.values("pk"))
        .exclude(pk_kind=PKKind.SUBUNIT)
        .values(
            "id",
            "unit_id",
            "version",
            "status",
            "revision",
            "pk_kind",
            "check_errors",
            "check_warnings",
        )
        .order_by("version")
    ):
        agreements[agreement["unit_id"]] = agreement  # the highest version wins
    submissions: dict[int, list[dict]] = defaultdict(list)
    for submission in (
        Submission.objects.filter(agreement__year=year, agreement__unit__in=visible.values("pk"))
        .exclude(agreement__pk_kind=PKKind.SUBUNIT)
        .values("id", "agreement_id", "revision", "decision", "submitted_at")
        .order_by("submitted_at", "id")
    ):
        submissions[submission["agreement_id"]].append(submission)

    deadlines: dict[str, datetime.datetime] = {}

    def cell_for(unit: dict) -> Cell:
        zone = unit["time_zone"]
        if zone not in deadlines:
            deadlines[zone] = submission_deadline(year, zone)
        agreement = agreements.get(unit["id"])
        own = submissions.get(agreement["id"], []) if agreement else []
        latest = max(own, key=lambda s: (s["revision"], s["submitted_at"]), default=None)
        first = own[0]["submitted_at"] if own else None
        return Cell(
            unit_id=unit["id"],
            unit_code=unit["code"],
            unit_name=unit["short_name"],
            pk_kind=agreement["pk_kind"] if agreement else RULES[unit["kind"]].pk_kind,
            time_zone=zone,
            deadline=deadlines[zone],
            agreement=agreement,
            submission=latest,
            first_submitted_at=first,
            state=_review_state(agreement, latest),
            late=is_overdue(deadlines[zone], first or now),
            days_left=None if first else days_left(deadlines[zone], now),
        )

    by_id = {u["id"]: u for u in units}
    secretariat_of = {u["parent_id"]: u for u in units if u["kind"] in SECRETARIAT_KIND.values()}
    rows = []
    for unit in units:
        if unit["kind"] not in ROW_KINDS:
            continue
        secretariat = secretariat_of.get(unit["id"])
        cells = [cell_for(unit), cell_for(secretariat) if secretariat else None]
        rows.append(Row(unit=unit, province=by_id.get(unit["province_id"]), cells=cells))

    def order(row: Row):
        province = row.province["code"] if row.province else ""
        return (
            row.province is not None,
            province,
            row.unit["kind"] != UnitKind.PROVINSI,
            row.unit["path"],
        )

    rows.sort(key=order)
    provinces = sorted(
        (u for u in units if u["kind"] == UnitKind.PROVINSI), key=lambda u: u["code"]
    )
    return rows, provinces


# --- filters and counts ---------------------------------------------------------------------
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
    ("galat", gettext_lazy("Ada galat")),
    ("peringatan", gettext_lazy("Hanya peringatan")),
    ("bersih", gettext_lazy("Tanpa temuan")),
    ("belum", gettext_lazy("Belum diperiksa")),
]
KIND_CHOICES = [("", gettext_lazy("Semua jenis"))] + [
    (kind.value, kind.label) for kind in PKKind if kind != PKKind.SUBUNIT
]


class DashboardFilterForm(forms.Form):
    """The GET filters. A value that is not a choice is reported and ignored."""

    provinsi = forms.ChoiceField(label=gettext_lazy("Provinsi"), required=False)
    jenis = forms.ChoiceField(label=gettext_lazy("Jenis PK"), choices=KIND_CHOICES, required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=STATE_CHOICES, required=False)
    terlambat = forms.ChoiceField(
        label=gettext_lazy("Ketepatan waktu"), choices=LATENESS_CHOICES, required=False
    )
    pemeriksaan = forms.ChoiceField(
        label=gettext_lazy("Pemeriksaan"), choices=CHECK_CHOICES, required=False
    )

    def __init__(self, data, provinces: list[dict]):
        super().__init__(data)
        self.fields["provinsi"].choices = [("", _("Semua provinsi"))] + [
            (p["code"], p["short_name"]) for p in provinces
        ]
        for bound in self.fields.values():
            bound.widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


def _cell_matches(cell: Cell, filters: dict) -> bool:
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
            counts["errors"] += cell.checks == "galat"
    return counts


def build_board(user, year: int, params, now: datetime.datetime) -> Board:
    rows, provinces = load_rows(user, year, now)
    form = DashboardFilterForm(params, provinces)
    kept = apply_filters(rows, form.filters())
    return Board(year=year, form=form, rows=kept, counts=count(kept), provinces=provinces)


# --- views ----------------------------------------------------------------------------------
def reviewer_only(view):
    """403 (with the reason) for anyone but a national reviewer or a superuser."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and is_national_reviewer(request.user)):
            return forbidden(
                request,
                _(
                    "Halaman reviu nasional hanya untuk reviewer Biro Perencanaan dan "
                    "Inspektorat KPU."
                ),
            )
        return view(request, *args, **kwargs)

    return wrapper


def _valid_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return year


@require_GET
@reviewer_only
def review_home(request):
    return redirect("review_dashboard", year=timezone.localdate().year)


@require_GET
@reviewer_only
def review_dashboard(request, year):
    board = build_board(request.user, _valid_year(year), request.GET, now=timezone.now())
    page = Paginator(board.rows, PER_PAGE).get_page(request.GET.get("halaman"))
    return render(
        request,
        "submissions/review_dashboard.html",
        {
            "board": board,
            "page": page,
            "counts": board.counts,
            "form": board.form,
            "year": year,
            "years": range(year - 2, year + 2),
        },
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(moment: datetime.datetime, time_zone: str) -> str:
    """As the unit's own clock shows it, e.g. "31-01-2027 23:30 WITA"."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return f"{local:%d-%m-%Y %H:%M} {TIME_ZONE_NAMES.get(time_zone, time_zone)}"


def export_rows(board: Board) -> bytes:
    """The filtered table as .xlsx (write-only; every cell text or a number, never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Reviu PK %(year)s") % {"year": board.year})
    per_pk = [
        _("Jenis PK"),
        _("Status PK"),
        _("Reviu"),
        _("Revisi"),
        _("Pertama disampaikan"),
        _("Terlambat"),
        _("Galat"),
        _("Peringatan"),
    ]
    header = [_("Provinsi"), _("Kode unit"), _("Unit")]
    header += [f"{_('PK Satker')}: {name}" for name in per_pk]
    header += [f"{_('PK Sekretariat')}: {name}" for name in per_pk]
    bold = Font(bold=True)

    def text(value):
        cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
        cell.data_type = "s"  # never a formula, whatever the text begins with
        return cell

    def number(value):
        return WriteOnlyCell(sheet, value=value) if value is not None else None

    heading = []
    for name in header:
        cell = text(name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)

    def pk_cells(cell: Cell | None) -> list:
        if cell is None:
            return [None] * len(per_pk)  # an empty cell (the office has no such PK)
        submitted = cell.first_submitted_at
        return [
            text(cell.pk_kind_label),
            text(cell.status_label),
            text(cell.state_label),
            number(cell.agreement["revision"] if cell.agreement else None),
            text(_local(submitted, cell.time_zone) if submitted else ""),
            text(_("ya") if cell.late else _("tidak")),
            number(cell.check_errors),
            number(cell.check_warnings),
        ]

    for row in board.rows:
        province = row.province["short_name"] if row.province else ""
        sheet.append(
            [
                text(province),
                text(row.unit["code"]),
                text(row.unit["short_name"]),
                *pk_cells(row.cells[0]),
                *pk_cells(row.cells[1]),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@require_GET
@reviewer_only
def review_export(request, year):
    board = build_board(request.user, _valid_year(year), request.GET, now=timezone.now())
    response = HttpResponse(export_rows(board), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"reviu-pk-{year}.xlsx"
    )
    return response


# --- one submission -------------------------------------------------------------------------
class DecisionForm(forms.Form):
    catatan = forms.CharField(
        label=gettext_lazy("Catatan"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(DecisionForm):
    catatan = forms.CharField(
        label=gettext_lazy("Catatan perbaikan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Tuliskan catatan saat mengembalikan PK.")},
    )


def _visible_submissions(user):
    return Submission.objects.filter(agreement__in=Agreement.objects.visible_to(user))


def _submission_page(request, submission, return_form=None, status=200):
    agreement = submission.agreement
    unit = agreement.unit
    deadline = submission_deadline(agreement.year, unit.time_zone)
    history = list(agreement.submissions.select_related("decided_by").order_by("submitted_at"))
    first = history[0].submitted_at if history else None
    refusal = None
    if submission.decision == Decision.PENDING:
        refusal = reviewer_refusal(request.user, submission)
    return render(
        request,
        "submissions/review_submission.html",
        {
            "submission": submission,
            "agreement": agreement,
            "unit": unit,
            "deadline": deadline,
            "zone": TIME_ZONE_NAMES.get(unit.time_zone, unit.time_zone),
            "late": is_overdue(deadline, first or timezone.now()),
            "history": history,
            "events": agreement.events.select_related("actor"),
            "deliveries": submission.deliveries.all()
            if submission.channel == Channel.MINISTRIES
            else [],
            "refusal": refusal,
            "can_decide": submission.decision == Decision.PENDING and refusal is None,
            "accept_form": DecisionForm(),
            "return_form": return_form or ReturnForm(),
            "dashboard_url": reverse("review_dashboard", args=[agreement.year])
            + (f"?provinsi={unit.province.code}" if unit.province_id else ""),
        },
        status=status,
    )


def _get_submission(request, pk) -> Submission:
    """Another office's submission is a 404 for whoever may not see its PK."""
    return get_object_or_404(
        _visible_submissions(request.user).select_related(
            "agreement__unit__province",
            "destination",
            "softcopy",
            "compilation__province",
            "submitted_by",
            "decided_by",
        ),
        pk=pk,
    )


@require_GET
@reviewer_only
def review_submission(request, pk):
    return _submission_page(request, _get_submission(request, pk))


def _decide(request, pk, accept: bool):
    submission = _get_submission(request, pk)
    form = (DecisionForm if accept else ReturnForm)(request.POST)
    if not form.is_valid():
        return _submission_page(request, submission, return_form=form, status=400)
    try:
        decide(submission, request.user, accept=accept, note=form.cleaned_data["catatan"])
    except SubmissionRefused as exc:
        messages.error(request, str(exc))
    else:
        if accept:
            messages.success(request, _("%(pk)s diterima.") % {"pk": submission.agreement})
        else:
            messages.success(
                request,
                _("%(pk)s dikembalikan untuk perbaikan dengan catatan.")
                % {"pk": submission.agreement},
            )
    return redirect("review_submission", pk=submission.pk)


@require_POST
@reviewer_only
def review_accept(request, pk):
    """Accept: Disampaikan → Diterima (submissions.services.decide, with its history row)."""
    return _decide(request, pk, accept=True)


@require_POST
@reviewer_only
def review_return(request, pk):
    """Return with a note: → Dikembalikan as a new revision (submissions.services.decide)."""
    return _decide(request, pk, accept=False)


@require_GET
@cache_control(private=True, no_cache=True)
def review_softcopy(request, pk):
    """The signed softcopy of a submission, streamed from storage to whoever may see the PK."""
    submission = get_object_or_404(
        _visible_submissions(request.user).select_related("softcopy", "agreement__unit"), pk=pk
    )
    try:
        handle = submission.softcopy.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("Berkas softcopy tidak ditemukan.")) from None
    agreement = submission.agreement
    filename = f"PK-{agreement.year}-{agreement.unit.code}-r{submission.revision}.pdf"
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )
