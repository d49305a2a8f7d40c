"""DIPA pages: each office enters its own; KPU's reviewers import many at once."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.planning import planning_year, years_to_offer
from submissions.dipa import (
    MAX_IMPORT_BYTES,
    DipaForm,
    DipaImportForm,
    parse_dipa_file,
    recording_units,
    save_dipas,
    year_refusal,
)
from submissions.models import Dipa
from submissions.services import is_national_reviewer


@require_GET
def dipa_list(request, year=None):
    if year is not None and year_refusal(year):
        messages.error(request, year_refusal(year))
        return redirect("dipa_list")
    today = timezone.localdate()
    year = year or planning_year(today)
    units = list(recording_units(request.user))
    dipas = {d.unit_id: d for d in Dipa.objects.filter(year=year, unit__in=units)}
    with_data = Dipa.objects.filter(unit__in=units).values_list("year", flat=True)
    return render(request, "submissions/dipa_list.html", {
        "year": year, "rows": [(u, dipas.get(u.pk)) for u in units],
        "years": years_to_offer(with_data.distinct(), today, shown=year),
        "can_import": is_national_reviewer(request.user), "import_form": DipaImportForm(),
    })  # fmt: skip


@require_http_methods(["GET", "POST"])
def dipa_edit(request, year, code):
    if year_refusal(year):
        messages.error(request, year_refusal(year))
        return redirect("dipa_list")
    unit = get_object_or_404(recording_units(request.user), code=code)
    instance = Dipa.objects.filter(unit=unit, year=year).first() or Dipa(unit=unit, year=year)
    form = DipaForm(request.POST or None, instance=instance, year=year)
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""  # only a page of this site (the PK page that sent the operator here)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, _("DIPA %(unit)s %(year)s disimpan.") % {"unit": unit, "year": year}
        )
        return redirect(back or reverse("dipa_list_year", args=[year]))
    status = 400 if form.is_bound else 200
    return render(
        request,
        "submissions/dipa_edit.html",
        {"form": form, "unit": unit, "year": year, "next": back},
        status=status,
    )


@require_POST
def dipa_import(request, year):
    if not is_national_reviewer(request.user):
        raise PermissionDenied(_("Impor DIPA untuk banyak unit hanya untuk KPU."))
    if year_refusal(year):
        messages.error(request, year_refusal(year))
        return redirect("dipa_list")
    form = DipaImportForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = form.errors.get("file") or [_("Pilih berkas .csv atau .xlsx.")]
        messages.error(request, errors[0])
        return redirect("dipa_list_year", year=year)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_IMPORT_BYTES:
        messages.error(request, _("Berkas lebih dari 5 MB."))
        return redirect("dipa_list_year", year=year)
    parsed = parse_dipa_file(upload.read(), upload.name, year=year)
    if parsed.problems:
        return render(
            request,
            "submissions/dipa_problems.html",
            {"year": year, "problems": parsed.problems},
            status=400,
        )
    saved = save_dipas(parsed.rows)
    messages.success(request, _("%(n)d DIPA diimpor.") % {"n": saved})
    return redirect("dipa_list_year", year=year)
