"""Electronic signing of a PK: the one function that signs, `sign_agreement`.

Who may sign, in which order and when is in rules.py (`refusal`); the words and QR code of
the visible stamp in stamp.py; what the PK page shows in panel.py. Their public names are
importable from here too. Besides those rules:
- the signer confirms with their PK Portal password and a one-time code; the key itself opens
  only with the official's own signing secret (PKCS#12, set at enrolment, never stored) or,
  with BSrE, their NIK and passphrase: nobody else can sign for them (docs/signing.md);
- wrong signing secrets are limited per official (SIGNING_SECRET_FAILURE_LIMIT in
  SIGNING_SECRET_COOLOFF seconds, counted in the shared cache);
- each signature is an incremental update of the same PDF, so the first stays valid;
- after the last signature the document is complete and the PK becomes Ditandatangani.
"""

import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device
from pyhanko.pdf_utils.reader import PdfFileReader

from agreements.documents import LENGKAP, render_pdf
from agreements.models import Agreement, Party, Signature, SignatureMethod, SignedDocument
from agreements.signing.appearance import draw_texts
from agreements.signing.panel import PartyState, SigningState, panel_context, signing_state
from agreements.signing.placement import ANCHORS, LAMPIRAN_ANCHORS, BoxNotFound, find_box
from agreements.signing.rules import (
    PrintedParty,
    current_document,
    next_party,
    parties_of,
    printed_party,
    refusal,
    signatory_membership,
    signature_for,
    signed_parties,
)
from agreements.signing.signers import SignerError, SignerIdentity, SignerRejected, get_signer
from agreements.signing.stamp import (
    STAMP_LINE_LENGTH,
    TIME_ZONE_NAMES,
    lampiran_reference_text,
    local_time,
    stamp_text,
    unit_time_zone,
    verification_url,
)
from agreements.workflow import WorkflowRefused, perform
from organisations.limits import attempts, count_attempt, reset

__all__ = [
    "FIELD_NAMES",
    "STAMP_LINE_LENGTH",
    "TIME_ZONE_NAMES",
    "EmbeddedSignature",
    "PartyState",
    "PrintedParty",
    "SigningRefused",
    "SigningState",
    "current_document",
    "embedded_signatures",
    "local_time",
    "next_party",
    "page_count",
    "panel_context",
    "parties_of",
    "printed_party",
    "refusal",
    "sign_agreement",
    "signatory_membership",
    "signed_parties",
    "signing_state",
    "stamp_text",
    "unit_time_zone",
    "verification_url",
]

logger = logging.getLogger(__name__)

FIELD_NAMES = {Party.PIHAK_PERTAMA: "TTE_PihakPertama", Party.PIHAK_KEDUA: "TTE_PihakKedua"}


class SigningRefused(Exception):  # noqa: N818 - reads as what happened
    """The signature was not made; the message says why, in Indonesian, for the signer.
    `field` names the form field that was wrong (the page puts the error and the focus there),
    or is None when no single field is to blame."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class EmbeddedSignature:
    field_name: str
    certificate_subject: str


def embedded_signatures(pdf: bytes) -> list[EmbeddedSignature]:
    """The signatures a PDF carries, in file order (each with its certificate's subject)."""

    reader = PdfFileReader(BytesIO(pdf), strict=False)
    return [
        EmbeddedSignature(sig.field_name, sig.signer_cert.subject.human_friendly)
        for sig in reader.embedded_regular_signatures
    ]


def page_count(pdf: bytes) -> int:

    return int(PdfFileReader(BytesIO(pdf), strict=False).root["/Pages"]["/Count"])


def _read_file(document: SignedDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def with_lampiran_references(pdf: bytes, agreement: Agreement, url: str) -> bytes:
    """`pdf` with each party's signature box under the lampiran pointing to their electronic
    signature on the statement page (stamp.lampiran_reference_text). Drawn once, before the
    first signature: a later change to a page's content would break pyHanko's verdict on an
    earlier signature. A PK whose document has no lampiran box is left as it is."""
    boxes = []
    for party in parties_of(agreement):
        try:
            placement = find_box(pdf, LAMPIRAN_ANCHORS[party])
        except BoxNotFound:
            continue
        name = printed_party(agreement, party).name
        boxes.append((placement.page_index, placement.box, lampiran_reference_text(name, url)))
    return draw_texts(pdf, boxes) if boxes else pdf


def _check_password(user, password: str, request=None) -> None:
    """The signer's PK Portal password. From a page (`request`), through authenticate() so
    that django-axes counts a wrong one and locks the account as the login form does."""
    if request is not None:
        checked = bool(password) and authenticate(
            request, username=user.get_username(), password=password
        )
        ok = bool(checked) and checked.pk == user.pk
    else:
        ok = bool(password) and user.check_password(password)
    if not ok:
        raise SigningRefused(
            _("Sandi yang Anda masukkan salah. Tanda tangan tidak dibuat."), field="password"
        )


def second_factor_refusal(user) -> str | None:
    """Why `user` may not sign electronically yet for want of a one-time code (None: may).

    With SIGNING_REQUIRES_OTP (the default) a signatory needs a confirmed TOTP device and must
    have given one of its codes in this session: the signing page asks it once, so a Ketua who
    signs twenty PKs one morning types it once (django-otp's OTPMiddleware sets is_verified)."""
    if not settings.SIGNING_REQUIRES_OTP:
        return None
    if not user_has_device(user, confirmed=True):
        return _(
            "Pasang kode sekali pakai (aplikasi autentikator) di akun Anda terlebih dahulu: "
            "tanda tangan elektronik memintanya."
        )
    is_verified = getattr(user, "is_verified", None)
    if not (callable(is_verified) and is_verified()):
        return _("Masukkan kode sekali pakai dari aplikasi autentikator Anda.")
    return None


def sign_agreement(
    agreement: Agreement,
    party: str,
    user,
    password: str,
    *,
    nik: str = "",
    passphrase: str = "",
    secret: str = "",
    base_url: str = "",
    request=None,
) -> Signature:
    """Sign `agreement` electronically as `party` on behalf of `user`; raises SigningRefused.

    `password` is the user's PK Portal password, asked again to confirm (through
    authenticate() when `request` is given, so django-axes counts it); `secret` the official's
    signing secret (PKCS#12 backend); `nik` and `passphrase` the BSrE credentials (BSrE
    backend only); `base_url` the public origin for the QR code when
    SIGNING_VERIFICATION_BASE_URL is not set.

    Side effects, in one transaction that locks the PK and its document row (so two clicks
    cannot both sign): the first signature renders the PDF, signs it and creates the
    SignedDocument; a later one signs the stored file again (incrementally) and stores the
    result as a new file, deleting the previous one after the commit. Creates the Signature
    row. After the last party: the document is complete and the PK becomes Ditandatangani
    (a workflow history row by `user`).
    """
    reason = refusal(agreement, party, user)
    if reason:
        raise SigningRefused(reason)
    _check_password(user, password, request)
    reason = second_factor_refusal(user)
    if reason:
        raise SigningRefused(reason)
    if current_document(agreement) is None:
        render_pdf(agreement, LENGKAP)  # render before taking the locks (it may take a second)
    signer = get_signer()

    with transaction.atomic():
        # Lock the PK row only (the unit's parent is an outer join PostgreSQL cannot lock).
        locked = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("unit", "unit__parent")
            .get(pk=agreement.pk)
        )
        document = current_document(locked, for_update=True)
        reason = refusal(locked, party, user, document)
        if reason:
            raise SigningRefused(reason)
        membership = signatory_membership(locked, party, user)
        printed = printed_party(locked, party)
        if document is None:
            base_pdf = render_pdf(locked, LENGKAP)
            document = SignedDocument(
                agreement=locked,
                revision=locked.revision,
                method=SignatureMethod.ELECTRONIC,
                created_by=user,
            )
            base_pdf = with_lampiran_references(
                base_pdf, locked, verification_url(document, base_url)
            )
            previous_name = None
        else:
            base_pdf = _read_file(document)
            if hashlib.sha256(base_pdf).hexdigest() != document.sha256:
                logger.error("signed document %s does not match its SHA-256", document.pk)
                raise SigningRefused(
                    _("Berkas bertanda tangan yang tersimpan tidak utuh. Hubungi administrator.")
                )
            previous_name = document.file.name
        identity = SignerIdentity(
            official_id=membership.official_id,
            name=printed.name,
            position=printed.position,
            nip=printed.nip,
            nik=nik.strip(),
            passphrase=passphrase,
            secret=secret,
        )
        limit_key = str(membership.official_id)
        if attempts("signing-secret", limit_key) >= settings.SIGNING_SECRET_FAILURE_LIMIT:
            raise SigningRefused(
                _(
                    "Terlalu banyak rahasia penandatanganan yang salah untuk pejabat ini. Coba "
                    "lagi %(minutes)d menit lagi."
                )
                % {"minutes": settings.SIGNING_SECRET_COOLOFF // 60}
            )
        try:
            placement = find_box(base_pdf, ANCHORS[party])
        except BoxNotFound as exc:
            raise SigningRefused(
                _("Dokumen PK tidak memiliki kotak tanda tangan %(party)s.")
                % {"party": printed.label}
            ) from exc
        now = timezone.now()
        try:
            signed_pdf = signer.sign(
                base_pdf,
                field_name=FIELD_NAMES[party],
                page_index=placement.page_index,
                box=placement.box,
                stamp_text=stamp_text(locked, identity, now),
                qr_url=verification_url(document, base_url),
                signer=identity,
            )
        except SignerRejected as exc:
            if signer.needs_secret and secret:
                count_attempt("signing-secret", limit_key, settings.SIGNING_SECRET_COOLOFF)
            raise SigningRefused(str(exc)) from exc
        except SignerError as exc:
            raise SigningRefused(str(exc)) from exc
        if signer.needs_secret:
            reset("signing-secret", limit_key)
        # The signer must have added exactly one signature, and after an earlier one only by
        # appending to the file: rewriting it would break the earlier signature.
        signatures = embedded_signatures(signed_pdf)
        earlier = len(signed_parties(document))
        if len(signatures) != earlier + 1 or (earlier and not signed_pdf.startswith(base_pdf)):
            logger.error("signer returned an unusable file for PK %s (%s)", locked.pk, party)
            raise SigningRefused(_("Berkas yang kembali dari penanda tangan tidak sah."))

        document.file.save(
            f"PK-{locked.pk}-r{locked.revision}-{party}.pdf", ContentFile(signed_pdf), save=False
        )
        try:
            document.sha256 = hashlib.sha256(signed_pdf).hexdigest()
            document.page_count = page_count(signed_pdf)
            document.is_complete = (signed_parties(document) | {party}) == set(parties_of(locked))
            document.save()
            signature = signature_for(
                document,
                printed,
                user,
                now,
                certificate_subject=signatures[-1].certificate_subject[:500],
            )
            if document.is_complete:
                perform(locked, "sign", user)
        except WorkflowRefused as exc:
            document.file.delete(save=False)
            raise SigningRefused(str(exc)) from exc
        except BaseException:
            document.file.delete(save=False)
            raise
        if previous_name:
            storage = document.file.storage
            transaction.on_commit(lambda: storage.delete(previous_name))
    agreement.refresh_from_db()
    return signature
