"""Who may sign a PK, in which order, and when: the rules `sign_agreement` (service.py) and
the signing panel (panel.py) both ask.

Rules:
- only an approved PK (status Disetujui) is signed, one electronic document per revision;
- Pihak Pertama signs first, then Pihak Kedua (a single-signatory PK: Pihak Pertama only);
- a party is signed for by a user with an active signatory membership whose official is the
  party's official as the PK recorded it (`pihak_*_official`); where the PK recorded none, by
  the signatory of the PK's unit (Pihak Pertama) or of its parent unit (Pihak Kedua).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from agreements.models import (
    Agreement,
    AgreementStatus,
    Party,
    Signature,
    SignatureMethod,
    SignedDocument,
)
from organisations.models import Membership, Role


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


def signature_for(document, printed: PrintedParty, user, signed_at, **extra) -> Signature:
    """A new Signature row of `printed` (the party as the PK prints it) on `document`, made by
    `user` at `signed_at`: an electronic signature (service.py, with its certificate) or a
    confirmation of a wet-signature scan (agreements.scans)."""
    return Signature.objects.create(
        document=document,
        party=printed.party,
        signer_name=printed.name,
        signer_position=printed.position,
        signer_nip=printed.nip,
        user=user,
        signed_at=signed_at,
        **extra,
    )


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


def party_memberships(agreement: Agreement, party: str):
    """The active signatory accounts that are `party` of this PK: the accounts of the official
    printed for it, wherever they sit (a Plt signs from the account of his own post); while no
    official is recorded, the accounts with an official of the unit that signs as that party
    (the PK's unit for Pihak Pertama, its parent for Pihak Kedua). The one rule for who signs,
    approves (agreements.workflow), uploads the wet-signed scan and is told (notifications)."""
    memberships = Membership.objects.filter(role=Role.SIGNATORY, is_active=True)
    official_id = printed_party(agreement, party).official_id
    if official_id:
        return memberships.filter(official_id=official_id)
    unit_id = agreement.unit_id if party == Party.PIHAK_PERTAMA else agreement.unit.parent_id
    if unit_id is None:
        return memberships.none()
    return memberships.filter(unit_id=unit_id, official__isnull=False)


def signatory_membership(agreement: Agreement, party: str, user) -> Membership | None:
    """The user's signatory membership that makes them `party` of this PK, if any."""
    if not user.is_authenticated or not user.is_active:
        return None
    memberships = party_memberships(agreement, party).filter(user=user)
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
