"""DIPA records: entered by each office, or imported for many offices at once by KPU."""

import datetime
import re
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.permissions import drafting_units
from agreements.tables import Formula, UnreadableFile, read_csv, read_xlsx
from organisations.models import Unit
from submissions.models import Dipa
from submissions.models.reminders import SUB_UNIT_KINDS

IMPORT_COLUMNS = ["kode_unit", "tahun", "nomor_dipa", "tanggal_dipa"]
MAX_IMPORT_ROWS = 5000  # every office of the country is about 1,100
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MIN_YEAR, MAX_YEAR = 2020, 2100
NUMBER_MAX_LENGTH = Dipa._meta.get_field("number").max_length


def recording_units(user):
    """The offices whose DIPA `user` records (a Bagian/Subbagian records none of its own)."""
    return drafting_units(user).exclude(kind__in=SUB_UNIT_KINDS)


def dipa_office(unit) -> Unit | None:
    """The office whose DIPA governs `unit`'s PKs: itself, or the office above a Bagian or
    Subbagian (one query)."""
    if unit.kind not in SUB_UNIT_KINDS:
        return unit
    return (
        Unit.objects.filter(code__in=unit.ancestor_codes)
        .exclude(kind__in=SUB_UNIT_KINDS)
        .order_by("-depth")
        .first()
    )


def year_refusal(year: int) -> str | None:
    """Why `year` (from an address) cannot be a budget year, or None."""
    if MIN_YEAR <= year <= MAX_YEAR:
        return None
    return _("Tahun anggaran %(year)s tidak sah: pilih tahun antara %(min)s dan %(max)s.") % {
        "year": year, "min": MIN_YEAR, "max": MAX_YEAR}  # fmt: skip


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
    file = forms.FileField(
        label=gettext_lazy("Berkas DIPA (.csv atau .xlsx)"),
        error_messages={"required": gettext_lazy("Pilih berkas .csv atau .xlsx.")},
    )


@dataclass
class DipaImport:
    rows: list = field(default_factory=list)  # (unit, year, number, date)
    problems: list = field(default_factory=list)  # (row, column, message)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(content: bytes, name: str) -> list[tuple[int, list]]:
    """(row number, cells) of the non-empty rows; raises UnreadableFile with the reason."""
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        # Cached values of formulas: a DIPA list computed in Excel is read as Excel shows it.
        table = read_xlsx(content, max_rows=MAX_IMPORT_ROWS, data_only=True)
    elif lowered.endswith(".csv"):
        table = read_csv(content, max_rows=MAX_IMPORT_ROWS)
    else:
        raise UnreadableFile(_("Unggah berkas .csv atau .xlsx."))
    return [(number, list(cells)) for number, cells in table.rows]


def _year(text: str) -> int | None:
    # ASCII digits only ("2027", or "2027.0" from a number cell): "²⁰²⁷" is no year.
    match = re.fullmatch(r"([0-9]{4})(?:\.0+)?", text)
    if not match or not MIN_YEAR <= int(match[1]) <= MAX_YEAR:
        return None
    return int(match[1])


def parse_dipa_file(content: bytes, name: str, year: int | None = None) -> DipaImport:
    """Read a DIPA list; with `year`, every row must be of that budget year. Never raises for
    bad input: problems are returned (row, column, message) and then no row is."""
    result = DipaImport()
    if len(content) > MAX_IMPORT_BYTES:
        result.problems.append((None, "", _("Berkas lebih dari 5 MB.")))
        return result
    try:
        table = _table(content, name)
    except UnreadableFile as exc:
        result.problems.append((None, "", str(exc)))
        return result
    if not table or [_text(c).lower() for c in table[0][1][:4]] != IMPORT_COLUMNS:
        result.problems.append(
            (1, "", _("Baris judul harus: %(cols)s.") % {"cols": ", ".join(IMPORT_COLUMNS)})
        )
        return result
    if len(table) - 1 > MAX_IMPORT_ROWS:
        result.problems.append(
            (None, "", _("Terlalu banyak baris (lebih dari %(n)d).") % {"n": MAX_IMPORT_ROWS})
        )
        return result
    codes = [_text(cells[0]) for _number, cells in table[1:] if cells]
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    seen = {}
    for number, cells in table[1:]:
        formulas = [IMPORT_COLUMNS[i] for i, c in enumerate(cells[:4]) if isinstance(c, Formula)]
        if formulas:
            result.problems.append(
                (number, formulas[0], _("Sel berisi rumus; isi dengan nilainya saja."))
            )
            continue
        code, year_text, dipa_number, date_text = ([_text(c) for c in cells] + [""] * 4)[:4]
        unit = units.get(code)
        if unit is None:
            result.problems.append(
                (number, "kode_unit", _("Unit “%(c)s” tidak dikenal.") % {"c": code})
            )
            continue
        row_year = _year(year_text)
        if row_year is None:
            result.problems.append(
                (number, "tahun", _("Tahun “%(t)s” tidak sah.") % {"t": year_text})
            )
            continue
        if year is not None and row_year != year:
            result.problems.append((number, "tahun", _(
                "Baris ini untuk tahun %(row)s, padahal yang diimpor adalah DIPA tahun %(year)s."
            ) % {"row": row_year, "year": year}))  # fmt: skip
            continue
        if (unit.pk, row_year) in seen:
            result.problems.append((number, "kode_unit", _(
                "Unit “%(c)s” tahun %(y)s sudah ada di baris %(first)s."
            ) % {"c": code, "y": row_year, "first": seen[unit.pk, row_year]}))  # fmt: skip
            continue
        seen[unit.pk, row_year] = number
        if not dipa_number:
            result.problems.append((number, "nomor_dipa", _("Nomor DIPA wajib diisi.")))
            continue
        if len(dipa_number) > NUMBER_MAX_LENGTH:
            result.problems.append((number, "nomor_dipa", _(
                "Nomor DIPA paling panjang %(max)d karakter."
            ) % {"max": NUMBER_MAX_LENGTH}))  # fmt: skip
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
        problem = check_dipa_date(row_year, day)
        if problem:
            result.problems.append((number, "tanggal_dipa", problem))
            continue
        result.rows.append((unit, row_year, dipa_number, day))
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
