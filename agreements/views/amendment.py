"""Starting a PK Perubahan from a signed PK."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from agreements.drafting import DraftingError, start_amendment
from agreements.models import AmendmentReason
from agreements.permissions import drafting_refusal
from agreements.views.common import forbidden, visible_agreement


class AmendmentForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Alasan perubahan"), choices=AmendmentReason.choices
    )
    note = forms.CharField(
        label=gettext_lazy("Keterangan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy(
            "Misalnya: Sekretaris diganti sejak 1 Juli; anggaran kegiatan X berubah."
        ),
    )
    day = forms.DateField(
        label=gettext_lazy("Tanggal perubahan"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


@require_http_methods(["GET", "POST"])
def agreement_amend(request, pk):
    agreement = visible_agreement(request, pk)
    refusal = drafting_refusal(request.user, agreement.unit)
    if refusal:
        return forbidden(request, refusal)
    form = AmendmentForm(request.POST or None, initial={"day": timezone.localdate()})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    amendment = start_amendment(agreement, request.user, data["reason"],
                                                data["note"], data["day"])  # fmt: skip
            except DraftingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("PK Perubahan (versi %(v)s) dibuat sebagai draf; PK versi %(old)s tetap "
                      "berlaku sampai perubahan ditandatangani.")
                    % {"v": amendment.version, "old": agreement.version},
                )  # fmt: skip
                return redirect(amendment)
    return render(
        request, "agreements/amend.html", {"agreement": agreement, "form": form}, status=status
    )
