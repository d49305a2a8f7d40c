"""Deadlines, computed in one place (DOMAIN.md: "Drafting rules", "Submission rules").

A deadline ends at 23:59:59 on its date in the unit's own time zone (WIB, WITA, WIT).
- signing: at most 30 calendar days after the DIPA of that unit and year (unknown without DIPA);
- submission: the end of January of the year.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from submissions.models import CompilationCalendar, DeadlineKind, Dipa

SIGNING_DAYS_AFTER_DIPA = 30


def end_of_day(day: datetime.date, time_zone: str) -> datetime.datetime:
    """The last second of `day` in `time_zone`, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=ZoneInfo(time_zone))


def submission_deadline(year: int, time_zone: str) -> datetime.datetime:
    return end_of_day(datetime.date(year, 1, 31), time_zone)


def signing_deadline(dipa_date: datetime.date | None, time_zone: str) -> datetime.datetime | None:
    """None when the DIPA is not known: the deadline is then unknown, and pages say so."""
    if dipa_date is None:
        return None
    return end_of_day(dipa_date + datetime.timedelta(days=SIGNING_DAYS_AFTER_DIPA), time_zone)


def is_overdue(deadline: datetime.datetime | None, now: datetime.datetime) -> bool:
    return deadline is not None and now > deadline


# Kab/Kota PKs must reach their KPU Provinsi a few days before the end of January, so that it
# can compile them; KPU may set another date per year (CompilationCalendar).
DEFAULT_COMPILATION_MARGIN_DAYS = 5


def compilation_date(year: int, calendar_date: datetime.date | None = None) -> datetime.date:
    if calendar_date is not None:
        return calendar_date
    return datetime.date(year, 1, 31) - datetime.timedelta(days=DEFAULT_COMPILATION_MARGIN_DAYS)


def compilation_deadline(year, time_zone, calendar_date=None) -> datetime.datetime:
    return end_of_day(compilation_date(year, calendar_date), time_zone)


def days_left(deadline: datetime.datetime | None, now: datetime.datetime) -> int | None:
    """Whole days from `now` to the deadline's date, both in the deadline's time zone:
    0 on the day itself, negative once it has passed; None when the deadline is unknown."""
    if deadline is None:
        return None
    local_today = now.astimezone(deadline.tzinfo).date()
    return (deadline.date() - local_today).days


TIME_ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
MET_BY = {
    "tanda_tangan": {"ditandatangani", "disampaikan", "diterima"},
    "kompilasi": {"disampaikan", "diterima"},
    "penyampaian": {"disampaikan", "diterima"},
}


@dataclass
class DeadlineView:
    kind: str
    label: str
    due: datetime.datetime | None
    days_left: int | None
    met: bool

    @property
    def zone(self) -> str:
        return TIME_ZONE_NAMES.get(str(self.due.tzinfo), "") if self.due else ""

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def tone(self) -> str:
        """Bootstrap colour: done, unknown, overdue, close (a week or less), or in time."""
        if self.met:
            return "success"
        if self.days_left is None:
            return "secondary"
        if self.days_left < 0:
            return "danger"
        return "warning" if self.days_left <= 7 else "primary"


def deadlines_for(unit, year: int, status: str | None, now: datetime.datetime) -> list:
    """The deadlines of `unit`'s PK of `year` for pages (two queries: DIPA and calendar)."""

    # A Bagian/Subbagian has no DIPA of its own: its office's (the Sekretariat above it) counts.
    governing = Dipa.objects.governing(unit, year)
    dipa = governing.ratified_on if governing else None
    calendar = (
        CompilationCalendar.objects.filter(year=year).values_list("compile_by", flat=True).first()
    )
    rows = [(DeadlineKind.SIGNING, signing_deadline(dipa, unit.time_zone))]
    if unit.kind in {"kabkota", "sekretariat_kabkota"}:
        rows.append(
            (DeadlineKind.COMPILATION, compilation_deadline(year, unit.time_zone, calendar))
        )
    rows.append((DeadlineKind.SUBMISSION, submission_deadline(year, unit.time_zone)))
    return [
        DeadlineView(
            kind, DeadlineKind(kind).label, due, days_left(due, now), status in MET_BY[kind]
        )  # fmt: skip
        for kind, due in rows
    ]
