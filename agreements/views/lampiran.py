"""The lampiran editor: the flat rows of the spreadsheet, as two formsets on one page."""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agreements.forms.lampiran import FORMSETS, lampiran_formsets
from agreements.forms.locking import LockForm
from agreements.lampiran import flatten, replace_lampiran
from agreements.models import LockedAgreement, StaleAgreement
from agreements.spreadsheet.template import MAX_ROWS
from agreements.views.common import editable_agreement, refusal_message
from indicators.models import Indicator

ROW_TEMPLATES = {
    "indikator": "agreements/_indicator_row.html",
    "anggaran": "agreements/_budget_row.html",
}
CATALOGUE_LIMIT = 3000


@require_http_methods(["GET", "POST"])
@editable_agreement
def lampiran_edit(request, agreement):
    """Save = replace the whole lampiran with the rows in the order shown (one transaction)."""
    if request.method == "GET":
        formsets = lampiran_formsets(rows=flatten(agreement))
        lock = LockForm(initial={"lock_version": agreement.lock_version})
        return _editor(request, agreement, formsets, lock)

    formsets = lampiran_formsets(data=request.POST)
    lock = LockForm(request.POST)
    if not (lock.is_valid() and all(f.is_valid() for f in formsets.values())):
        return _editor(request, agreement, formsets, lock, status=400)
    rows = formsets["indikator"].rows() + formsets["anggaran"].rows()
    try:
        summary = replace_lampiran(
            agreement,
            rows,
            lock.cleaned_data["lock_version"],
            user=request.user,
            how=_("Diubah di penyunting lampiran"),
        )
    except (StaleAgreement, LockedAgreement) as exc:
        return _editor(request, agreement, formsets, lock, status=409, error=refusal_message(exc))
    messages.success(
        request,
        _("Lampiran disimpan: %(indicators)d indikator dan %(budget)d baris anggaran.")
        % {"indicators": summary.indicators, "budget": summary.budget_lines},
    )
    return redirect(agreement)


def _editor(request, agreement, formsets, lock, status=200, error=""):
    catalogue = Indicator.objects.order_by("text").values_list("text", flat=True)
    return render(
        request,
        "agreements/lampiran_edit.html",
        {
            "agreement": agreement,
            "indicator_formset": formsets["indikator"],
            "budget_formset": formsets["anggaran"],
            "lock": lock,
            "error": error,
            "catalogue": catalogue[:CATALOGUE_LIMIT],
            "budget_totals": agreement.budget_by_programme(),
        },
        status=status,
    )


@require_GET
@editable_agreement
def lampiran_row(request, agreement, kind):
    """One new, empty row for the editor (htmx): the formset's empty form with the next index,
    and the formset's TOTAL_FORMS counted up (swapped out of band)."""
    if kind not in FORMSETS:
        raise Http404
    try:
        index = int(request.GET.get(f"{kind}-TOTAL_FORMS", ""))
    except ValueError:
        index = -1
    if not 0 <= index < MAX_ROWS:
        return HttpResponseBadRequest(
            _("Jumlah baris tidak dapat dibaca atau sudah mencapai batas.")
        )
    formset = FORMSETS[kind](prefix=kind)
    form = formset.empty_form
    form.prefix = formset.add_prefix(index)
    form.fields["ORDER"].initial = index + 1
    return render(
        request,
        "agreements/_new_row.html",
        {
            "form": form,
            "row_template": ROW_TEMPLATES[kind],
            "total_name": f"{kind}-TOTAL_FORMS",
            "total": index + 1,
        },
    )
