from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisations.access import administered_units, is_unit_administrator
from organisations.forms import UnitUserForm
from organisations.models import Assignment, Membership, Unit
from organisations.signatories import VacantPosition, signatories_for


@require_GET
def unit_detail(request, code):
    unit = get_object_or_404(
        Unit.objects.visible_to(request.user).select_related("parent", "province", "satker"),
        code=code,
    )
    today = timezone.localdate()
    positions = unit.positions.prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.active_on(today).select_related("official"),
            to_attr="current_assignments",
        )
    )
    try:
        pair, vacancy = signatories_for(unit, today), None
    except VacantPosition as exc:
        pair, vacancy = None, str(exc)
    return render(
        request,
        "organisations/unit_detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": unit.children.order_by("order", "code"),
            "positions": positions,
            "pair": pair,
            "vacancy": vacancy,
        },
    )


@require_http_methods(["GET", "POST"])
def unit_users(request):
    """The page where an administrator of a unit manages the users of their office."""
    if not is_unit_administrator(request.user):
        raise PermissionDenied(_("Halaman ini hanya untuk administrator unit."))
    units = administered_units(request.user).order_by("path")
    form = UnitUserForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
        messages.success(request, _("Pengguna %(name)s ditambahkan.") % {"name": user})
        return redirect("organisations:unit_users")
    memberships = (
        Membership.objects.filter(unit__in=units)
        .select_related("user", "unit", "official")
        .order_by("unit__path", "user__username")
    )
    return render(
        request,
        "organisations/unit_users.html",
        {"form": form, "memberships": memberships[:500]},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_POST
def membership_toggle(request, pk):
    membership = get_object_or_404(
        Membership.objects.filter(unit__in=administered_units(request.user)), pk=pk
    )
    if membership.user_id == request.user.pk:
        messages.error(request, _("Anda tidak dapat menonaktifkan keanggotaan Anda sendiri."))
        return redirect("organisations:unit_users")
    membership.is_active = not membership.is_active
    membership.save(update_fields=["is_active"])
    messages.success(
        request,
        _("Keanggotaan %(m)s sekarang %(state)s.")
        % {"m": membership, "state": _("aktif") if membership.is_active else _("nonaktif")},
    )
    return redirect("organisations:unit_users")
