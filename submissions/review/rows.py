"""The national review's data: one row per office of a year. What each PK slot (cell) shows is
computed in the database (cells_queryset), so that filters, counts and pagination run there
and only the rows of one page are built in Python. No HTTP here.

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
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement, AgreementStatus
from organisations.models import TimeZone, UnitKind
from organisations.signatories import RULES, PKKind
from submissions.deadlines import days_left, is_overdue, submission_deadline
from submissions.models import Decision, Submission

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
        """'kesalahan', 'peringatan', 'bersih', or 'belum' (not yet checked, or no PK)."""
        if self.check_errors is None:
            return "belum"
        if self.check_errors:
            return "kesalahan"
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


def load_provinces(visible) -> list[dict]:
    """The provinces among the `visible` units (Unit.objects.visible_to(user)), by code: the
    choices of the province filter (1 query)."""
    return list(
        visible.filter(kind=UnitKind.PROVINSI, is_active=True)
        .order_by("code")
        .values("id", "code", "kind", "short_name", "parent_id", "province_id", "time_zone",
                "path")
    )  # fmt: skip


# --- in the database ------------------------------------------------------------------------
def _submissions():
    return Submission.objects.filter(agreement=OuterRef("pk_of_year__id"))


def _by_time_zone(values: dict, output_field) -> Case:
    """A Case over the unit's time zone: the deadline of each zone, computed once in Python."""
    whens = [When(time_zone=zone, then=Value(value)) for zone, value in values.items()]
    return Case(*whens, default=Value(values[TimeZone.WIB]), output_field=output_field)


def cells_queryset(visible, year: int, now: datetime.datetime):
    """One row per PK slot of the dashboard (a unit of UNIT_KINDS among `visible`), with what
    its cell shows computed in the database: its PK (the highest version), the latest and the
    first submission, the review state, lateness and the check summary. `row_unit_id` is the
    office whose row holds the cell (a Sekretariat's parent).

    Filters and counts run on it in SQL: the page never builds the nation's rows in Python.
    """
    deadlines = {zone: submission_deadline(year, zone) for zone in TimeZone.values}
    overdue_zones = [zone for zone, deadline in deadlines.items() if is_overdue(deadline, now)]
    latest_submission = _submissions().order_by("-revision", "-submitted_at", "id")
    default_kind = Case(
        *[When(kind=kind, then=Value(RULES[kind].pk_kind)) for kind in UNIT_KINDS],
        output_field=CharField(),
    )
    # The unit's PKs of the year joined (a LEFT JOIN), all but the highest version left out.
    of_year = FilteredRelation(
        "agreements",
        condition=Q(agreements__year=year) & ~Q(agreements__pk_kind=PKKind.SUBUNIT),
    )
    later_version = Agreement.objects.filter(
        unit=OuterRef("id"), year=year, version__gt=OuterRef("pk_of_year__version")
    ).exclude(pk_kind=PKKind.SUBUNIT)
    return (
        visible.filter(kind__in=UNIT_KINDS, is_active=True)
        .annotate(pk_of_year=of_year)
        .filter(~Exists(later_version))
        .annotate(
            row_unit_id=Case(
                When(kind__in=list(SECRETARIAT_KIND.values()), then=F("parent_id")),
                default=F("id"),
            ),
            agreement_id=F("pk_of_year__id"),
            agreement_status=F("pk_of_year__status"),
            agreement_revision=F("pk_of_year__revision"),
            agreement_kind=F("pk_of_year__pk_kind"),
            check_errors=F("pk_of_year__check_errors"),
            check_warnings=F("pk_of_year__check_warnings"),
            submission_id=Subquery(latest_submission.values("id")[:1]),
            latest_decision=Subquery(latest_submission.values("decision")[:1]),
            first_submitted_at=Subquery(
                _submissions().order_by("submitted_at", "id").values("submitted_at")[:1]
            ),
        )
        .annotate(
            cell_kind=Coalesce(F("agreement_kind"), default_kind),
            deadline=_by_time_zone(deadlines, DateTimeField()),
            review_state=Case(
                When(agreement_id__isnull=True, then=Value(ReviewState.NOT_SUBMITTED)),
                When(agreement_status=AgreementStatus.DELIVERED, then=Value(ReviewState.PENDING)),
                When(agreement_status=AgreementStatus.ACCEPTED, then=Value(ReviewState.ACCEPTED)),
                When(latest_decision=Decision.RETURNED, then=Value(ReviewState.RETURNED)),
                default=Value(ReviewState.NOT_SUBMITTED),
                output_field=CharField(),
            ),
            checks=Case(
                When(check_errors__isnull=True, then=Value("belum")),
                When(check_errors__gt=0, then=Value("kesalahan")),
                When(check_warnings__gt=0, then=Value("peringatan")),
                default=Value("bersih"),
                output_field=CharField(),
            ),
        )
        .annotate(
            # Late: first submitted after the deadline or, never submitted, the deadline passed.
            late=Case(
                When(first_submitted_at__gt=F("deadline"), then=Value(True)),
                When(
                    first_submitted_at__isnull=True, time_zone__in=overdue_zones, then=Value(True)
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),  # fmt: skip
        )
    )


CELL_FIELDS = (
    "id", "code", "short_name", "time_zone", "row_unit_id", "agreement_id", "agreement_status",
    "agreement_revision", "check_errors", "check_warnings", "submission_id", "latest_decision",
    "first_submitted_at", "cell_kind", "review_state", "late",
)  # fmt: skip


def rows_queryset(visible, province: str | None = None):
    """The offices that have a row, in the dashboard's order: central offices first, then each
    province, its own KPU Provinsi before its Kab/Kota, by path."""
    offices = visible.filter(kind__in=ROW_KINDS, is_active=True)
    if province:
        offices = offices.filter(province__code=province)
    return offices.annotate(
        is_regional=Case(
            When(province_id__isnull=True, then=Value(0)), default=Value(1),
            output_field=IntegerField(),
        ),
        province_code=F("province__code"),
        province_name=F("province__short_name"),
        is_kabkota=Case(
            When(kind=UnitKind.PROVINSI, then=Value(0)), default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by("is_regional", "province_code", "is_kabkota", "path", "id")  # fmt: skip


ROW_FIELDS = ("id", "code", "kind", "short_name", "path", "province_code", "province_name")


def _cell(values: dict, year: int, now: datetime.datetime) -> Cell:
    agreement = None
    if values["agreement_id"] is not None:
        agreement = {
            "id": values["agreement_id"],
            "status": values["agreement_status"],
            "revision": values["agreement_revision"],
            "pk_kind": values["cell_kind"],
            "check_errors": values["check_errors"],
            "check_warnings": values["check_warnings"],
        }
    submission = None
    if values["submission_id"] is not None:
        submission = {"id": values["submission_id"], "decision": values["latest_decision"]}
    deadline = submission_deadline(year, values["time_zone"])
    first = values["first_submitted_at"]
    return Cell(
        unit_id=values["id"],
        unit_code=values["code"],
        unit_name=values["short_name"],
        pk_kind=values["cell_kind"],
        time_zone=values["time_zone"],
        deadline=deadline,
        agreement=agreement,
        submission=submission,
        first_submitted_at=first,
        state=values["review_state"],
        late=values["late"],
        matched=values.get("matched", True),
        days_left=None if first else days_left(deadline, now),
    )


def build_rows(offices: list[dict], cells: list[dict], year: int, now) -> list[Row]:
    """The Row objects of `offices` (ROW_FIELDS values, in order) from their `cells`
    (CELL_FIELDS values of cells_queryset, and "matched")."""
    own: dict[int, dict] = {}
    secretariat: dict[int, dict] = {}
    for values in cells:
        if values["id"] == values["row_unit_id"]:
            own[values["id"]] = values
        else:
            secretariat[values["row_unit_id"]] = values
    rows = []
    for office in offices:
        province = None
        if office["province_code"] is not None:
            province = {"code": office["province_code"], "short_name": office["province_name"]}
        pair = [own.get(office["id"]), secretariat.get(office["id"])]
        rows.append(
            Row(
                unit=office,
                province=province,
                cells=[_cell(c, year, now) if c is not None else None for c in pair],
            )
        )
    return rows
