"""What each PK of the dataset will be: its outcome (final status and submissions), drawn
with weights per group of offices, and the times of each step inside the dataset's window."""

import datetime
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from organisations.signatories import RULES, PKKind
from submissions.models import Decision

RETURN_NOTES = (
    "Target IKU di bawah target nasional untuk indikator yang sama.",
    "Anggaran pada lampiran tidak sama dengan pagu DIPA.",
    "Pindaian halaman tanda tangan tidak terbaca; unggah ulang pindaian yang jelas.",
    "Indikator PK Subbagian belum seluruhnya tercantum pada PK Sekretariat.",
    "Tanggal PK lebih dari 30 hari setelah pengesahan DIPA; mohon dijelaskan.",
    "Satuan target tidak konsisten dengan IKU yang ditetapkan.",
)


# An outcome is a PK's story: its final status, and its submissions as (decision) per revision.
OUTCOMES = {
    "draf": ("draf", ()),
    "diajukan": ("diajukan", ()),
    "disetujui": ("disetujui", ()),
    "ditandatangani": ("ditandatangani", ()),
    "kembali_penyetuju": ("dikembalikan", ()),  # returned by its approver, never submitted
    "disampaikan": ("disampaikan", (Decision.PENDING,)),
    "disampaikan_ulang": ("disampaikan", (Decision.RETURNED, Decision.PENDING)),
    "diterima": ("diterima", (Decision.ACCEPTED,)),
    "diterima_ulang": ("diterima", (Decision.RETURNED, Decision.ACCEPTED)),
    "kembali_reviu": ("dikembalikan", (Decision.RETURNED,)),
}
# Weights per group. Kab/Kota PKs depend on how far their province is: a reviewer decides
# them only once the province's compilation was submitted to KPU.
WEIGHTS = {
    "kpu": {
        "draf": 6,
        "diajukan": 4,
        "disetujui": 4,
        "ditandatangani": 8,
        "disampaikan": 22,
        "disampaikan_ulang": 4,
        "diterima": 34,
        "diterima_ulang": 6,
        "kembali_reviu": 9,
        "kembali_penyetuju": 3,
    },
    "kabkota:submitted": {
        "tanpa": 1.5,
        "draf": 4,
        "diajukan": 3,
        "disetujui": 3,
        "ditandatangani": 6,
        "disampaikan": 14,
        "diterima": 50,
        "kembali_reviu": 15,
        "kembali_penyetuju": 3,
    },
    "kabkota:compiled": {
        "tanpa": 1.5,
        "draf": 5,
        "diajukan": 5,
        "disetujui": 5,
        "ditandatangani": 12,
        "disampaikan": 68,
        "kembali_penyetuju": 4,
    },
    "kabkota:collecting": {
        "tanpa": 2,
        "draf": 20,
        "diajukan": 14,
        "disetujui": 12,
        "ditandatangani": 20,
        "disampaikan": 28,
        "kembali_penyetuju": 4,
    },
    "internal": {
        "tanpa": 1,
        "draf": 10,
        "diajukan": 8,
        "disetujui": 8,
        "ditandatangani": 14,
        "disampaikan": 14,
        "diterima": 36,
        "diterima_ulang": 4,
        "kembali_reviu": 4,
        "kembali_penyetuju": 2,
    },
}
PROVINCE_STAGES = {"submitted": 45, "compiled": 25, "collecting": 30}


@dataclass
class PlannedSubmission:
    revision: int
    decision: str
    submitted_at: datetime.datetime
    decided_at: datetime.datetime | None = None
    note: str = ""


@dataclass
class PlannedPK:
    unit: dict
    pk_kind: str
    outcome: str
    status: str
    revision: int
    submissions: list[PlannedSubmission]
    stage: str = ""


def weighted(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Clock:
    """Times inside the window the dataset pretends to be at: never after now."""

    def __init__(self, year: int, now: datetime.datetime, rng: random.Random):
        wib = self.wib = ZoneInfo("Asia/Jakarta")
        end = min(now, datetime.datetime(year, 2, 28, 16, tzinfo=wib))
        self.end = end
        self.start = end - datetime.timedelta(days=70)
        self.rng = rng

    def between(self, start, end) -> datetime.datetime:
        start, end = max(start, self.start), min(end, self.end)
        if end <= start:
            return end
        seconds = int((end - start).total_seconds())
        moment = start + datetime.timedelta(seconds=self.rng.randrange(seconds))
        # Office hours in Jakarta, on the hour: plausible, and few distinct values.
        moment = moment.astimezone(self.wib).replace(
            hour=self.rng.choice((9, 10, 11, 13, 14, 15)), minute=0, second=0, microsecond=0
        )
        return min(max(moment, start), end)

    def fraction(self, share: float) -> datetime.datetime:
        return self.start + (self.end - self.start) * share


def group_of(unit: dict) -> str:
    kind = RULES[unit["kind"]].pk_kind
    if kind == PKKind.SUBUNIT:
        return "internal"
    if kind in {PKKind.KABKOTA, PKKind.SEKRETARIAT_KABKOTA}:
        return "kabkota"
    return "kpu"


def plan_pks(
    units: list[dict], stages: dict, clock: Clock, rng: random.Random, compile_at: dict
) -> list[PlannedPK]:
    plans = []
    for unit in units:
        group = group_of(unit)
        stage = stages.get(unit["province_id"], "") if group == "kabkota" else ""
        weights = WEIGHTS[f"{group}:{stage}" if stage else group]
        outcome = weighted(rng, weights)
        if outcome == "tanpa":
            continue
        plans.append(plan_pk(unit, outcome, stage, clock, rng, compile_at))
    # Small subsets must still show every state: give a missing one to a KPU-routed PK.
    present = {p.status for p in plans}
    flexible = [p for p in plans if group_of(p.unit) == "kpu"]
    for outcome, (status, _) in OUTCOMES.items():
        if status not in present and flexible:
            chosen = flexible.pop(rng.randrange(len(flexible)))
            plans[plans.index(chosen)] = plan_pk(chosen.unit, outcome, "", clock, rng, compile_at)
            present.add(status)
    return plans


def plan_pk(unit, outcome, stage, clock: Clock, rng, compile_at) -> PlannedPK:
    status, decisions = OUTCOMES[outcome]
    submissions = []
    if stage:  # Kab/Kota: submitted before the compilation, decided after it was submitted
        compiled = compile_at[unit["province_id"]]
        latest = compiled - datetime.timedelta(days=1) if stage != "collecting" else clock.end
        moment = clock.between(clock.start, latest)
        for revision, decision in enumerate(decisions, start=1):
            planned = PlannedSubmission(revision, decision, moment)
            if decision != Decision.PENDING:
                planned.decided_at = clock.between(compiled + datetime.timedelta(days=2), clock.end)
            submissions.append(planned)
    else:
        moment = clock.between(clock.start, clock.fraction(0.7 if len(decisions) < 2 else 0.4))
        for revision, decision in enumerate(decisions, start=1):
            planned = PlannedSubmission(revision, decision, moment)
            if decision != Decision.PENDING:
                planned.decided_at = clock.between(
                    moment + datetime.timedelta(days=1), moment + datetime.timedelta(days=12)
                )
                moment = clock.between(
                    planned.decided_at + datetime.timedelta(days=2),
                    planned.decided_at + datetime.timedelta(days=14),
                )
            submissions.append(planned)
    for planned in submissions:
        if planned.decision == Decision.RETURNED:
            planned.note = rng.choice(RETURN_NOTES)
    returned = sum(s.decision == Decision.RETURNED for s in submissions)
    revision = 1 + returned + (outcome == "kembali_penyetuju")
    return PlannedPK(
        unit, RULES[unit["kind"]].pk_kind, outcome, status, revision, submissions, stage
    )


def check_summary(rng: random.Random, status: str) -> tuple[int | None, int | None]:
    """A plausible check summary: drafts carry errors; submitted PKs rarely do (a later change
    in their family can still raise one)."""
    roll = rng.random()
    if status in {"draf", "dikembalikan"}:
        if roll < 0.2:
            return None, None
        if roll < 0.45:
            return rng.randint(1, 5), rng.randint(0, 6)
        return (0, rng.randint(1, 6)) if roll < 0.75 else (0, 0)
    if roll < 0.02:
        return None, None
    if roll < 0.06:
        return rng.randint(1, 2), rng.randint(0, 3)
    return (0, rng.randint(1, 4)) if roll < 0.38 else (0, 0)
