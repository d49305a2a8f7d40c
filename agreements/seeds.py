"""The seven seed PKs (agreements/seed_data/), loaded through the users' own import code."""

import csv
import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from agreements.lampiran import INDIKATOR, add_to_catalogue, replace_lampiran
from agreements.models import Agreement
from agreements.spreadsheet.reading import parse_lampiran
from organisations.models import Unit, UnitKind
from organisations.signatories import pk_kind_for

SEED_DIR = Path(__file__).parent / "seed_data"


@dataclass
class SeedPK:
    file: str
    year: int
    entry: dict

    @property
    def unit_code(self) -> str:
        return unit_code_for(self.entry)


class SeedError(Exception):
    pass


def manifest() -> list[SeedPK]:
    entries = yaml.safe_load((SEED_DIR / "manifest.yaml").read_text(encoding="utf-8"))
    return [SeedPK(e["file"], int(e["year"]), e) for e in entries]


def unit_code_for(entry: dict) -> str:
    region = str(entry["region"])
    kind = entry["unit"]
    if kind == "ketua":
        return region
    if kind == "sekretariat":
        return f"{region}.sekretariat"
    if kind == "subbagian":
        name = f"Subbagian {entry['subbagian']}".lower()
        for unit in Unit.objects.filter(
            parent__code=f"{region}.sekretariat", kind__in=[UnitKind.SUBBAGIAN, UnitKind.BAGIAN]
        ):
            if unit.short_name.lower() == name:
                return unit.code
        raise SeedError(f"no Subbagian {entry['subbagian']!r} under {region}.sekretariat")
    raise SeedError(f"unknown unit kind {kind!r}")


# Stands for an empty target cell while the users' importer (which requires a target) reads a
# seed file; the row is then stored without a target. See NOTES.md: a value the source does
# not show is left empty, never guessed.
NOT_IN_SOURCE = "0 belum-diisi"


def _mark_empty_targets(content: bytes) -> tuple[bytes, set[tuple[str, str]]]:
    """The CSV with NOT_IN_SOURCE in each empty INDIKATOR target, and those rows' (sasaran,
    indikator)."""
    table = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    header, empty = table[0], set()
    column = {name: header.index(name) for name in ("jenis", "sasaran", "indikator", "target")}
    for row in table[1:]:
        if row and row[column["jenis"]] == INDIKATOR and not row[column["target"]].strip():
            row[column["target"]] = NOT_IN_SOURCE
            empty.add((row[column["sasaran"]].strip(), row[column["indikator"]].strip()))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue().encode("utf-8"), empty


def parse_seed(seed: SeedPK):
    content, empty = _mark_empty_targets((SEED_DIR / seed.file).read_bytes())
    parsed = parse_lampiran(content, seed.file)
    if parsed.problems:
        raise SeedError(f"{seed.file}: " + "; ".join(str(p) for p in parsed.problems))
    parsed.rows = [
        dataclasses.replace(row, target=None) if (row.sasaran, row.indikator) in empty else row
        for row in parsed.rows
    ]
    return parsed


@transaction.atomic
def load_seed(seed: SeedPK, user=None) -> Agreement:
    """Create (or refresh) the seed PK with its printed signatories and its lampiran rows."""
    parsed = parse_seed(seed)
    unit = Unit.objects.get(code=seed.unit_code)
    entry = seed.entry
    agreement, _ = Agreement.objects.get_or_create(
        unit=unit,
        year=seed.year,
        version=1,
        defaults={"pk_kind": pk_kind_for(unit), "created_by": user},
    )
    if not agreement.is_editable:  # moved on since (submitted, signed): its content is locked
        return agreement
    agreement.pk_kind = pk_kind_for(unit)
    agreement.place = entry.get("place", "")
    agreement.sign_date = entry.get("date")
    first = entry.get("pihak_pertama") or {}
    second = entry.get("pihak_kedua") or {}
    agreement.pihak_pertama_name = first.get("name", "")
    agreement.pihak_pertama_position = first.get("position", "")
    agreement.pihak_pertama_nip = first.get("nip") or ""
    agreement.pihak_kedua_name = second.get("name", "")
    agreement.pihak_kedua_position = second.get("position", "")
    agreement.pihak_kedua_nip = second.get("nip") or ""
    agreement.pihak_pertama_signature_position = first.get("signature_position") or ""
    agreement.pihak_kedua_signature_position = second.get("signature_position") or ""
    agreement.save()
    add_to_catalogue(parsed.rows)
    replace_lampiran(agreement, parsed.rows)
    return agreement


def load_all_seeds(user=None) -> list[Agreement]:
    return [load_seed(seed, user) for seed in manifest()]
