"""The list of PKs (with the form that starts one), a PK's page and its statement data."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.checks import report_for_page
from agreements.drafting import (
    AMENDABLE_STATUSES,
    DraftingError,
    copy_forward,
    delete_draft,
    deletion_refusal,
    start_agreement,
)
from agreements.forms.creating import AgreementCreateForm, source_choices
from agreements.forms.statement import StatementForm
from agreements.history import timeline
from agreements.models import Agreement, LockedAgreement, StaleAgreement
from agreements.page_cache import page_agreement, page_response
from agreements.permissions import can_edit_agreement, drafting_refusal, drafting_units
from agreements.planning import planning_year
from agreements.signing.service import panel_context
from agreements.views.common import (
    editable_agreement,
    forbidden,
    refusal_message,
    visible_agreement,
)
from agreements.views.display import lampiran_html
from agreements.workflow import available_actions, submit_refusal


def _create_form(request, data=None):
    # The home page's "Buat PK" task links here with the unit and year to start.
    initial = {"year": planning_year(timezone.localdate())}
    for name in ("unit", "year"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    return AgreementCreateForm(
        data, user=request.user, units=drafting_units(request.user), initial=initial
    )


def _list_page(request, form, status=200):
    query = request.GET.get("cari", "")[:200]
    agreements = (
        Agreement.objects.visible_to(request.user)
        .matching(query)
        .select_related("unit")
        .annotate(indicator_total=Count("programmes__kegiatan__sasaran__indicators"))
        .order_by("-year", "unit__path", "-version")
    )
    page = Paginator(agreements, 50).get_page(request.GET.get("halaman"))
    return render(
        request,
        "agreements/list.html",
        {
            "page": page,
            "query": query,
            "form": form if form.fields["unit"].queryset.exists() else None,
        },
        status=status,
    )


@require_GET
def agreement_list(request):
    return _list_page(request, _create_form(request))


@require_POST
def agreement_create(request):
    """Start a PK, and copy a source's lampiran into it when one was chosen: all or nothing."""
    form = _create_form(request, request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    unit, year, source = (form.cleaned_data[k] for k in ("unit", "year", "source"))
    refusal = drafting_refusal(request.user, unit)
    if refusal:
        return forbidden(request, refusal)
    try:
        with transaction.atomic():
            agreement = start_agreement(unit, year, request.user)
            if source is not None:
                copy_forward(source, agreement, expected_lock_version=agreement.lock_version)
    except DraftingError as exc:
        form.add_error(None, str(exc))
        return _list_page(request, form, status=400)
    messages.success(request, _("%(pk)s dibuat sebagai draf.") % {"pk": agreement})
    return redirect(agreement)


@require_GET
def source_options(request):
    """The <option>s of the copy-source select for the unit and year being typed (htmx)."""
    form = _create_form(request, request.GET)
    return render(
        request,
        "agreements/_source_options.html",
        {"choices": source_choices(form.sources), "selected": request.GET.get("source", "")},
    )


@require_GET
def agreement_detail(request, pk):
    """The PK page. Rendered once per version of what it shows and per viewer, and served
    from the shared cache after that (agreements.page_cache), with the request's own CSRF
    token and messages. On a miss
    the check report and the user's edit right are computed once and handed to every rule
    that needs them; the lampiran tables come from their own cache (lampiran_html)."""
    # Only the unit: a cached body needs no more (a miss reads the parent and province).
    agreement = page_agreement(request, pk)

    def body_context() -> dict:
        user = request.user
        report = report_for_page(agreement)
        can_edit = can_edit_agreement(user, agreement)
        return {
            "agreement": agreement,
            "lampiran_tables": lampiran_html(agreement),
            "can_edit": can_edit,
            "report": report,
            "can_accept": can_edit,
            "actions": available_actions(agreement, user, report=report),
            "submit_refusal": submit_refusal(agreement, user, report=report, can_edit=can_edit),
            "history": timeline(agreement),
            "can_delete": deletion_refusal(user, agreement) is None,
            "can_amend": agreement.status in AMENDABLE_STATUSES
            and drafting_refusal(user, agreement.unit) is None,
            **panel_context(agreement, user),
        }

    return page_response(request, agreement, body_context)


@require_http_methods(["GET", "POST"])
@editable_agreement
def agreement_edit(request, agreement):
    """The statement data (place, date, references). A concurrent save is a 409, input kept."""
    form = StatementForm(request.POST or None, instance=agreement)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                form.instance.save_with_lock(form.cleaned_data["lock_version"])
            except (StaleAgreement, LockedAgreement) as exc:
                form.add_error(None, refusal_message(exc))
                status = 409
            else:
                messages.success(request, _("Data pernyataan PK disimpan."))
                return redirect(agreement)
    return render(
        request, "agreements/edit.html", {"agreement": agreement, "form": form}, status=status
    )


@require_POST
def agreement_delete(request, pk):
    """Delete a mistaken draft (never submitted), after the page asked to confirm."""
    agreement = visible_agreement(request, pk)
    name = str(agreement)
    try:
        delete_draft(agreement, request.user)
    except DraftingError as exc:
        return forbidden(request, str(exc))
    messages.success(request, _("Draf %(pk)s dihapus.") % {"pk": name})
    return redirect("agreements:list")
