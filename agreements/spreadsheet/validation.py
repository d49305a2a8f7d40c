"""One row of a lampiran sheet turned into domain values (a Target, whole rupiah), with the
rules a row must keep whatever file it came from: the template, an office's own spreadsheet
(agreements.importing.rows), and, for amounts, the lampiran editor."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow
from indicators.targets import parse_target
from organisations.formatting import format_rupiah, parse_rupiah

MAX_AMOUNT = 10**15 - 1  # Rp 999 triliun: the whole KPU budget is a small fraction of it


def parse_amount(text: str | int) -> int:
    """A budget amount in whole rupiah (organisations.formatting.parse_rupiah), refusing what
    would not fit the database or any real budget."""
    try:
        amount = parse_rupiah(text)
    except ValueError:  # digits int() cannot read, such as "²"
        raise ValidationError(
            _("“%(value)s” bukan jumlah rupiah yang sah (contoh: Rp 21.057.000,-)."),
            code="invalid",
            params={"value": text},
        ) from None
    if amount > MAX_AMOUNT:
        raise ValidationError(
            _("Jumlah anggaran terlalu besar: paling banyak %(max)s.")
            % {"max": format_rupiah(MAX_AMOUNT)},
            code="too_large",
        )
    return amount


class LampiranRowForm(forms.Form):
    """One spreadsheet row, turned into domain values (a Target, whole rupiah)."""

    jenis = forms.CharField(max_length=20)
    program_kode = forms.CharField(max_length=40, required=False)
    program = forms.CharField(max_length=300, required=False)
    kegiatan_kode = forms.CharField(max_length=40, required=False)
    kegiatan = forms.CharField(max_length=300, required=False)
    sasaran = forms.CharField(max_length=2000, required=False)
    indikator = forms.CharField(max_length=2000, required=False)
    target = forms.CharField(max_length=60, required=False)
    anggaran = forms.CharField(max_length=40, required=False)

    def clean_jenis(self):
        value = self.cleaned_data["jenis"].strip().upper()
        if value not in {INDIKATOR, ANGGARAN}:
            raise ValidationError(_("Isi dengan INDIKATOR atau ANGGARAN."))
        return value

    def clean(self):
        cleaned = super().clean()
        jenis = cleaned.get("jenis")
        if jenis == INDIKATOR:
            for name in ("sasaran", "indikator"):
                if not cleaned.get(name):
                    self.add_error(name, _("Wajib diisi untuk baris INDIKATOR."))
            try:
                cleaned["target"] = parse_target(cleaned.get("target", ""))
            except ValidationError as exc:
                self.add_error("target", exc)
            if cleaned.get("anggaran"):
                self.add_error("anggaran", _("Baris INDIKATOR tidak berisi anggaran."))
        elif jenis == ANGGARAN:
            if not (cleaned.get("program") or cleaned.get("kegiatan")):
                self.add_error("program", _("Sebutkan program atau kegiatan yang dianggarkan."))
            if not cleaned.get("anggaran"):
                self.add_error("anggaran", _("Wajib diisi untuk baris ANGGARAN."))
            else:
                try:
                    cleaned["anggaran"] = parse_amount(cleaned["anggaran"])
                except ValidationError as exc:
                    self.add_error("anggaran", exc)
        return cleaned

    def to_row(self) -> LampiranRow:
        data = self.cleaned_data
        return LampiranRow(
            jenis=data["jenis"],
            program_kode=data["program_kode"].strip(),
            program=data["program"].strip(),
            kegiatan_kode=data["kegiatan_kode"].strip(),
            kegiatan=data["kegiatan"].strip(),
            sasaran=data["sasaran"].strip(),
            indikator=data["indikator"].strip(),
            target=data["target"] if data["jenis"] == INDIKATOR else None,
            anggaran=data["anggaran"] if data["jenis"] == ANGGARAN else None,
        )
