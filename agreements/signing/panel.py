"""What the signing panel of the PK page shows (templates/signing/_panel.html): each party
with its signature, whose turn it is, and whether the user may sign now or why not."""

from dataclasses import dataclass, field

from agreements.models import Agreement, AgreementStatus, Party, Signature, SignedDocument
from agreements.signing.rules import (
    PrintedParty,
    current_document,
    next_party,
    parties_of,
    printed_party,
    refusal,
    signatory_membership,
)
from agreements.signing.stamp import unit_time_zone


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
