"""Electronic signing on the web: the signing page, the signed file, and public verification.

`sign` and `signed_download` need a login (LoginRequiredMiddleware) and look the PK up through
`Agreement.objects.visible_to(user)`, so another unit's PK is a 404. `verification` is public
(the QR code on the paper leads there): it finds one signed document by its random code and
shows that PK's signing facts only.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device

from agreements.documents import document_filename
from agreements.models import Agreement, Party, SignedDocument
from agreements.signing.forms import MAX_UPLOAD_BYTES, SignForm, VerificationUploadForm
from agreements.signing.service import (
    SigningRefused,
    sign_agreement,
    signatory_membership,
    signing_state,
    unit_time_zone,
)
from agreements.signing.signers import get_signer, has_key


def _visible_agreement(request, pk) -> Agreement:
    agreements = Agreement.objects.visible_to(request.user).select_related("unit", "unit__parent")
    return get_object_or_404(agreements, pk=pk)


def _needs_enrolment(agreement, state, request) -> bool:
    """Whether the user would sign now but their official has no enrolled key."""
    if not state.can_sign or not state.user_party:
        return False
    membership = signatory_membership(agreement, state.user_party, request.user)
    return membership is not None and not has_key(membership.official_id)


@require_http_methods(["GET", "POST"])
@cache_control(private=True, no_cache=True)
def sign(request, pk):
    """GET: what is signed and the password form; POST: sign as the party whose turn it is."""
    agreement = _visible_agreement(request, pk)
    signer = get_signer()
    state = signing_state(agreement, request.user)
    has_device = user_has_device(request.user, confirmed=True)
    form = SignForm(
        request.POST or None,
        initial={"party": state.user_party},
        needs_credentials=signer.needs_credentials,
        needs_secret=signer.needs_secret,
        otp_user=request.user if has_device and not request.user.is_verified() else None,
    )
    if request.method == "POST" and form.is_valid():
        if form.otp_device is not None:
            # Asked once per session: the Ketua signing twenty PKs types it once.
            otp_login(request, form.otp_device)
            del form.fields["otp_token"]  # not asked again if the page comes back with an error
        data = form.cleaned_data
        try:
            signature = sign_agreement(
                agreement,
                data["party"],
                request.user,
                data["password"],
                nik=data.get("nik", ""),
                passphrase=data.get("passphrase", ""),
                secret=data.get("signing_secret", ""),
                base_url=request.build_absolute_uri("/"),
                request=request,
            )
        except SigningRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            done = {"party": signature.get_party_display(), "next": Party.PIHAK_KEDUA.label}
            if signature.document.is_complete:
                message = _("Tanda tangan elektronik %(party)s tersimpan. PK kini ditandatangani.")
            else:
                message = _("Tanda tangan elektronik %(party)s tersimpan. Menunggu %(next)s.")
            messages.success(request, message % done)
            return redirect(agreement)
        state = signing_state(agreement, request.user)
    return render(
        request,
        "signing/sign.html",
        {
            "agreement": agreement,
            "signing_panel": state,
            "form": form,
            "otp_setup_needed": settings.SIGNING_REQUIRES_OTP and not has_device,
            "enrolment_needed": signer.needs_secret and _needs_enrolment(agreement, state, request),
        },
    )


@require_GET
@cache_control(private=True, no_cache=True)
def signed_download(request, pk, doc_id):
    agreement = _visible_agreement(request, pk)
    document = get_object_or_404(agreement.signed_documents, pk=doc_id)
    stem = document_filename(agreement, "lengkap").removesuffix("-lengkap.pdf")
    suffix = "ditandatangani" if document.is_complete else "sebagian"
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:  # the storage lost it: say so, never a 500
        raise Http404(_("Berkas bertanda tangan tidak ditemukan di penyimpanan.")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{stem}-r{document.revision}-{suffix}.pdf",
        content_type="application/pdf",
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@cache_control(private=True, no_cache=True)
def verification(request, code):
    """Public: the facts of one signed document, and whether an uploaded file is exactly it."""
    document = get_object_or_404(
        SignedDocument.objects.select_related("agreement", "agreement__unit", "created_by"),
        verification_code=code,
    )
    result = None
    form = VerificationUploadForm()
    if request.method == "POST":
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES + 64 * 1024:
            return HttpResponse(_("Berkas terlalu besar; paling besar 20 MB."), status=413)
        form = VerificationUploadForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.sha256()
            result = {"sha256": uploaded, "matches": uploaded == document.sha256}
    zone, _zone_name = unit_time_zone(document.agreement)
    return render(
        request,
        "signing/verification.html",
        {
            "time_zone": zone,
            "document": document,
            "agreement": document.agreement,
            "signatures": document.signatures.select_related("user").order_by("signed_at", "pk"),
            "form": form,
            "result": result,
        },
    )
