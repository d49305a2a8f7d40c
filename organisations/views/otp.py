"""One-time codes (TOTP, django-otp) that any user can set up; signatories then need one to
sign electronically (agreements/signing)."""

import base64
import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.tasks import queue_email

DEVICE_NAME = "Aplikasi autentikator"


def _tell_the_owner(request, what: str) -> None:
    """E-mail the account's owner that its one-time code changed: if it was not them, they
    learn it at once (their password is then known to someone else)."""
    user = request.user
    if not user.email:
        return
    when = date_format(timezone.localtime(), "DATETIME_FORMAT")
    body = _(
        "Kode sekali pakai akun PK Portal %(user)s %(what)s pada %(when)s.\n\n"
        "Jika bukan Anda yang melakukannya, segera ganti sandi Anda dan hubungi administrator."
    ) % {"user": user.get_username(), "what": what, "when": when}
    transaction.on_commit(
        lambda: queue_email(_("Kode sekali pakai PK Portal berubah"), body, [user.email])
    )


def _qr_data_uri(url: str) -> str:

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _safe_next(request) -> str:
    """Where to go back after setting up (the signing page sends people here); "" if unsafe."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def _back_to_settings(request):
    target = _safe_next(request)
    url = reverse("otp_settings")
    return redirect(f"{url}?{urlencode({'next': target})}" if target else url)


@require_GET
@never_cache
def otp_settings(request):
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    pending = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    context = {"confirmed": confirmed, "pending": pending, "next": _safe_next(request)}
    if pending:
        context["qr"] = _qr_data_uri(pending.config_url)
        context["secret"] = base64.b32encode(pending.bin_key).decode()
    return render(request, "organisations/otp.html", context)


def _has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# Someone who learnt a signatory's password must not be able to swap in their own
# authenticator: while a device is active, only its code (or a session it already verified)
# changes anything. A lost phone: the administrator deletes the device in the admin.
_ACTIVE = gettext_lazy(
    "Kode sekali pakai sudah aktif. Untuk memasang ponsel lain, nonaktifkan dahulu dengan sandi "
    "dan kode dari ponsel lama. Ponsel hilang? Minta administrator menghapus perangkat Anda."
)


@require_POST
def otp_start(request):
    if _has_confirmed_device(request.user):
        messages.error(request, _ACTIVE)
        return redirect("otp_settings")
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    return _back_to_settings(request)


@require_POST
def otp_confirm(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    token = request.POST.get("token", "").replace(" ", "")
    if _has_confirmed_device(request.user):
        messages.error(request, _ACTIVE)
        return redirect("otp_settings")
    if device is None:
        messages.error(request, _("Mulai pemasangan kode sekali pakai terlebih dahulu."))
    elif device.verify_token(token):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # The code just typed proves the second factor for this session, as at signing.
        otp_login(request, device)
        _tell_the_owner(request, _("diaktifkan"))
        messages.success(
            request, _("Kode sekali pakai aktif. Tanda tangan elektronik akan memintanya.")
        )
        target = _safe_next(request)
        if target:
            return redirect(target)
    else:
        messages.error(request, _("Kode tidak cocok. Periksa jam ponsel Anda lalu coba lagi."))
    return _back_to_settings(request)


@require_POST
def otp_remove(request):
    """Needs the password and, unless this session already gave one, a current code."""
    password = request.POST.get("password", "")
    # Through authenticate(), so django-axes counts a wrong password and locks the account.
    checked = password and authenticate(
        request, username=request.user.get_username(), password=password
    )
    if not checked or checked.pk != request.user.pk:
        messages.error(request, _("Sandi salah: kode sekali pakai tidak dinonaktifkan."))
        return redirect("otp_settings")
    if not request.user.is_verified():
        token = request.POST.get("token", "").replace(" ", "")
        if not token or match_token(request.user, token) is None:
            messages.error(
                request,
                _("Kode sekali pakai salah atau kosong: kode tidak dinonaktifkan."),
            )
            return redirect("otp_settings")
    TOTPDevice.objects.filter(user=request.user).delete()
    _tell_the_owner(request, _("dinonaktifkan"))
    messages.success(request, _("Kode sekali pakai dinonaktifkan."))
    return redirect("otp_settings")
