"""What a KPU Provinsi sees of its PKs for a year: every PK it expects and how far each got.

DOMAIN.md, "Submission rules": the PKs f (KPU Kab/Kota) and g (its Sekretariat) go to KPU
through their KPU Provinsi, which compiles them, by the end of January in the unit's time zone;
the Provinsi's own PKs d and e go to KPU directly. So for a year a Provinsi expects its own d
and e and, for each Kab/Kota, an f and a g. The Provinsi page and the completeness report of
the bundle read the same answer.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementStatus
from organisations.models import Unit, UnitKind
from organisations.signatories import PKKind
from submissions.deadlines import TIME_ZONE_NAMES, submission_deadline
from submissions.models import Decision, Submission
from submissions.routing import Channel

# The PK each unit of a province owes, by the unit's kind (organisations.signatories).
EXPECTED_KINDS = {
    UnitKind.PROVINSI: PKKind.PROVINSI,
    UnitKind.SEKRETARIAT_PROVINSI: PKKind.SEKRETARIAT_PROVINSI,
    UnitKind.KABKOTA: PKKind.KABKOTA,
    UnitKind.SEKRETARIAT_KABKOTA: PKKind.SEKRETARIAT_KABKOTA,
}
OWN_KINDS = {UnitKind.PROVINSI, UnitKind.SEKRETARIAT_PROVINSI}
SIGNED_STATUSES = {AgreementStatus.SIGNED, AgreementStatus.DELIVERED, AgreementStatus.ACCEPTED}
SUBMITTED_STATUSES = {AgreementStatus.DELIVERED, AgreementStatus.ACCEPTED}


@dataclass
class ExpectedPK:
    """One PK a unit of the province owes for the year, and how far it got."""

    unit: Unit
    kind: str
    agreement: Agreement | None
    submission: Submission | None  # the latest submission of that PK
    deadline: datetime.datetime  # the end of January in the unit's time zone
    now: datetime.datetime

    @property
    def kind_label(self) -> str:
        return PKKind(self.kind).label

    @property
    def is_signed(self) -> bool:
        return self.agreement is not None and self.agreement.status in SIGNED_STATUSES

    @property
    def is_submitted(self) -> bool:
        return self.agreement is not None and self.agreement.status in SUBMITTED_STATUSES

    @property
    def is_missing(self) -> bool:
        return not self.is_submitted

    @property
    def submitted_at(self) -> datetime.datetime | None:
        return self.submission.submitted_at if self.is_submitted and self.submission else None

    @property
    def submitted_at_local(self) -> datetime.datetime | None:
        if self.submitted_at is None:
            return None
        return timezone.localtime(self.submitted_at, ZoneInfo(self.unit.time_zone))

    @property
    def is_late(self) -> bool:
        """Submitted after the end of January in the unit's time zone, or still not
        submitted once it has passed."""
        if self.is_submitted:
            return self.submitted_at is not None and self.submitted_at > self.deadline
        return self.now > self.deadline

    @property
    def sent_to_kpu(self) -> bool:
        """Already part of a compilation the Provinsi submitted to KPU."""
        compilation = self.submission.compilation if self.submission else None
        return compilation is not None and compilation.submitted_at is not None

    @property
    def ready_to_compile(self) -> bool:
        """A Kab/Kota PK at its Provinsi, waiting for KPU: what the next bundle carries."""
        return (
            self.is_submitted
            and self.submission is not None
            and self.submission.channel == Channel.PROVINSI
            and self.submission.decision == Decision.PENDING
            and not self.sent_to_kpu
        )

    @property
    def state(self) -> str:
        """A short code for pages: none, progress (drafting/approving), returned, signed,
        submitted, accepted."""
        if self.agreement is None:
            return "none"
        status = self.agreement.status
        if status == AgreementStatus.ACCEPTED:
            return "accepted"
        if status == AgreementStatus.DELIVERED:
            return "submitted"
        if status == AgreementStatus.SIGNED:
            return "signed"
        if status == AgreementStatus.RETURNED:
            return "returned"
        return "progress"

    @property
    def tone(self) -> str:
        """The Bootstrap colour of the state's badge."""
        return {
            "none": "secondary",
            "progress": "warning",
            "returned": "danger",
            "signed": "info",
            "submitted": "primary",
            "accepted": "success",
        }[self.state]

    @property
    def zone(self) -> str:
        return TIME_ZONE_NAMES.get(self.unit.time_zone, "")

    @property
    def status_label(self) -> str:
        if self.agreement is None:
            return _("Belum ada PK")
        return str(self.agreement.get_status_display())

    @property
    def decision_label(self) -> str:
        if not self.submission:
            return ""
        return str(self.submission.get_decision_display())


@dataclass
class RegencyRow:
    """A KPU Kab/Kota with its PK f and its Sekretariat's PK g."""

    unit: Unit
    pks: list[ExpectedPK] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return len(self.pks) == 2 and all(pk.is_submitted for pk in self.pks)


@dataclass
class Overview:
    province: Unit
    year: int
    now: datetime.datetime
    own: list[ExpectedPK]
    regencies: list[RegencyRow]

    @cached_property
    def regency_pks(self) -> list[ExpectedPK]:
        return [pk for row in self.regencies for pk in row.pks]

    @property
    def deadline(self) -> datetime.datetime:
        return submission_deadline(self.year, self.province.time_zone)

    @property
    def zone(self) -> str:
        return TIME_ZONE_NAMES.get(self.province.time_zone, "")

    @property
    def missing(self) -> list[ExpectedPK]:
        return [pk for pk in self.regency_pks if pk.is_missing]

    @property
    def not_signed(self) -> list[ExpectedPK]:
        """PKs that exist but are not signed yet (drafting, approving, returned)."""
        return [pk for pk in self.regency_pks if pk.agreement is not None and not pk.is_signed]

    @property
    def late(self) -> list[ExpectedPK]:
        return [pk for pk in self.regency_pks if pk.is_late]

    @property
    def ready_to_compile(self) -> list[ExpectedPK]:
        return [pk for pk in self.regency_pks if pk.ready_to_compile]

    @cached_property
    def counts(self) -> dict[str, int]:
        pks = self.regency_pks
        return {
            "regencies": len(self.regencies),
            "expected": len(pks),
            "submitted": sum(pk.is_submitted for pk in pks),
            "accepted": sum(pk.state == "accepted" for pk in pks),
            "missing": len(self.missing),
            "not_signed": len(self.not_signed),
            "no_pk": sum(pk.agreement is None for pk in pks),
            "late": len(self.late),
            "ready": len(self.ready_to_compile),
            "sent_to_kpu": sum(pk.sent_to_kpu for pk in pks),
        }


def province_overview(province: Unit, year: int, now: datetime.datetime) -> Overview:
    """Every PK the province expects for `year`, in three queries (units, PKs, submissions)."""
    units = list(
        Unit.objects.filter(province=province, kind__in=EXPECTED_KINDS, is_active=True).order_by(
            "path"
        )
    )
    latest_submissions = Submission.objects.select_related("compilation", "softcopy").order_by(
        "-submitted_at", "-pk"
    )
    agreements = (
        Agreement.objects.filter(unit__province=province, unit__kind__in=EXPECTED_KINDS, year=year)
        .order_by("unit_id", "-version")
        .prefetch_related(Prefetch("submissions", queryset=latest_submissions))
    )
    latest: dict[int, Agreement] = {}
    for agreement in agreements:
        latest.setdefault(agreement.unit_id, agreement)  # the highest version of each unit

    def expected(unit: Unit) -> ExpectedPK:
        agreement = latest.get(unit.pk)
        if agreement is not None:
            agreement.unit = unit  # already loaded: templates and links need no query
        submissions = list(agreement.submissions.all()) if agreement else []
        return ExpectedPK(
            unit=unit,
            kind=EXPECTED_KINDS[unit.kind],
            agreement=agreement,
            submission=submissions[0] if submissions else None,
            deadline=submission_deadline(year, unit.time_zone),
            now=now,
        )

    own = [expected(u) for u in units if u.kind in OWN_KINDS]
    regencies = {u.pk: RegencyRow(u) for u in units if u.kind == UnitKind.KABKOTA}
    for unit in units:
        if unit.kind == UnitKind.KABKOTA:
            regencies[unit.pk].pks.insert(0, expected(unit))
        elif unit.kind == UnitKind.SEKRETARIAT_KABKOTA and unit.parent_id in regencies:
            regencies[unit.parent_id].pks.append(expected(unit))
    return Overview(province, year, now, own, list(regencies.values()))
