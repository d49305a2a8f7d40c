"""DIPA records: entered by each office, or imported for many offices at once by KPU."""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.models import Unit
from submissions.models import Dipa

IMPORT_COLUMNS = ["kode_unit", "tahun", "nomor_dipa", "tanggal_dipa"]
MAX_IMPORT_ROWS = 5000  # every office of the country is about 1,100


def check_dipa_date(year: int, day: datetime.date) -> str | None:
    """A DIPA for year Y is ratified in Y-1 (usually December) or early in Y."""
    if day.year not in (year - 1, year):
        return _("Tanggal DIPA tahun %(y)s harus pada tahun %(prev)s atau %(y)s.") % {
            "y": year, "prev": year - 1}  # fmt: skip
    return None


class DipaForm(forms.ModelForm):
    class Meta:
        model = Dipa
        fields = ["number", "ratified_on"]
        widgets = {"ratified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["ratified_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def clean_ratified_on(self):
        day = self.cleaned_data["ratified_on"]
        problem = check_dipa_date(self.year, day)
        if problem:
            raise forms.ValidationError(problem)
        return day


class DipaImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas DIPA (.csv atau .xlsx)"))


@dataclass
class DipaImport:
    rows: list = field(default_factory=list)  # (unit, year, number, date)
    problems: list = field(default_factory=list)  # (row, column, message)


def _table(content: bytes, name: str) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            return [["" if c is None else str(c).strip() for c in row]
                    for row in workbook.worksheets[0].iter_rows(values_only=True)]  # fmt: skip
        finally:
            workbook.close()
    return [
        [c.strip() for c in row] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))
    ]


def parse_dipa_file(content: bytes, name: str) -> DipaImport:
    result = DipaImport()
    try:
        table = [row for row in _table(content, name) if any(row)]
    except Exception:  # any unreadable file: one clear message, nothing saved
        result.problems.append(
            (None, "", _("Berkas tidak dapat dibaca: unggah .csv (UTF-8) atau .xlsx."))
        )
        return result
    if not table or [c.lower() for c in table[0][:4]] != IMPORT_COLUMNS:
        result.problems.append(
            (1, "", _("Baris judul harus: %(cols)s.") % {"cols": ", ".join(IMPORT_COLUMNS)})
        )
        return result
    if len(table) - 1 > MAX_IMPORT_ROWS:
        result.problems.append(
            (None, "", _("Terlalu banyak baris (lebih dari %(n)d).") % {"n": MAX_IMPORT_ROWS})
        )
        return result
    units = {u.code: u for u in Unit.objects.filter(code__in=[r[0] for r in table[1:] if r])}
    for number, row in enumerate(table[1:], start=2):
        row = (row + ["", "", "", ""])[:4]
        code, year_text, dipa_number, date_text = row
        unit = units.get(code)
        if unit is None:
            result.problems.append(
                (number, "kode_unit", _("Unit “%(c)s” tidak dikenal.") % {"c": code})
            )
            continue
        if (
            not year_text.split(".")[0].isdigit()
            or not 2020 <= int(year_text.split(".")[0]) <= 2100
        ):
            result.problems.append(
                (number, "tahun", _("Tahun “%(t)s” tidak sah.") % {"t": year_text})
            )
            continue
        year = int(year_text.split(".")[0])
        if not dipa_number:
            result.problems.append((number, "nomor_dipa", _("Nomor DIPA wajib diisi.")))
            continue
        day = None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
            try:
                day = datetime.datetime.strptime(date_text, pattern).date()
                break
            except ValueError:
                continue
        if day is None:
            result.problems.append(
                (
                    number,
                    "tanggal_dipa",
                    _("Tanggal “%(t)s” tidak sah (YYYY-MM-DD).") % {"t": date_text},
                )
            )
            continue
        problem = check_dipa_date(year, day)
        if problem:
            result.problems.append((number, "tanggal_dipa", problem))
            continue
        result.rows.append((unit, year, dipa_number, day))
    if not result.rows and not result.problems:
        result.problems.append((None, "", _("Tidak ada baris data.")))
    return result


@transaction.atomic
def save_dipas(rows) -> int:
    for unit, year, number, day in rows:
        Dipa.objects.update_or_create(
            unit=unit, year=year, defaults={"number": number, "ratified_on": day}
        )
    return len(rows)
