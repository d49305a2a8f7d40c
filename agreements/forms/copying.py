"""Copying forward onto an existing draft: which PK to copy from and, from the parent unit's PK,
which indicator rows to take."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.forms.locking import LockVersionField


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
