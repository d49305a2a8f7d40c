"""Forms of the drafting pages: each turns what users type into domain values in clean_*."""

import json
import re

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.drafting import copy_sources
from agreements.importing.columns import ROLES
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow
from agreements.models import Agreement
from agreements.spreadsheet import MAX_FILE_BYTES, MAX_ROWS, parse_amount
from indicators.targets import parse_target
from organisations.formatting import format_rupiah
from organisations.signatories import position_forms

MIN_YEAR, MAX_YEAR = 2020, 2100
IMPORT_KEY = re.compile(r"^imports/[0-9a-f]{32}\.(xlsx|csv|docx)$")


class LockVersionField(forms.IntegerField):
    """The lock version the page was rendered with, sent back to detect a concurrent save."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=0, **kwargs)


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if MIN_YEAR <= year <= MAX_YEAR else None


# --- starting a PK --------------------------------------------------------------------------
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


# --- the statement data ---------------------------------------------------------------------
class StatementForm(forms.ModelForm):
    lock_version = LockVersionField()

    class Meta:
        model = Agreement
        fields = [
            "pihak_pertama_signature_position",
            "pihak_kedua_signature_position",
            "place",
            "sign_date",
            "renstra_reference",
            "rkt_reference",
            "rka_reference",
        ]  # the DIPA is recorded once per office on the DIPA page (submissions.dipa_sync)
        widgets = {
            "pihak_pertama_signature_position": forms.Textarea(attrs={"rows": 2}),
            "pihak_kedua_signature_position": forms.Textarea(attrs={"rows": 2}),
            "sign_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # The block's own form of each position (long or short, its casing; a second line
        # for an institution line above it), offered with the statement's Jabatan.
        for party in ("pihak_pertama", "pihak_kedua"):
            field = self.fields[f"{party}_signature_position"]
            position = getattr(self.instance, f"{party}_position")
            field.help_text = _(
                "Kosongkan untuk mencetak jabatan pada pernyataan (%(position)s). Baris baru "
                "untuk nama lembaga di atas jabatan."
            ) % {"position": position or "—"}
        if self.instance.is_single_signatory:
            del self.fields["pihak_kedua_signature_position"]
        # What each planning document is, in the words of the drafting rules (DOMAIN.md):
        # operators new to the cycle meet these abbreviations first on this form.
        self.fields["renstra_reference"].help_text = _(
            "Rencana Strategis: sejak 2025 hanya KPU RI yang memilikinya (Renstra KPU "
            "2025–2029). Contoh: Renstra KPU 2025–2029."
        )
        self.fields["rkt_reference"].help_text = _(
            "Rencana Kinerja Tahunan unit ini untuk tahun PK."
        )
        self.fields["rka_reference"].help_text = _(
            "Rencana Kerja dan Anggaran unit ini untuk tahun PK (dasar anggaran di lampiran)."
        )
        self._add_position_form_choices()

    def _add_position_form_choices(self):
        """A select before each party's block position offering the long and the short form
        of the position (clean() writes the chosen one into the field; no script needed)."""
        self.position_forms = {}
        order = []
        for name in list(self.fields):
            party = name.removesuffix("_signature_position")
            if party != name:
                position = getattr(self.instance, f"{party}_position")
                offered = position_forms(getattr(self.instance, f"{party}_official_id"), position)
                if offered:
                    self.position_forms[party] = offered
                    labels = {"long": _("Bentuk panjang"), "short": _("Bentuk singkat")}
                    self.fields[f"{party}_position_form"] = forms.ChoiceField(
                        label=_("Isi jabatan blok tanda tangan dengan"),
                        required=False,
                        choices=[("", _("— Teks yang tertulis di bawah —"))]
                        + [(key, f"{labels[key]}: {text}") for key, text in offered.items()],
                        help_text=_(
                            "Pilihan ini mengisi baris jabatan saat disimpan; setelah itu "
                            "huruf besar/kecilnya dapat diperbaiki dengan mengetik."
                        ),
                    )
                    order.append(f"{party}_position_form")
            order.append(name)
        self.order_fields(order)

    def clean(self):
        cleaned = super().clean()
        for party, offered in self.position_forms.items():
            chosen = offered.get(cleaned.get(f"{party}_position_form") or "")
            typed = cleaned.get(f"{party}_signature_position") or ""
            # The chosen form, unless what was typed is that form in another casing.
            if chosen and typed.casefold() != chosen.casefold():
                cleaned[f"{party}_signature_position"] = chosen
        if self.has_error("lock_version"):
            # A hidden field shows no error of its own: say it where the user looks.
            self.add_error(None, _("Formulir ini tidak lengkap; muat ulang halaman."))
        sign_date, dipa_date = cleaned.get("sign_date"), self.instance.dipa_date
        if sign_date and dipa_date and sign_date < dipa_date:
            self.add_error(
                "sign_date",
                _(
                    "Tanggal penandatanganan (%(sign)s) tidak boleh sebelum tanggal DIPA "
                    "(%(dipa)s): PK disusun setelah DIPA disahkan."
                )
                % {"sign": sign_date.strftime("%d-%m-%Y"), "dipa": dipa_date.strftime("%d-%m-%Y")},
            )
        return cleaned


# --- the lampiran editor --------------------------------------------------------------------
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
            program_kode=self._strip("program_kode"),
            program=self._strip("program"),
            kegiatan_kode=self._strip("kegiatan_kode"),
            kegiatan=self._strip("kegiatan"),
            sasaran=self._strip("sasaran"),
            indikator=self._strip("indikator"),
            target=self.cleaned_data["target"],
        )

    @staticmethod
    def initial_for(row: LampiranRow) -> dict:
        return {
            "program_kode": row.program_kode,
            "program": row.program,
            "kegiatan_kode": row.kegiatan_kode,
            "kegiatan": row.kegiatan,
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
            program_kode=self._strip("program_kode"),
            program=self._strip("program"),
            kegiatan_kode=self._strip("kegiatan_kode"),
            kegiatan=self._strip("kegiatan"),
            anggaran=self.cleaned_data["anggaran"],
        )

    @staticmethod
    def initial_for(row: LampiranRow) -> dict:
        return {
            "program_kode": row.program_kode,
            "program": row.program,
            "kegiatan_kode": row.kegiatan_kode,
            "kegiatan": row.kegiatan,
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


class LockForm(forms.Form):
    lock_version = LockVersionField()


# --- import ---------------------------------------------------------------------------------
class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas lampiran (.xlsx, .csv, atau PK tahun lalu dalam .docx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.docx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if name.endswith((".doc", ".docm", ".xls")):
            raise ValidationError(
                _(
                    "Berkas .doc, .docm atau .xls tidak dapat dibaca. Buka di Word/Excel dan "
                    "simpan sebagai .docx atau .xlsx (tanpa makro), lalu unggah ulang."
                )
            )
        if not name.endswith((".xlsx", ".csv", ".docx")):
            raise ValidationError(_("Unggah berkas .xlsx, .csv atau .docx."))
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(_("Berkas lebih dari 5 MB: lampiran PK tidak sebesar itu."))
        return upload

    @property
    def extension(self) -> str:
        return self.cleaned_data["file"].name.lower().rsplit(".", 1)[-1]


class ImportConfirmForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=60)
    lock_version = LockVersionField()
    # Own spreadsheets and Word files: the confirmed column roles and the typed corrections.
    mapping = forms.CharField(widget=forms.HiddenInput, max_length=2000, required=False)
    fixes = forms.CharField(widget=forms.HiddenInput, max_length=100_000, required=False)
    statement = forms.BooleanField(
        label=gettext_lazy("Salin tempat dan para pihak dari dokumen (yang masih kosong)"),
        required=False,
    )

    def clean_fixes(self):
        return decode_fixes(self.cleaned_data["fixes"])

    def clean_key(self):
        key = self.cleaned_data["key"]
        if not IMPORT_KEY.match(key):
            raise ValidationError(_("Berkas impor tidak dikenal; unggah ulang berkasnya."))
        return key


class ImportMappingForm(forms.Form):
    """The mapping step: one select per column (`role_<n>`), posted with the stored upload's
    key, the corrections typed so far (`fixes`) and new ones (`fix:<sheet>:<row>:<field>`)."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=60)
    fixes = forms.CharField(widget=forms.HiddenInput, max_length=100_000, required=False)

    def __init__(self, *args, width=0, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(width):
            self.fields[f"role_{index}"] = forms.ChoiceField(choices=ROLES)

    def clean_key(self):
        key = self.cleaned_data["key"]
        if not IMPORT_KEY.match(key):
            raise ValidationError(_("Berkas impor tidak dikenal; unggah ulang berkasnya."))
        return key

    def clean_fixes(self):
        fixes = decode_fixes(self.cleaned_data["fixes"])
        for name, value in self.data.items():
            if name.startswith("fix:") and value.strip():
                parts = name[4:].rsplit(":", 2)
                if len(parts) == 3 and parts[1].isdigit() and len(value) <= 2000:
                    fixes[(parts[0], int(parts[1]), parts[2])] = value.strip()
        return fixes

    def mapping(self, width: int) -> str:
        return ",".join(self.cleaned_data[f"role_{index}"] for index in range(width))


def decode_fixes(text: str) -> dict:
    """The corrections as a hidden field carries them: [[sheet, row, field, value], …]."""
    if not text:
        return {}
    try:
        items = json.loads(text)
        return {(str(s), int(r), str(f)): str(v) for s, r, f, v in items}
    except (ValueError, TypeError):
        raise ValidationError(
            _("Perbaikan yang dikirim tidak sah; unggah ulang berkasnya.")
        ) from None


def encode_fixes(fixes: dict) -> str:
    return json.dumps([[s, r, f, v] for (s, r, f), v in fixes.items()]) if fixes else ""


# --- copy forward onto an existing draft ----------------------------------------------------
class CopyForwardForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("Sumber"), choices=[])
    positions = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Baris indikator"), coerce=int, required=False, choices=[]
    )
    lock_version = LockVersionField()

    def __init__(self, *args, sources, parent_rows, parent_unit_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {str(s.agreement.pk): s.agreement for s in sources}
        self.parent_unit_id = parent_unit_id
        self.fields["source"].choices = [(str(s.agreement.pk), s.label) for s in sources]
        self.fields["positions"].choices = [(i, r.indikator) for i, r in enumerate(parent_rows)]

    def clean(self):
        cleaned = super().clean()
        source = self.sources.get(cleaned.get("source") or "")
        cleaned["source"] = source
        cleaned["indicator_positions"] = None
        if source is not None and source.unit_id == self.parent_unit_id:
            positions = set(cleaned.get("positions") or [])
            if not positions:
                self.add_error("positions", _("Pilih sedikitnya satu baris indikator."))
            cleaned["indicator_positions"] = positions
        return cleaned
