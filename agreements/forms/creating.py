"""Starting a PK: the unit, the year, and optionally the PK whose lampiran the new draft begins
with (agreements.drafting.copy_sources offers them, htmx asks again when the unit or year
changes)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.drafting import copy_sources

MIN_YEAR, MAX_YEAR = 2020, 2100


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if MIN_YEAR <= year <= MAX_YEAR else None


class AgreementCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=None, empty_label=None)
    # Longer than a year on purpose: "2027.5" or "dua ribu" get the year's own message.
    year = forms.CharField(label=gettext_lazy("Tahun"), max_length=20)
    source = forms.ChoiceField(
        label=gettext_lazy("Salin lampiran dari"), required=False, choices=[]
    )

    def __init__(self, *args, user, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = units
        self.fields["year"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        unit, year = self._chosen_unit_and_year(units)
        self.sources = copy_sources(unit, year, user) if unit and year else []
        self.fields["source"].choices = source_choices(self.sources)
        # The choices depend on the unit and year: htmx asks for them again when those change.
        self.fields["source"].widget.attrs.update(
            {
                "data-hx-get": reverse("agreements:source_options"),
                "data-hx-trigger": "change from:#id_unit, change from:#id_year, "
                "keyup changed delay:400ms from:#id_year",
                "data-hx-include": "#id_unit, #id_year",
                "data-hx-target": "this",
                "data-hx-swap": "innerHTML",
                "data-hx-sync": "this:replace",
            }
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def _chosen_unit_and_year(self, units):
        given = self.data if self.is_bound else self.initial
        raw_unit = getattr(given.get("unit"), "pk", given.get("unit"))
        if str(raw_unit).isdigit():
            unit = units.filter(pk=raw_unit).first()
        else:
            unit = None if self.is_bound else units.first()
        return unit, _year(given.get("year"))

    def clean_year(self):
        year = _year(self.cleaned_data["year"].strip())
        if year is None:
            raise ValidationError(
                _("Tahun PK harus berupa angka tahun antara %(min)d dan %(max)d.")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source")
        cleaned["source"] = None
        if source:
            matching = [s.agreement for s in self.sources if str(s.agreement.pk) == source]
            if not matching:
                self.add_error("source", _("Pilih sumber salinan dari daftar."))
            else:
                cleaned["source"] = matching[0]
        return cleaned


def source_choices(sources) -> list[tuple[str, str]]:
    return [("", _("— Tanpa salinan: mulai dengan lampiran kosong —"))] + [
        (str(s.agreement.pk), s.label) for s in sources
    ]
