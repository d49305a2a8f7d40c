"""The statement data of a draft: the printed form of each party's position in the signature
block, the place and date of signing, and the planning documents (Renstra, RKT, RKA) the PK
refers to."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext as _

from agreements.forms.locking import LockVersionField
from agreements.models import Agreement
from organisations.signatories import position_forms


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
