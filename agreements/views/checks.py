"""The cascade checks on the site: the report of a PK (on demand) and accepting a warning."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from agreements.checks import Severity, report_for_page
from agreements.models import Agreement, CheckAcceptance
from agreements.permissions import edit_refusal


class AcceptWarningForm(forms.Form):
    check_name = forms.CharField(max_length=40, widget=forms.HiddenInput)
    row_key = forms.CharField(max_length=600, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Alasan menerima peringatan ini"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"min_length": gettext_lazy("Tuliskan alasan minimal 10 karakter.")},
    )


@require_GET
def check_report(request, pk):
    """The check list of a PK; `?ulang=1` runs every check again instead of the cached report."""
    agreement = get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related("unit"), pk=pk
    )
    report = report_for_page(agreement, fresh=request.GET.get("ulang") == "1")
    template = "checks/_report.html" if request.htmx else "checks/report_page.html"
    return render(
        request,
        template,
        {
            "agreement": agreement,
            "report": report,
            "can_accept": not edit_refusal(request.user, agreement),
        },
    )


@require_POST
def accept_warning(request, pk):
    agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=pk)
    refusal = edit_refusal(request.user, agreement)
    if refusal:
        raise PermissionDenied(refusal)
    form = AcceptWarningForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("agreements:checks", pk=agreement.pk)
    data = form.cleaned_data
    finding = next(
        (
            f
            for f in report_for_page(agreement, fresh=True).findings
            if f.check == data["check_name"] and f.row_key == data["row_key"]
        ),
        None,
    )
    if finding is None or finding.severity != Severity.WARNING:
        messages.error(request, _("Hanya peringatan yang masih berlaku yang dapat diterima."))
        return redirect("agreements:checks", pk=agreement.pk)
    try:
        with transaction.atomic():
            CheckAcceptance.objects.create(
                agreement=agreement,
                check_name=finding.check,
                row_key=finding.row_key,
                message=finding.message,
                reason=data["reason"],
                accepted_by=request.user,
            )
    except IntegrityError:
        messages.info(request, _("Peringatan ini sudah diterima sebelumnya."))
    else:
        messages.success(request, _("Peringatan diterima dengan alasan yang dicatat."))
    return redirect("agreements:checks", pk=agreement.pk)
