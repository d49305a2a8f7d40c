"""What reading a lampiran file gives back: the rows, or every problem found, each located by
sheet, row and column, so that the whole file can be corrected before anything is saved. The
wordings of the cell problems every reader meets (a formula, a date Excel made of the text)
are shared with the import of an office's own spreadsheet (agreements.importing.rows)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow
from agreements.tables import cell_text


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str
    field: str = ""  # the lampiran field, where the user may correct the cell in the preview

    def __str__(self):
        where = self.sheet
        if self.row:
            where += _(", baris %(row)d") % {"row": self.row}
        if self.column:
            where += _(", kolom %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class ParsedLampiran:
    rows: list[LampiranRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def indicator_count(self) -> int:
        return sum(1 for r in self.rows if r.jenis == INDIKATOR)

    @property
    def budget_total(self) -> int:
        return sum(r.anggaran or 0 for r in self.rows if r.jenis == ANGGARAN)


def formula_message() -> str:
    return _(
        "Sel berisi rumus; isi dengan nilainya saja (teks yang memang diawali "
        "=, +, - atau @ diawali tanda petik ')."
    )


def date_message(value) -> str:
    return _(
        "Sel berisi tanggal (%(value)s), padahal kolom ini bukan tanggal: Excel "
        "mengubah isian seperti 1/2 menjadi tanggal. Format selnya sebagai teks, "
        "lalu ketik ulang isinya."
    ) % {"value": cell_text(value)}
