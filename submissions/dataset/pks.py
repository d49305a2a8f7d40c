"""The PKs of the dataset and their lampiran: one Agreement per planned PK, and its
programme → kegiatan → sasaran → indicator rows (drawn from the Sekretariat seeds, with the
seed office's names replaced by each office's own) with a budget line per kegiatan."""

import datetime
import itertools

from agreements.models import (
    Agreement,
    BudgetLine,
    IndicatorRow,
    LampiranKegiatan,
    LampiranProgramme,
    Sasaran,
)
from agreements.seeds import SEED_DIR
from agreements.spreadsheet import parse_lampiran
from organisations.signatories import PKKind
from submissions.dataset.people import person_name, random_nip
from submissions.dataset.plan import check_summary

TEMPLATE_SEEDS = ("bontang-2026-sekretariat.csv", "sorong-2024-sekretariat.csv")
PROGRAMME_CODES = {
    "Program Penyelenggaraan Pemilihan Umum": "076.01.CQ",
    "Program Penyelenggaraan Pemilu Dalam Proses Konsolidasi Demokrasi": "076.01.CQ",
    "Program Dukungan Manajemen": "076.01.WA",
}


def template_rows():
    """The indicator rows of the two Sekretariat seeds: the pool each PK draws from."""

    rows, seen = [], set()
    for name in TEMPLATE_SEEDS:
        parsed = parse_lampiran((SEED_DIR / name).read_bytes(), name)
        for row in parsed.rows:
            if row.indikator and row.indikator not in seen:
                seen.add(row.indikator)
                rows.append(row)
    return rows


class Texts:
    """The seed texts with the seed office's names replaced by each office's own."""

    def __init__(self, pool):
        self.pool = pool
        self.cache: dict[int, list[tuple]] = {}

    def for_satker(self, satker: dict | None) -> list[tuple]:
        key = satker["id"] if satker else 0
        if key not in self.cache:
            body = satker["short_name"] if satker else "KPU"
            region = body.split(" ", 1)[1] if " " in body else "Indonesia"
            city = (satker or {}).get("city") or "Jakarta"
            pairs = [
                ("KPU Kota Bontang", body),
                ("KPU Kota Sorong", body),
                ("Kota Bontang", region),
                ("Kota Sorong", region),
                ("Bontang", city),
                ("Sorong", city),
            ]

            def local(text: str) -> str:
                for old, new in pairs:
                    text = text.replace(old, new)
                return text

            self.cache[key] = [
                (
                    row.program,
                    row.kegiatan_kode,
                    local(row.kegiatan),
                    local(row.sasaran),
                    local(row.indikator),
                    row.target,
                )
                for row in self.pool
            ]
        return self.cache[key]


def write_agreements(year, chunk, by_id, heads, rng, clock, generator) -> list[Agreement]:
    """One Agreement per planned PK of `chunk`, bulk-inserted; returned in its order."""
    agreements = []
    for plan in chunk:
        unit = plan.unit
        parent = by_id.get(unit["parent_id"])
        single = plan.pk_kind in {PKKind.KPU, PKKind.PROVINSI, PKKind.KABKOTA}
        # Commissioners (every Ketua) usually have no NIP; civil servants do.
        ketua_approves = plan.pk_kind in {
            PKKind.SETJEN,
            PKKind.SEKRETARIAT_PROVINSI,
            PKKind.SEKRETARIAT_KABKOTA,
        }
        errors, warnings = check_summary(rng, plan.status)
        signed = plan.status in {"ditandatangani", "disampaikan", "diterima"} or plan.submissions
        first_sent = plan.submissions[0].submitted_at if plan.submissions else clock.end
        agreements.append(
            Agreement(
                unit_id=unit["id"],
                year=year,
                version=1,
                status=plan.status,
                revision=plan.revision,
                pk_kind=plan.pk_kind,
                pihak_pertama_name=person_name(rng),
                pihak_pertama_position=heads.get(unit["id"], ""),
                pihak_pertama_nip="" if single else random_nip(rng),
                pihak_kedua_name="" if single else person_name(rng),
                pihak_kedua_position="" if single or not parent else heads.get(parent["id"], ""),
                pihak_kedua_nip="" if single or ketua_approves else random_nip(rng),
                place=unit["city"] or (by_id.get(unit["satker_id"]) or {}).get("city", ""),
                sign_date=(first_sent - datetime.timedelta(days=rng.randint(1, 6))).date()
                if signed
                else None,
                renstra_reference="Renstra KPU 2025–2029",
                rkt_reference=f"RKT {year}",
                rka_reference=f"RKA-K/L {year}",
                dipa_number=f"SP DIPA-076.01.2.{unit['id']:06d}/{year}",
                dipa_date=datetime.date(year - 1, 12, rng.randint(2, 20)),
                check_errors=errors,
                check_warnings=warnings,
                created_by=generator,
            )
        )
    Agreement.objects.bulk_create(agreements, batch_size=500)
    return agreements


def write_lampiran(chunk, agreements, by_id, texts, rng, indicators_per_pk, report):
    """The lampiran of each PK: programme → kegiatan → sasaran → indicator rows, and a budget
    line per kegiatan, bulk-inserted. Adds the rows written to `report`."""
    programmes, kegiatan, sasaran, indicators, budgets = [], [], [], [], []
    for plan, agreement in zip(chunk, agreements, strict=True):
        satker = by_id.get(plan.unit["satker_id"])
        pool = texts.for_satker(satker)
        size = max(1, min(len(pool), round(indicators_per_pk * rng.uniform(0.85, 1.15))))
        picked = sorted(rng.sample(range(len(pool)), size))
        tree: dict = {}
        for index in picked:
            programme_name, kegiatan_code, kegiatan_name, sasaran_text, text, target = pool[index]
            branch = tree.setdefault(programme_name, {}).setdefault(
                (kegiatan_code, kegiatan_name), {}
            )
            branch.setdefault(sasaran_text, []).append((text, target))
        # Numbered through the whole PK, as the import numbers them (agreements.lampiran): the
        # PK page's row anchors (#indikator-N) and the check report's links rely on it.
        kegiatan_no, sasaran_no, indicator_no, budget_no = (itertools.count() for _ in range(4))
        for p_pos, (programme_name, kegiatan_tree) in enumerate(tree.items()):
            programme = LampiranProgramme(
                agreement=agreement,
                position=p_pos,
                name=programme_name,
                code=PROGRAMME_CODES.get(programme_name, ""),
            )
            programmes.append(programme)
            for (code, name), sasaran_tree in kegiatan_tree.items():
                item = LampiranKegiatan(
                    programme=programme, position=next(kegiatan_no), code=code, name=name
                )
                kegiatan.append(item)
                budgets.append(
                    BudgetLine(
                        agreement=agreement,
                        position=next(budget_no),
                        programme_name=programme_name,
                        programme_code=programme.code,
                        kegiatan_code=code,
                        kegiatan_name=name,
                        amount=rng.randrange(2_000, 900_000) * 1000,
                    )
                )
                for text, rows in sasaran_tree.items():
                    goal = Sasaran(kegiatan=item, position=next(sasaran_no), text=text)
                    sasaran.append(goal)
                    for indicator, target in rows:
                        row = IndicatorRow(
                            sasaran=goal, position=next(indicator_no), text=indicator
                        )
                        row.set_target(target)
                        indicators.append(row)
    LampiranProgramme.objects.bulk_create(programmes, batch_size=1000)
    LampiranKegiatan.objects.bulk_create(kegiatan, batch_size=1000)
    Sasaran.objects.bulk_create(sasaran, batch_size=1000)
    IndicatorRow.objects.bulk_create(indicators, batch_size=1000)
    BudgetLine.objects.bulk_create(budgets, batch_size=1000)
    report.indicators += len(indicators)
    report.budget_lines += len(budgets)
