"""The lampiran editor: one form per flat row (an indicator row or a budget row, each turning
what is typed into a Target or whole rupiah), and the two formsets of the page, ordered and
deletable, that give back the rows in the order the user arranged them."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow
from agreements.spreadsheet.template import MAX_ROWS
from agreements.spreadsheet.validation import parse_amount
from indicators.targets import parse_target
from organisations.formatting import format_rupiah


class _LampiranRowForm(forms.Form):
    program_kode = forms.CharField(
        label=gettext_lazy("Kode program"), max_length=40, required=False
    )
    program = forms.CharField(label=gettext_lazy("Program"), max_length=300, required=False)
    kegiatan_kode = forms.CharField(
        label=gettext_lazy("Kode kegiatan"), max_length=40, required=False
    )
    kegiatan = forms.CharField(label=gettext_lazy("Kegiatan"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in ("ORDER", "DELETE"):
                field.widget.attrs.setdefault("class", "form-control form-control-sm")
                field.widget.attrs["aria-label"] = field.label
                field.widget.attrs["placeholder"] = field.label

    def full_clean(self):
        super().full_clean()
        if self._errors is None:
            return
        # ORDER and DELETE are the editor's own hidden fields: a bad value there is a page
        # that was tampered with or half loaded, said once for the row, not under a field.
        tampered = [name for name in ("ORDER", "DELETE") if self._errors.pop(name, None)]
        if tampered:
            self.add_error(
                None,
                _("Urutan atau tanda hapus baris ini tidak sah. Muat ulang halaman lalu ulangi."),
            )
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()

    def has_changed(self):
        # The editor numbers ORDER itself: a new row nobody typed in is still empty.
        return any(name not in ("ORDER", "DELETE") for name in self.changed_data)

    def _strip(self, name) -> str:
        return (self.cleaned_data.get(name) or "").strip()

    # The programme and kegiatan a row sits under: the same four fields on both kinds of row.
    PLACE_FIELDS = ("program_kode", "program", "kegiatan_kode", "kegiatan")

    def _place(self) -> dict:
        return {name: self._strip(name) for name in self.PLACE_FIELDS}

    @classmethod
    def _initial_place(cls, row: LampiranRow) -> dict:
        return {name: getattr(row, name) for name in cls.PLACE_FIELDS}


class IndicatorRowForm(_LampiranRowForm):
    sasaran = forms.CharField(
        label=gettext_lazy("Sasaran strategis"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    indikator = forms.CharField(label=gettext_lazy("Indikator kinerja"), max_length=2000)
    target = forms.CharField(label=gettext_lazy("Target"), max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indikator"].widget.attrs["list"] = "indicator-catalogue"
        self.fields["target"].widget.attrs["class"] += " pk-target"
        for name in ("sasaran", "indikator", "target"):
            self.fields[name].error_messages["required"] = _("Wajib diisi.")

    def clean_target(self):
        return parse_target(self.cleaned_data["target"])

    def to_row(self) -> LampiranRow:
        return LampiranRow(
            jenis=INDIKATOR,
            **self._place(),
            sasaran=self._strip("sasaran"),
            indikator=self._strip("indikator"),
            target=self.cleaned_data["target"],
        )

    @classmethod
    def initial_for(cls, row: LampiranRow) -> dict:
        return {
            **cls._initial_place(row),
            "sasaran": row.sasaran,
            "indikator": row.indikator,
            "target": row.target.printed if row.target else "",
        }


class BudgetRowForm(_LampiranRowForm):
    anggaran = forms.CharField(label=gettext_lazy("Anggaran (Rp)"), max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anggaran"].error_messages["required"] = _("Wajib diisi.")
        self.fields["anggaran"].widget.attrs["class"] += " pk-amount"

    def clean_anggaran(self):
        return parse_amount(self.cleaned_data["anggaran"])

    def clean(self):
        cleaned = super().clean()
        if not (self._strip("program") or self._strip("kegiatan")):
            self.add_error("program", _("Sebutkan program atau kegiatan yang dianggarkan."))
        return cleaned

    def to_row(self) -> LampiranRow:
        return LampiranRow(
            jenis=ANGGARAN,
            **self._place(),
            anggaran=self.cleaned_data["anggaran"],
        )

    @classmethod
    def initial_for(cls, row: LampiranRow) -> dict:
        return {
            **cls._initial_place(row),
            "anggaran": format_rupiah(row.anggaran),
        }


class _LampiranFormSet(forms.BaseFormSet):
    ordering_widget = forms.HiddenInput

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = gettext_lazy("Hapus")
        form.fields["DELETE"].widget.attrs.update(
            {"class": "form-check-input", "aria-label": _("Hapus baris ini")}
        )

    def forms_in_order(self) -> list:
        """The forms as the user last arranged them (ORDER), for re-rendering a POST."""
        if not self.is_bound:
            return list(self.forms)

        def position(form):
            value = form["ORDER"].value()
            return int(value) if str(value).isdigit() else MAX_ROWS + 1

        return sorted(self.forms, key=position)

    def rows(self) -> list[LampiranRow]:
        """The rows kept, in the order the user arranged them (call after is_valid())."""
        return [form.to_row() for form in self.ordered_forms]


def _formset(form_class):
    return forms.formset_factory(
        form_class,
        formset=_LampiranFormSet,
        extra=0,
        can_order=True,
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
        absolute_max=MAX_ROWS,
    )


IndicatorFormSet = _formset(IndicatorRowForm)
BudgetFormSet = _formset(BudgetRowForm)
FORMSETS = {"indikator": IndicatorFormSet, "anggaran": BudgetFormSet}


def lampiran_formsets(rows=None, data=None) -> dict:
    """The two formsets of the editor, filled from `rows` (flatten()) or from a POST."""
    if data is not None:
        return {prefix: FORMSETS[prefix](data, prefix=prefix) for prefix in FORMSETS}
    initial = {
        "indikator": [IndicatorRowForm.initial_for(r) for r in rows if r.jenis == INDIKATOR],
        "anggaran": [BudgetRowForm.initial_for(r) for r in rows if r.jenis == ANGGARAN],
    }
    return {prefix: FORMSETS[prefix](initial=initial[prefix], prefix=prefix) for prefix in FORMSETS}
