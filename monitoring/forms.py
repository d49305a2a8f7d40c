"""The quarter form: one line per indicator of the PK, all saved in one POST (a formset).

Each form turns its input into domain values (monitoring.services.Entry): a number as
Indonesians type it ("95,5", "1.250", "85%") becomes a Decimal, a grade must belong to the
target's order, an evidence file must be a whole PDF or a JPEG/PNG image.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitoring import capaian
from monitoring.evidence_forms import EvidenceFields
from monitoring.services import Entry

TEXT_LIMIT = 2000
# "1.250" is a thousand and more; "0.500" is a half (no number starts with 0 thousands).
_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^\d+([.,]\d+)?$")


def parse_number(text: str) -> Decimal:
    """ "95,5" and "95.5" → 95.5; "1.250" and "1.250,5" → 1250 and 1250.5 (dot thousands, as
    Indonesians write them); a trailing "%" or unit word is ignored. Raises ValidationError."""
    cleaned = re.sub(r"\s+", "", str(text)).rstrip("%")
    cleaned = re.sub(r"[A-Za-z/]+$", "", cleaned)
    if cleaned.startswith("-"):
        raise ValidationError(_("Realisasi tidak boleh negatif."), code="negative")
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _PLAIN.match(cleaned):
        cleaned = cleaned.replace(",", ".")
    else:
        raise ValidationError(
            _("“%(value)s” bukan angka. Tulis misalnya 95, 95,5 atau 1.250."),
            code="invalid",
            params={"value": text},
        )
    try:
        number = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the patterns let only digits through
        raise ValidationError(_("Realisasi bukan angka."), code="invalid") from None
    integer_digits = len(cleaned.split(".")[0].lstrip("0"))
    decimals = len(cleaned.split(".")[1]) if "." in cleaned else 0
    if integer_digits > 14 or decimals > 4:
        raise ValidationError(
            _("Angka terlalu panjang: paling banyak 14 digit dan 4 angka di belakang koma."),
            code="too_long",
        )
    return number


def _text_field(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class RealisationForm(EvidenceFields):
    """One indicator in one quarter. `line` is the monitoring.views.FormLine it edits; its
    evidence fields are monitoring.evidence_forms."""

    row = forms.IntegerField(widget=forms.HiddenInput)
    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    value = forms.CharField(
        label=gettext_lazy("Realisasi"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "inputmode": "decimal",
                "autocomplete": "off",
            }
        ),  # fmt: skip
    )
    grade = forms.ChoiceField(label=gettext_lazy("Predikat"), required=False, choices=())
    explanation = _text_field(gettext_lazy("Penjelasan"))
    obstacles = _text_field(gettext_lazy("Kendala"))
    follow_up = _text_field(gettext_lazy("Tindak lanjut"))
    # The evidence fields (declared on the base) come last, as on the page.
    field_order = ["row", "lock_version", "value", "grade", "explanation", "obstacles",
                   "follow_up", "evidence", "pending_evidence", "remove_evidence"]  # fmt: skip

    def __init__(self, *args, line, **kwargs):
        self.line = line
        # The form page's error summary names the indicator before the field.
        self.error_summary_prefix = line.row.text
        super().__init__(*args, **kwargs)
        if line.measure.kind == capaian.GRADE:
            order = capaian.grade_order(line.measure.target_grade) or []
            self.fields["grade"].choices = [("", "—"), *((g, g) for g in order)]
            self.fields["grade"].widget.attrs["class"] = "form-select form-select-sm"
            del self.fields["value"]
        else:
            del self.fields["grade"]

    @property
    def text_fields(self):
        """The explanation, obstacles and follow-up fields, bound, for the template."""
        return [self["explanation"], self["obstacles"], self["follow_up"]]

    def clean_row(self):
        if self.cleaned_data["row"] != self.line.row.pk:
            raise ValidationError(
                _("Formulir ini sudah usang (susunan indikator berubah). Muat ulang halaman.")
            )
        return self.cleaned_data["row"]

    def clean_value(self):
        text = self.cleaned_data.get("value", "").strip()
        return parse_number(text) if text else None

    def entry(self) -> Entry:
        data = self.cleaned_data
        return Entry(
            row=self.line.row,
            expected_lock_version=data.get("lock_version"),
            value=data.get("value"),
            grade=data.get("grade", ""),
            explanation=data["explanation"].strip(),
            obstacles=data["obstacles"].strip(),
            follow_up=data["follow_up"].strip(),
            new_files=self.chosen_files(),
            remove_evidence=list(data.get("remove_evidence") or []),
        )


class BaseQuarterFormSet(forms.BaseFormSet):
    """Exactly one form per indicator line, in the order of the PK's lampiran."""

    def __init__(self, *args, lines, **kwargs):
        self.lines = lines
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        return len(self.lines)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "line": self.lines[index]}

    def clean(self):
        if self.is_bound and self.management_form.cleaned_data.get("TOTAL_FORMS") != len(
            self.lines
        ):
            raise ValidationError(
                _("Formulir ini sudah usang (jumlah indikator berubah). Muat ulang halaman.")
            )


QuarterFormSet = forms.formset_factory(
    RealisationForm, formset=BaseQuarterFormSet, extra=0, can_delete=False
)


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Catatan untuk operator"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": gettext_lazy("Tuliskan apa yang harus diperbaiki.")},
    )
