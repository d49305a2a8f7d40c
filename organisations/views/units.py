from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organisations import bindings
from organisations.access import administered_units, is_unit_administrator
from organisations.forms import OfficialEmailForm, UnitUserForm
from organisations.models import Assignment, Membership, Role, SignatoryRequest, Unit
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


def _require_unit_administrator(request):
    if not is_unit_administrator(request.user):
        raise PermissionDenied(_("Halaman ini hanya untuk administrator unit."))


def _unit_users_page(request, form=None, email_form=None, status=200):
    units = administered_units(request.user).order_by("path")
    memberships = (
        Membership.objects.filter(unit__in=units)
        .select_related("user", "unit", "official")
        .order_by("unit__path", "user__username")
    )
    requests = SignatoryRequest.objects.filter(unit__in=units).select_related(
        "official", "user", "unit", "decided_by"
    )
    return render(
        request,
        "organisations/unit_users.html",
        {
            "form": form or UnitUserForm(units=units),
            "email_form": email_form or OfficialEmailForm(units=units),
            "memberships": memberships[:500],
            "requests": requests[:50],
            "to_decide": bindings.decidable_by(request.user).exists(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def unit_users(request):
    """The page where an administrator of a unit manages the users of their office. A new
    signatory waits for the superior office's approval (organisations.bindings)."""
    _require_unit_administrator(request)
    units = administered_units(request.user)
    form = UnitUserForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save(requested_by=request.user)
        except bindings.RequestRefused as exc:
            form.add_error(None, str(exc))
        else:
            if form.cleaned_data["role"] == Role.SIGNATORY:
                message = _(
                    "Pengguna %(name)s ditambahkan. Pengikatannya sebagai penandatangan menunggu "
                    "persetujuan administrator unit atasan; pejabat diberi tahu lewat surelnya."
                )
            else:
                message = _("Pengguna %(name)s ditambahkan.")
            messages.success(request, message % {"name": user})
            return redirect("organisations:unit_users")
    return _unit_users_page(request, form=form, status=400 if form.is_bound else 200)


@require_POST
def official_email_request(request):
    """Ask that an official's e-mail of record change (the superior office decides)."""
    _require_unit_administrator(request)
    units = administered_units(request.user)
    form = OfficialEmailForm(request.POST, units=units)
    if form.is_valid():
        official = form.cleaned_data["official"]
        try:
            with transaction.atomic():
                bindings.request_email_change(
                    official=official,
                    unit=form.unit_of(official),
                    new_email=form.cleaned_data["email"],
                    requested_by=request.user,
                )
        except bindings.RequestRefused as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request,
                _("Permintaan ganti surel %(name)s menunggu persetujuan administrator unit atasan.")
                % {"name": official.name},
            )
            return redirect("organisations:unit_users")
    return _unit_users_page(request, email_form=form, status=400)


@require_GET
def signatory_requests(request):
    """The bindings and e-mail changes waiting for this administrator's decision."""
    pending = bindings.decidable_by(request.user)
    if not pending.exists() and not is_unit_administrator(request.user):
        raise PermissionDenied(_("Halaman ini hanya untuk administrator unit."))
    return render(request, "organisations/signatory_requests.html", {"pending": pending[:200]})


@require_POST
def signatory_request_decide(request, pk, action):
    """Approve or reject one request; only someone decidable_by() lists it for."""
    if action not in ("setujui", "tolak"):
        raise Http404
    signatory_request = get_object_or_404(bindings.decidable_by(request.user), pk=pk)
    try:
        if action == "setujui":
            bindings.approve(signatory_request, request.user)
            messages.success(request, _("Permintaan disetujui."))
        else:
            bindings.reject(signatory_request, request.user)
            messages.success(request, _("Permintaan ditolak."))
    except bindings.RequestRefused as exc:
        messages.error(request, str(exc))
    return redirect("organisations:signatory_requests")


@require_POST
def membership_toggle(request, pk):
    membership = get_object_or_404(
        Membership.objects.filter(unit__in=administered_units(request.user)), pk=pk
    )
    if membership.user_id == request.user.pk:
        messages.error(request, _("Anda tidak dapat menonaktifkan keanggotaan Anda sendiri."))
        return redirect("organisations:unit_users")
    if membership.role == Role.SIGNATORY and not membership.is_active:
        # Switching a signatory back on would bind an account to an official without the
        # superior office: that takes a new request.
        messages.error(
            request,
            _(
                "Penandatangan yang nonaktif tidak dapat diaktifkan kembali di sini. Tambahkan "
                "pengguna penandatangan untuk pejabat itu: administrator unit atasan "
                "menyetujuinya."
            ),
        )
        return redirect("organisations:unit_users")
    membership.is_active = not membership.is_active
    membership.save(update_fields=["is_active"])
    messages.success(
        request,
        _("Keanggotaan %(m)s sekarang %(state)s.")
        % {"m": membership, "state": _("aktif") if membership.is_active else _("nonaktif")},
    )
    return redirect("organisations:unit_users")
