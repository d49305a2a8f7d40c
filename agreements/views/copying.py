"""Copy forward onto an existing draft: all of last year's PK, or chosen rows of the parent's."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agreements.drafting import copy_forward, copy_sources
from agreements.forms.copying import CopyForwardForm
from agreements.lampiran import INDIKATOR, flatten
from agreements.models import LockedAgreement, StaleAgreement
from agreements.views.common import editable_agreement, refusal_message


@require_http_methods(["GET", "POST"])
@editable_agreement
def agreement_copy(request, agreement):
    sources = copy_sources(agreement.unit, agreement.year, request.user)
    parent_id = agreement.unit.parent_id
    parent = next((s for s in sources if s.agreement.unit_id == parent_id), None)
    parent_rows = [r for r in flatten(parent.agreement) if r.jenis == INDIKATOR] if parent else []
    form = CopyForwardForm(
        request.POST or None,
        sources=sources,
        parent_rows=parent_rows,
        parent_unit_id=parent_id,
        initial={"lock_version": agreement.lock_version},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                summary = copy_forward(
                    data["source"],
                    agreement,
                    indicator_positions=data["indicator_positions"],
                    expected_lock_version=data["lock_version"],
                    user=request.user,
                )
            except (StaleAgreement, LockedAgreement) as exc:
                form.add_error(None, refusal_message(exc))
                status = 409
            else:
                messages.success(
                    request,
                    _(
                        "Disalin dari %(source)s: %(indicators)d indikator, %(budget)d baris "
                        "anggaran."
                    )
                    % {
                        "source": data["source"],
                        "indicators": summary.indicators,
                        "budget": summary.budget_lines,
                    },  # fmt: skip
                )
                return redirect(agreement)
    return render(
        request,
        "agreements/copy.html",
        {
            "agreement": agreement,
            "form": form,
            "sources": sources,
            "parent": parent,
            "parent_rows": parent_rows,
            "current_indicators": agreement.indicator_count(),
        },
        status=status,
    )
