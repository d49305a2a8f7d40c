"""Importing a lampiran through the pages (agreements.importing does the reading): the upload,
the column mapping of an office's own spreadsheet or Word file with the corrections typed in
the preview, and the confirmation. Between steps the stored upload is named by its key and the
corrections travel in a hidden field (encode_fixes / decode_fixes)."""

import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.forms.locking import LockVersionField
from agreements.importing.columns import ROLES
from agreements.spreadsheet.template import MAX_FILE_BYTES

IMPORT_KEY = re.compile(r"^imports/[0-9a-f]{32}\.(xlsx|csv|docx)$")


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
