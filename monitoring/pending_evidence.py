"""Evidence files chosen on a quarter form that came back with errors: kept, not lost.

A browser never sends a chosen file again once the page is rendered anew, so a person who
typed "95,5x" next to an evidence file had to find that file again. Instead every file that
passed monitoring.evidence is kept in storage (through the storage API, in the pending-upload
folder the daily housekeeping empties: agreements.housekeeping) and the form carries a signed
reference to it, used by the next save:

    keep(info, scope, row_id) -> PendingEvidence        stores the checked bytes
    resolve(reference, scope, row_id) -> PendingEvidence | None
    content_of(pending) -> (ContentFile, EvidenceInfo)  what save_quarter stores
    discard(pending)                                    once saved or replaced

The reference is signed (django.core.signing) and names the user, PK, quarter and indicator row
it was made for: a reference copied into another form, another PK or another person's POST
resolves to nothing.
"""

import uuid
from dataclasses import dataclass

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from agreements.housekeeping import IMPORT_FOLDER, IMPORT_MAX_AGE
from monitoring.evidence import EvidenceInfo

SALT = "monitoring.pending-evidence"
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@dataclass(frozen=True)
class PendingScope:
    """Whose quarter form a pending file belongs to."""

    user_id: int
    agreement_id: int
    quarter: int


@dataclass(frozen=True)
class PendingEvidence:
    key: str  # the storage name
    info: EvidenceInfo  # without its content: that lives in storage
    reference: str  # what the form's hidden field carries

    @property
    def name(self) -> str:
        return self.info.original_name


def _owner(scope: PendingScope, row_id: int) -> list[int]:
    return [scope.user_id, scope.agreement_id, scope.quarter, row_id]


def keep(content: bytes, info: EvidenceInfo, scope: PendingScope, row_id: int) -> PendingEvidence:
    """Side effect: stores `content` (the checked file: a PDF already sanitised) as a pending
    upload. Returns it with its signed reference."""
    extension = EXTENSIONS.get(info.content_type, "bin")
    key = default_storage.save(f"{IMPORT_FOLDER}/{uuid.uuid4().hex}.{extension}",
                               ContentFile(content))  # fmt: skip
    payload = {
        "key": key,
        "owner": _owner(scope, row_id),
        "info": [info.content_type, info.sha256, info.size, info.original_name],
    }
    reference = signing.dumps(payload, salt=SALT, compress=True)
    return PendingEvidence(key, EvidenceInfo(*payload["info"]), reference)


def resolve(reference: str, scope: PendingScope, row_id: int) -> PendingEvidence | None:
    """The pending file `reference` points to, or None when it is not this form's, has been
    tampered with, is older than the housekeeping keeps it, or has left the storage."""
    try:
        payload = signing.loads(reference, salt=SALT, max_age=IMPORT_MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.get("owner") != _owner(scope, row_id):
        return None
    key = payload["key"]
    if not key.startswith(f"{IMPORT_FOLDER}/") or not default_storage.exists(key):
        return None
    return PendingEvidence(key, EvidenceInfo(*payload["info"]), reference)


def content_of(pending: PendingEvidence) -> tuple[ContentFile, EvidenceInfo]:
    """The stored bytes, as save_quarter takes a new evidence file."""
    with default_storage.open(pending.key, "rb") as stored:
        content = stored.read()
    info = EvidenceInfo(*(getattr(pending.info, f) for f in ("content_type", "sha256")),
                        len(content), pending.info.original_name, content)  # fmt: skip
    return ContentFile(content, name=pending.info.original_name), info


def discard(pending: PendingEvidence | None) -> None:
    """Side effect: deletes the pending upload from storage (nothing when already gone)."""
    if pending is not None:
        default_storage.delete(pending.key)
