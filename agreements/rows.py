"""The lampiran as a flat row (the spreadsheet shape): what lampiran, diffs, import and export
share. Plain data, no database: the modules that read and write rows build on it.
"""

from dataclasses import asdict, dataclass

from indicators.targets import Target

INDIKATOR = "INDIKATOR"
ANGGARAN = "ANGGARAN"


@dataclass
class LampiranRow:
    jenis: str
    program_kode: str = ""
    program: str = ""
    kegiatan_kode: str = ""
    kegiatan: str = ""
    sasaran: str = ""
    indikator: str = ""
    target: Target | None = None
    anggaran: int | None = None

    def as_cells(self) -> dict:
        cells = asdict(self)
        cells["target"] = self.target.printed if self.target else ""
        cells["anggaran"] = "" if self.anggaran is None else self.anggaran
        return cells
