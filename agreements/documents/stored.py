"""A PK's stored PDFs found again without building the document's context: the storage name
found last time is kept in the cache under the same versions as the PK page (the PK's and its
unit's fields, the generations), so a repeat download is two cache reads and one storage
read, whatever the size of the PK."""

import hashlib

from django.core.cache import cache

from agreements import documents
from agreements.generations import GENERATION_SECONDS, generations
from agreements.models import Agreement
from organisations.models import Unit

# Not the check summary: the first view of the page writes it; no PDF prints it.
_AGREEMENT_FIELDS = [
    field.attname
    for field in Agreement._meta.concrete_fields
    if field.name not in {"check_errors", "check_warnings"}
]


def _pdf_key(agreement: Agreement, part: str) -> str:
    parts = (
        part,
        documents.code_version(),
        [getattr(agreement, name) for name in _AGREEMENT_FIELDS],
        [getattr(agreement.unit, field.attname) for field in Unit._meta.concrete_fields],
        generations(agreement.pk),
    )
    return "pk-pdf:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def stored_pdf(agreement: Agreement, part: str) -> bytes:
    """The PDF of `part` (documents.render_pdf) without building the document's context when
    it was rendered before: the storage name found last time is kept in the cache under the
    same versions as the page (the PK's and its unit's fields, the generations), so a repeat
    download is two cache reads and one storage read, whatever the size of the PK."""
    key = _pdf_key(agreement, part)
    name = cache.get(key)
    pdf = documents.read_stored(name) if name else None
    if pdf is None:
        name, pdf = documents.render_stored(agreement, part)
        cache.set(key, name, timeout=GENERATION_SECONDS)
    return pdf
