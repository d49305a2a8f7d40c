"""The signing form (password again, and BSrE's NIK and passphrase) and the verification upload."""

import hashlib
import re

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from agreements.models import Party

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class SignForm(forms.Form):
    party = forms.ChoiceField(choices=Party.choices, widget=forms.HiddenInput)
    password = forms.CharField(
        label=_("Sandi PK Portal Anda"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        help_text=_("Dimasukkan lagi untuk memastikan bahwa Anda sendiri yang menandatangani."),
    )

    def __init__(self, *args, needs_credentials=False, needs_secret=False, otp_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_secret:
            # The key opens only with it: the portal keeps no copy (docs/signing.md).
            self.fields["signing_secret"] = forms.CharField(
                label=_("Rahasia penandatanganan"),
                strip=False,
                max_length=200,
                widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
                help_text=_(
                    "Yang Anda tetapkan saat mendaftarkan kunci tanda tangan. PK Portal tidak "
                    "menyimpannya; tanpa rahasia ini tidak seorang pun dapat menandatangani "
                    "atas nama Anda."
                ),
            )
        # A signatory not yet verified in this session gives a one-time code too
        # (organisations/views/otp.py); the view then marks the session as verified.
        self.otp_user = otp_user
        self.otp_device = None
        if self.is_bound:  # after an error the page puts the focus on the field that was wrong
            self.fields["password"].widget.attrs.pop("autofocus", None)
        if otp_user is not None:
            self.fields["otp_token"] = forms.CharField(
                label=_("Kode sekali pakai"),
                max_length=10,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
                ),
                help_text=_("Enam angka dari aplikasi autentikator Anda."),
            )
        if needs_credentials:
            self.fields["nik"] = forms.CharField(
                label=_("NIK (nomor induk kependudukan)"),
                max_length=24,  # 16 digits, perhaps typed in groups with spaces
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
            self.fields["passphrase"] = forms.CharField(
                label=_("Passphrase sertifikat elektronik BSrE"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
            )

    def clean_otp_token(self):

        token = self.cleaned_data["otp_token"].replace(" ", "")
        self.otp_device = match_token(self.otp_user, token)
        if self.otp_device is None:
            raise forms.ValidationError(_("Kode sekali pakai salah atau sudah kedaluwarsa."))
        return token

    def clean_nik(self):
        nik = re.sub(r"\s+", "", self.cleaned_data["nik"])
        if not re.fullmatch(r"\d{16}", nik):
            raise forms.ValidationError(_("NIK terdiri atas 16 angka."))
        return nik


class VerificationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas PDF yang ingin diperiksa"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("Paling besar 20 MB. Berkas hanya dibaca untuk dihitung sidik SHA-256-nya."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size)s); paling besar 20 MB.")
                % {"size": filesizeformat(upload.size)}
            )
        return upload

    def sha256(self) -> str:
        digest = hashlib.sha256()
        for chunk in self.cleaned_data["file"].chunks():
            digest.update(chunk)
        return digest.hexdigest()
