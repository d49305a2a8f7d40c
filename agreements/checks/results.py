"""What a check says about a row: its severity, message and where to find the row."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy


class Severity(models.TextChoices):
    PASSED = "passed", gettext_lazy("Lolos")
    WARNING = "warning", gettext_lazy("Peringatan")
    ERROR = "error", gettext_lazy("Kesalahan")


class Check(models.TextChoices):
    SUBBAGIAN_IN_SEKRETARIAT = (
        "subbagian_in_sekretariat",
        gettext_lazy("Indikator Subbagian ada di PK Sekretariat"),
    )
    SEKRETARIAT_CARRIED = (
        "sekretariat_carried",
        gettext_lazy("Indikator Sekretariat diemban Subbagian"),
    )
    BUDGET_ROLL_UP = "budget_roll_up", gettext_lazy("Jumlah anggaran Subbagian = Sekretariat")
    NATIONAL_FLOOR = "national_floor", gettext_lazy("Target tidak di bawah target nasional")
    IKU_COVERAGE = "iku_coverage", gettext_lazy("Memuat semua IKU")
    FORM = "form", gettext_lazy("Kelengkapan PK")


@dataclass
class Finding:
    check: str
    severity: str
    message: str
    row_key: str = ""  # identifies the row the finding is about, stable across saves
    row_index: int | None = None  # position of the indicator row in the lampiran, for links
    match_note: str = ""  # how two texts were matched, for a person to confirm
    details: dict = field(default_factory=dict)
    accepted_reason: str = ""  # set when a person accepted this warning (CheckAcceptance)

    @property
    def blocks_submission(self) -> bool:
        return self.severity == Severity.ERROR


@dataclass
class CheckReport:
    findings: list[Finding]

    def by_severity(self, severity) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    @property
    def errors(self):
        return self.by_severity(Severity.ERROR)

    @property
    def warnings(self):
        return self.by_severity(Severity.WARNING)

    @property
    def passed(self):
        return self.by_severity(Severity.PASSED)

    @property
    def blocks_submission(self) -> bool:
        return bool(self.errors)
