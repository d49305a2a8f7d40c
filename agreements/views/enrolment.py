"""Enrolment of a signing key (PKCS#12 backend): the official, logged in with their own
signatory account, opens the single-use link sent to their e-mail of record and sets the
signing secret that encrypts their new key (agreements.signing.enrolment). A signatory asks
for a new link from the signing page; it goes to the address of record, never to the screen."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from agreements.signing.enrolment import (
    EnrolmentRefused,
    enrol,
    enrolment_refusal,
    find_enrolment,
    masked,
    secret_problems,
    send_enrolment_link,
)
from organisations.models import Membership, Role


class EnrolmentForm(forms.Form):
    secret = forms.CharField(
        label=gettext_lazy("Rahasia penandatanganan"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        help_text=gettext_lazy(
            "Paling sedikit 10 karakter, berbeda dari sandi PK Portal. Anda mengetiknya setiap "
            "kali menandatangani. PK Portal tidak menyimpannya dan tidak dapat memulihkannya: "
            "bila lupa, daftarkan kunci baru."
        ),
    )
    secret_again = forms.CharField(
        label=gettext_lazy("Ulangi rahasia penandatanganan"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        secret, again = cleaned.get("secret"), cleaned.get("secret_again")
        if secret and again is not None and secret != again:
            self.add_error("secret_again", _("Kedua isian rahasia tidak sama."))
        for problem in secret_problems(secret or "", self.user) if secret else []:
            self.add_error("secret", problem)
        return cleaned


@never_cache
@require_http_methods(["GET", "POST"])
def key_enrolment(request, token):
    """GET: the form to set the signing secret; POST: create the key."""
    enrolment = find_enrolment(token)
    if enrolment is None:
        return render(request, "signing/enrolment_invalid.html", status=404)
    refusal = enrolment_refusal(enrolment, request.user)
    if refusal:
        return render(request, "signing/enrolment_invalid.html", {"reason": refusal}, status=403)
    form = EnrolmentForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            enrol(enrolment, request.user, form.cleaned_data["secret"])
        except EnrolmentRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _(
                    "Kunci tanda tangan elektronik Anda dibuat. Simpan rahasia penandatanganan "
                    "baik-baik: PK Portal tidak menyimpannya."
                ),
            )
            return redirect("agreements:waiting")
    return render(
        request,
        "signing/enrolment.html",
        {"form": form, "official": enrolment.official},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def request_enrolment_link(request):
    """E-mail a new enrolment link to the e-mail of record of the official this signatory
    account is bound to (the user never sees the link)."""
    memberships = Membership.objects.filter(
        user=request.user, role=Role.SIGNATORY, is_active=True, official__isnull=False
    ).select_related("official")
    membership = memberships.filter(pk=request.POST.get("membership") or 0).first()
    membership = membership or memberships.first()
    if membership is None:
        messages.error(request, _("Hanya akun penandatangan yang dapat mendaftarkan kunci."))
        return redirect("agreements:waiting")
    try:
        send_enrolment_link(membership.official, requested_by=request.user)
    except EnrolmentRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Tautan pendaftaran kunci dikirim ke surel pejabat %(email)s.")
            % {"email": masked(membership.official.email)},
        )
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return redirect(back if back and safe else "agreements:waiting")
