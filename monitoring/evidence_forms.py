"""The evidence part of a quarter form line: a new file, the files to remove, and the file
chosen before the form came back with errors (monitoring.pending_evidence).

    EvidenceFields        the fields and their cleaning, mixed into RealisationForm
    form.chosen_files()   [(file, EvidenceInfo)] to store on save: the new upload, else the
                          pending one
    form.keep_chosen()    after a POST that saved nothing: keeps the valid upload pending, so the
                          re-rendered form shows "Berkas dipilih: …" and sends it again
    form.discard_pending() after a save: the pending upload is stored as evidence now
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitoring import pending_evidence
from monitoring.evidence import validate_evidence


class EvidenceFields(forms.Form):
    """Needs `self.line` (the FormLine) and `pending_scope` (a PendingScope, or None when the
    form cannot keep files, e.g. a read-only quarter)."""

    evidence = forms.FileField(
        label=gettext_lazy("Unggah bukti dukung (PDF, JPG, PNG)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control form-control-sm",
                "accept": "application/pdf,image/jpeg,image/png",
            }
        ),  # fmt: skip
    )
    pending_evidence = forms.CharField(required=False, widget=forms.HiddenInput)
    remove_evidence = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Hapus berkas ini"), required=False, coerce=int, choices=(),
        widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, pending_scope=None, **kwargs):
        self.pending_scope = pending_scope
        self.evidence_info = None
        self.pending = None  # the PendingEvidence the re-rendered form shows and sends again
        self._replaced = None  # a pending file a new upload replaces
        super().__init__(*args, **kwargs)
        self.fields["remove_evidence"].choices = [
            (e.pk, e.original_name) for e in self.line.evidence
        ]

    def clean_evidence(self):
        uploaded = self.cleaned_data.get("evidence")
        if uploaded:
            try:
                self.evidence_info = validate_evidence(uploaded)
            except ValidationError as error:
                # Which file: the person may have chosen several on the page.
                raise ValidationError(
                    _("Berkas %(name)s tidak diterima: %(reason)s")
                    % {"name": uploaded.name, "reason": " ".join(error.messages)},
                    code=error.code,
                ) from None
        return uploaded

    def clean_pending_evidence(self):
        reference = self.cleaned_data.get("pending_evidence", "").strip()
        if not reference or self.pending_scope is None:
            return None
        pending = pending_evidence.resolve(reference, self.pending_scope, self.line.row.pk)
        if pending is None:
            raise ValidationError(
                _(
                    "Berkas yang Anda pilih sebelumnya sudah tidak tersedia (lebih dari sehari "
                    "atau sudah tersimpan). Pilih berkasnya lagi."
                ),
                code="pending_gone",
            )
        self.pending = pending
        return pending

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("evidence") and self.pending is not None:
            self._replaced, self.pending = self.pending, None  # the newer choice wins
        return cleaned

    def chosen_files(self) -> list:
        uploaded = self.cleaned_data.get("evidence")
        if uploaded:
            return [(uploaded, self.evidence_info)]
        if self.pending is not None:
            return [pending_evidence.content_of(self.pending)]
        return []

    def keep_chosen(self) -> None:
        """Side effect: stores a valid new upload as pending (and drops the one it replaces)."""
        uploaded = self.files.get(self.add_prefix("evidence")) if self.is_bound else None
        if self.pending_scope is None or not uploaded or self.evidence_info is None:
            return
        if "evidence" in self.errors or self.pending is not None:
            return
        uploaded.seek(0)
        content = self.evidence_info.content or uploaded.read()
        self.pending = pending_evidence.keep(content, self.evidence_info, self.pending_scope,
                                             self.line.row.pk)  # fmt: skip
        pending_evidence.discard(self._replaced)
        self._replaced = None

    def discard_pending(self) -> None:
        """Side effect: deletes the pending uploads this form used or replaced."""
        pending_evidence.discard(self.pending)
        pending_evidence.discard(self._replaced)
        self.pending = self._replaced = None
