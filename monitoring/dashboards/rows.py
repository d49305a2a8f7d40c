"""The dashboards' data: one row per unit of a scope for a year and quarter, in a fixed number
of queries whatever the number of units (units, PKs, then monitoring.dashboards.scores).

Which units have a row: every active unit of the kinds that make a PK (KPU, the Setjen and its
Eselon II units, each KPU Provinsi and KPU Kab/Kota and their Sekretariat), and any other unit
(Bagian, Subbagian) that has a PK of the year.

The reporting state of a row, for the quarter:
- "tanpa-pk": the unit has no PK of the year; "belum-ttd": it has one, not signed yet (it
  cannot report before it is signed);
- for a signed PK, the state of the version measuring the quarter (monitoring.amendments):
  "belum" (belum melapor: nothing entered), "draf", "diajukan" (waiting for its Pihak
  Kedua's verification), "terverifikasi" or "dikembalikan" (monitoring.series.quarter_status).
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext_lazy

from agreements.models import Agreement
from monitoring import capaian
from monitoring.dashboards.scores import Score, quarter_scores
from monitoring.models import MONITORED_STATUSES, RealisationStatus
from organisations.models import UnitKind
from organisations.signatories import RULES, PKKind

KINDS_WITH_PK = (
    UnitKind.KPU, UnitKind.SETJEN, UnitKind.ESELON_II, UnitKind.PROVINSI,
    UnitKind.SEKRETARIAT_PROVINSI, UnitKind.KABKOTA, UnitKind.SEKRETARIAT_KABKOTA,
)  # fmt: skip


def last_ended_quarter(today: datetime.date) -> tuple[int, int]:
    """(year, quarter) of the latest quarter that has ended: the one being reported."""
    current = (today.month - 1) // 3 + 1
    return (today.year - 1, 4) if current == 1 else (today.year, current - 1)


class ReportState:
    NO_PK = "tanpa-pk"
    NOT_SIGNED = "belum-ttd"
    NOT_REPORTED = "belum"
    DRAFT = RealisationStatus.DRAFT.value
    SUBMITTED = RealisationStatus.SUBMITTED.value
    VERIFIED = RealisationStatus.VERIFIED.value
    RETURNED = RealisationStatus.RETURNED.value
    LABELS = {
        NOT_REPORTED: gettext_lazy("Belum melapor"),
        DRAFT: gettext_lazy("Draf"),
        SUBMITTED: gettext_lazy("Menunggu verifikasi"),
        VERIFIED: gettext_lazy("Terverifikasi"),
        RETURNED: gettext_lazy("Dikembalikan"),
        NOT_SIGNED: gettext_lazy("PK belum ditandatangani"),
        NO_PK: gettext_lazy("Belum ada PK"),
    }
    TONES = {
        NOT_REPORTED: "danger",
        DRAFT: "secondary",
        SUBMITTED: "warning",
        VERIFIED: "success",
        RETURNED: "danger",
        NOT_SIGNED: "light",
        NO_PK: "light",
    }
    # Signed PKs whose quarter has not been sent for verification yet.
    NOT_SUBMITTED = (NOT_REPORTED, DRAFT, RETURNED)


CATEGORY_TONES = {
    capaian.ACHIEVED: "success",
    capaian.NEARLY: "warning",
    capaian.NOT_ACHIEVED: "danger",
    capaian.NO_DATA: "secondary",
}


@dataclass
class Row:
    unit: dict  # id, code, kind, name, short_name, province_id, satker_id, path, time_zone
    province: dict | None
    quarter: int
    agreement: dict | None = None  # the version measuring the quarter, else the latest one
    score: Score | None = None
    linkable: bool = True  # may the reader open the PK's pages (Unit.objects.visible_to)

    @property
    def label(self) -> str:
        """The unit as Unit.__str__ names it: a Subbagian's short name is the same in 514
        offices, so it is named with its office."""
        if self.unit["kind"] in {UnitKind.BAGIAN, UnitKind.SUBBAGIAN}:
            return self.unit["name"]
        return self.unit["short_name"]

    @property
    def office(self) -> str:
        """For a Bagian or Subbagian, the Sekretariat it belongs to (read off its name)."""
        if self.unit["kind"] not in {UnitKind.BAGIAN, UnitKind.SUBBAGIAN}:
            return ""
        return self.unit["name"].removeprefix(self.unit["short_name"]).strip()

    @property
    def state(self) -> str:
        if self.agreement is None:
            return ReportState.NO_PK
        if self.score is None:
            return ReportState.NOT_SIGNED
        return self.score.status or ReportState.NOT_REPORTED

    @property
    def state_label(self) -> str:
        return str(ReportState.LABELS[self.state])

    @property
    def tone(self) -> str:
        return ReportState.TONES[self.state]

    @property
    def pk_kind(self) -> str:
        if self.agreement:
            return self.agreement["pk_kind"]
        rule = RULES.get(self.unit["kind"])
        return rule.pk_kind if rule else PKKind.SUBUNIT

    @property
    def pk_kind_label(self) -> str:
        return PKKind(self.pk_kind).label

    @property
    def average(self) -> capaian.Capaian | None:
        return self.score.average if self.score else None

    @property
    def category(self) -> str:
        """A capaian category, '' for a PK that is not signed (or no PK)."""
        return self.score.average.category if self.score else ""

    @property
    def category_label(self) -> str:
        return self.score.average.label if self.score else ""

    @property
    def category_tone(self) -> str:
        return CATEGORY_TONES.get(self.category, "secondary")

    @cached_property
    def url(self) -> str:
        if not (self.agreement and self.linkable):
            return ""
        return reverse("agreements:detail", args=[self.agreement["id"]])

    @cached_property
    def quarter_url(self) -> str:
        if not (self.score and self.linkable):
            return ""
        return reverse("monitoring:quarter", args=[self.score.agreement_id, self.quarter])

    @cached_property
    def export_urls(self) -> dict:
        if not (self.score and self.linkable):
            return {}
        args = [self.score.agreement_id, self.quarter]
        return {
            "xlsx": reverse("monitoring_reports:measurement_xlsx", args=args),
            "pdf": reverse("monitoring_reports:measurement_pdf", args=args),
        }


def load_rows(scope, year: int, quarter: int, rules=None, visible_ids=None):
    """The rows of the units of `scope` (a Unit queryset) for `year` and `quarter`.

    `visible_ids`: the ids of the units whose PK pages the reader may open (None: all).
    Returns (rows, provinces): central offices first, then each province with its own units
    before its Kab/Kota; the provinces (dicts) are for the filter.
    """
    units = list(
        scope.filter(is_active=True).values(
            "id",
            "code",
            "kind",
            "name",
            "short_name",
            "province_id",
            "satker_id",
            "path",
            "time_zone",
        )
    )
    latest: dict[int, dict] = {}
    signed: dict[int, list[dict]] = {}
    for agreement in (
        Agreement.objects.filter(year=year, unit__in=scope.values("pk"))
        .values("id", "unit_id", "version", "status", "pk_kind", "sign_date", "amendment_date")
        .order_by("version", "id")
    ):
        latest[agreement["unit_id"]] = agreement  # the highest version wins
        if agreement["status"] in MONITORED_STATUSES:
            signed.setdefault(agreement["unit_id"], []).append(agreement)
    time_zones = {u["id"]: u["time_zone"] for u in units}
    signed = {unit_id: found for unit_id, found in signed.items() if unit_id in time_zones}
    scores = quarter_scores(scope, signed, time_zones, year, quarter, rules) if signed else {}
    by_id = {u["id"]: u for u in units}
    rows = []
    for unit in units:
        if unit["kind"] not in KINDS_WITH_PK and unit["id"] not in latest:
            continue
        score = scores.get(unit["id"])
        agreement = latest.get(unit["id"])
        if score is not None:
            agreement = next(a for a in signed[unit["id"]] if a["id"] == score.agreement_id)
        rows.append(
            Row(
                unit=unit,
                province=by_id.get(unit["province_id"]),
                quarter=quarter,
                agreement=agreement,
                score=score,
                linkable=visible_ids is None or unit["id"] in visible_ids,
            )
        )

    def order(row: Row):
        unit = row.unit
        province = row.province["code"] if row.province else ""
        own_office = unit["satker_id"] == unit["province_id"]
        return (row.province is not None, province, not own_office, unit["path"])

    rows.sort(key=order)
    provinces = sorted(
        (u for u in units if u["kind"] == UnitKind.PROVINSI), key=lambda u: u["code"]
    )
    return rows, provinces
