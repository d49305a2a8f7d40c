"""The national review's data: one row per office of a year, joined in Python from three
queries (units, PKs, submissions), whatever the number of units. No HTTP here.

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
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Agreement, AgreementStatus
from organisations.models import Unit, UnitKind
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


def load_provinces(visible) -> list[dict]:
    """The provinces among the `visible` units (Unit.objects.visible_to(user)), by code: the
    choices of the province filter (1 query)."""
    return list(
        visible.filter(kind=UnitKind.PROVINSI, is_active=True)
        .order_by("code")
        .values("id", "code", "kind", "short_name", "parent_id", "province_id", "time_zone",
                "path")
    )  # fmt: skip


def load_rows(
    user,
    year: int,
    now: datetime.datetime,
    province: str | None = None,
    provinces=None,
    visible=None,
) -> tuple[list[Row], list[dict]]:
    """Every office's row for `year` (only the offices of `province`, a province code, when
    given: filtered in the database), in four queries (provinces unless given, units, PKs,
    submissions). `visible`: Unit.objects.visible_to(user), when the caller has it.

    Returns the rows (central offices first, then each province followed by its Kab/Kota)
    and the provinces, for the filter.
    """
    visible = Unit.objects.visible_to(user) if visible is None else visible
    provinces = load_provinces(visible) if provinces is None else provinces
    visible = visible.filter(kind__in=UNIT_KINDS, is_active=True)
    if province:
        visible = visible.filter(province__code=province)
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

    by_id = {u["id"]: u for u in units} | {p["id"]: p for p in provinces}
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
    return rows, provinces
