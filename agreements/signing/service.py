"""Electronic signing of a PK: who may sign, in which order, and the one function that signs.

Rules:
- only an approved PK (status Disetujui) is signed, one electronic document per revision;
- Pihak Pertama signs first, then Pihak Kedua (a single-signatory PK: Pihak Pertama only);
- a party is signed for by a user with an active signatory membership whose official is the
  party's official as the PK recorded it (`pihak_*_official`); where the PK recorded none, by
  the signatory of the PK's unit (Pihak Pertama) or of its parent unit (Pihak Kedua);
- the signer confirms with their PK Portal password (and, with BSrE, their NIK and passphrase);
- each signature is an incremental update of the same PDF, so the first stays valid;
- after the last signature the document is complete and the PK becomes Ditandatangani.
"""

import hashlib
import logging
import textwrap
from dataclasses import dataclass, field
from io import BytesIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.documents import LENGKAP, render_pdf
from agreements.models import (
    Agreement,
    AgreementStatus,
    Party,
    Signature,
    SignatureMethod,
    SignedDocument,
)
from agreements.signing.placement import ANCHORS, BoxNotFound, find_box
from agreements.signing.signers import SignerError, SignerIdentity, get_signer
from agreements.workflow import WorkflowRefused, perform
from organisations.models import Membership, Role

logger = logging.getLogger(__name__)

FIELD_NAMES = {Party.PIHAK_PERTAMA: "TTE_PihakPertama", Party.PIHAK_KEDUA: "TTE_PihakKedua"}
TIME_ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


class SigningRefused(Exception):  # noqa: N818 - reads as what happened
    """The signature was not made; the message says why, in Indonesian, for the signer."""


# --- who signs -------------------------------------------------------------------------------
@dataclass(frozen=True)
class PrintedParty:
    """A party as the PK prints it (and as the signature row keeps it)."""

    party: str
    name: str
    position: str
    nip: str
    official_id: int | None

    @property
    def label(self) -> str:
        return Party(self.party).label


def parties_of(agreement: Agreement) -> list[str]:
    """The parties that sign this PK, in signing order."""
    if agreement.is_single_signatory:
        return [Party.PIHAK_PERTAMA]
    return [Party.PIHAK_PERTAMA, Party.PIHAK_KEDUA]


def printed_party(agreement: Agreement, party: str) -> PrintedParty:
    prefix = "pihak_pertama" if party == Party.PIHAK_PERTAMA else "pihak_kedua"
    return PrintedParty(
        party=party,
        name=getattr(agreement, f"{prefix}_name"),
        position=getattr(agreement, f"{prefix}_position"),
        nip=getattr(agreement, f"{prefix}_nip"),
        official_id=getattr(agreement, f"{prefix}_official_id"),
    )


def signatory_membership(agreement: Agreement, party: str, user) -> Membership | None:
    """The user's signatory membership that makes them `party` of this PK, if any."""
    if not user.is_authenticated or not user.is_active:
        return None
    memberships = Membership.objects.filter(user=user, role=Role.SIGNATORY, is_active=True)
    official_id = printed_party(agreement, party).official_id
    if official_id:
        memberships = memberships.filter(official_id=official_id)
    else:
        unit_id = agreement.unit_id if party == Party.PIHAK_PERTAMA else agreement.unit.parent_id
        if unit_id is None:
            return None
        memberships = memberships.filter(unit_id=unit_id, official__isnull=False)
    return memberships.select_related("official").first()


def current_document(agreement: Agreement, *, for_update=False) -> SignedDocument | None:
    """The electronic document of the PK's current revision, if signing has started."""
    documents = SignedDocument.objects.filter(
        agreement=agreement, revision=agreement.revision, method=SignatureMethod.ELECTRONIC
    )
    if for_update:
        documents = documents.select_for_update()
    return documents.order_by("-created_at", "-pk").first()


def signed_parties(document: SignedDocument | None) -> set[str]:
    if document is None or document.pk is None:
        return set()
    return set(document.signatures.values_list("party", flat=True))


def next_party(agreement: Agreement, document: SignedDocument | None) -> str | None:
    """The party whose signature comes next, None when every party has signed."""
    done = signed_parties(document)
    return next((p for p in parties_of(agreement) if p not in done), None)


def refusal(agreement: Agreement, party: str, user, document=None) -> str | None:
    """Why `user` may not sign `agreement` as `party` now (None when they may).

    `document` is the current electronic document (looked up when not given)."""
    if party not in Party.values:
        return _("Pihak penandatangan tidak dikenal.")
    if party not in parties_of(agreement):
        return _("PK ini hanya ditandatangani oleh Pihak Pertama.")
    if agreement.status != AgreementStatus.APPROVED:
        return _(
            "PK berstatus %(status)s: hanya PK yang telah disetujui yang dapat ditandatangani."
        ) % {"status": agreement.get_status_display()}
    printed = printed_party(agreement, party)
    if signatory_membership(agreement, party, user) is None:
        who = {"party": printed.label, "name": printed.name or _("belum tercatat")}
        return _("Anda bukan %(party)s PK ini (%(name)s) dan tidak dapat menandatanganinya.") % who
    if not printed.name:
        return _("%(party)s PK ini belum tercatat.") % {"party": printed.label}
    document = document if document is not None else current_document(agreement)
    done = signed_parties(document)
    if party in done:
        return _("%(party)s sudah menandatangani PK ini.") % {"party": printed.label}
    expected = next_party(agreement, document)
    if expected != party:
        return _("%(first)s harus menandatangani lebih dahulu.") % {"first": Party(expected).label}
    return None


# --- signing ---------------------------------------------------------------------------------
def unit_time_zone(agreement: Agreement) -> tuple[str, str]:
    """("Asia/Makassar", "WITA"): the PK unit's time zone, in which its dates are written."""
    zone = agreement.unit.time_zone or settings.TIME_ZONE
    return zone, TIME_ZONE_NAMES.get(zone, zone)


def local_time(agreement: Agreement, moment) -> tuple[str, str]:
    """("15 Januari 2026", "10.31 WITA"): the signing time in the unit's own time zone."""
    zone, zone_name = unit_time_zone(agreement)
    local = timezone.localtime(moment, ZoneInfo(zone))
    with translation.override("id"):
        day = date_format(local, "j F Y")
    return day, f"{local:%H.%M} {zone_name}"


STAMP_LINE_LENGTH = 24  # characters: beside the QR code, fills the 55 × 24 mm box at 6 pt


def stamp_text(agreement: Agreement, identity: SignerIdentity, moment) -> str:
    """The words of the visible stamp: who signed, in which position, and when. Short lines
    keep the text legible beside the QR code; the NIP is printed under the box already."""

    def wrapped(text, max_lines):
        return textwrap.wrap(text, STAMP_LINE_LENGTH, max_lines=max_lines, placeholder=" …")

    day, time = local_time(agreement, moment)
    lines = ["Ditandatangani secara", "elektronik oleh:", *wrapped(identity.name, 2)]
    return "\n".join([*lines, *wrapped(identity.position, 3), day, f"pukul {time}"])


def verification_url(document: SignedDocument, base_url: str = "") -> str:
    """The public address the QR code points at: SIGNING_VERIFICATION_BASE_URL (the
    site's public origin) when set, else `base_url` (the request's), else a relative path."""
    path = reverse("verification", args=[document.verification_code])
    base = getattr(settings, "SIGNING_VERIFICATION_BASE_URL", "") or base_url
    return base.rstrip("/") + path


@dataclass(frozen=True)
class EmbeddedSignature:
    field_name: str
    certificate_subject: str


def embedded_signatures(pdf: bytes) -> list[EmbeddedSignature]:
    """The signatures a PDF carries, in file order (each with its certificate's subject)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(pdf), strict=False)
    return [
        EmbeddedSignature(sig.field_name, sig.signer_cert.subject.human_friendly)
        for sig in reader.embedded_regular_signatures
    ]


def page_count(pdf: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(BytesIO(pdf), strict=False).root["/Pages"]["/Count"])


def _read_file(document: SignedDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _check_password(user, password: str) -> None:
    if not password or not user.check_password(password):
        raise SigningRefused(_("Sandi yang Anda masukkan salah. Tanda tangan tidak dibuat."))


def sign_agreement(
    agreement: Agreement,
    party: str,
    user,
    password: str,
    *,
    nik: str = "",
    passphrase: str = "",
    base_url: str = "",
) -> Signature:
    """Sign `agreement` electronically as `party` on behalf of `user`; raises SigningRefused.

    `password` is the user's PK Portal password, asked again to confirm; `nik` and
    `passphrase` are the BSrE credentials (BSrE backend only); `base_url` the public origin
    for the QR code when SIGNING_VERIFICATION_BASE_URL is not set.

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
    _check_password(user, password)
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
        except SignerError as exc:
            raise SigningRefused(str(exc)) from exc
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
            signature = Signature.objects.create(
                document=document,
                party=party,
                signer_name=printed.name,
                signer_position=printed.position,
                signer_nip=printed.nip,
                user=user,
                certificate_subject=signatures[-1].certificate_subject[:500],
                signed_at=now,
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


# --- what the PK page shows --------------------------------------------------------------------
@dataclass
class PartyState:
    printed: PrintedParty
    signature: Signature | None = None


@dataclass
class SigningState:
    """What the signing panel of the PK page shows to `user`."""

    agreement: Agreement
    document: SignedDocument | None  # the electronic document of the current revision
    documents: list[SignedDocument]  # every signed document of the PK, newest first
    parties: list[PartyState] = field(default_factory=list)
    next_party: str | None = None
    user_party: str | None = None  # the party `user` may sign as now
    reason: str | None = None  # why a signatory of this PK cannot sign now

    @property
    def time_zone(self) -> str:
        return unit_time_zone(self.agreement)[0]

    @property
    def time_zone_name(self) -> str:
        return unit_time_zone(self.agreement)[1]

    @property
    def can_sign(self) -> bool:
        return self.user_party is not None

    @property
    def next_party_label(self) -> str:
        return Party(self.next_party).label if self.next_party else ""


def signing_state(agreement: Agreement, user) -> SigningState:
    document = current_document(agreement)
    documents = list(
        agreement.signed_documents.prefetch_related("signatures").order_by("-created_at", "-pk")
    )
    by_party = {}
    if document is not None:
        by_party = {s.party: s for s in document.signatures.all()}
    state = SigningState(
        agreement=agreement,
        document=document,
        documents=documents,
        parties=[
            PartyState(printed_party(agreement, p), by_party.get(p)) for p in parties_of(agreement)
        ],
        next_party=next_party(agreement, document),
    )
    if agreement.status != AgreementStatus.APPROVED:
        return state
    own = [p for p in parties_of(agreement) if signatory_membership(agreement, p, user)]
    if state.next_party in own:
        party = state.next_party
    elif own:
        party = own[0]
    else:
        return state
    reason = refusal(agreement, party, user, document)
    if reason is None:
        state.user_party = party
    else:
        state.reason = reason
    return state


def panel_context(agreement: Agreement, user) -> dict:
    """The context of templates/signing/_panel.html, for the PK page."""
    return {"signing_panel": signing_state(agreement, user)}
