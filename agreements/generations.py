"""Generations: a random value per PK and one for everything else, renewed whenever a row
a PK page may show is saved or deleted (bump_on_change, connected in agreements.apps), so
that what is cached under the old value (the PK page, a stored PDF's name) is never served
again. Kept in the shared cache (Redis in production): every web process and worker sees a
bump at once.

- a PK's own rows (its events, signatures, check acceptances, submission, realisations)
  bump its generation;
- anything else a PK page may show (units, officials, memberships, DIPA, calendars, IKU,
  capaian rules) bumps the global one.
A transaction's bumps are made once it commits (other connections cannot see the change
before), in one cache write however many rows it wrote.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

from agreements.models import Agreement

GENERATION_SECONDS = 24 * 60 * 60
GLOBAL_GENERATION = "pk-page-gen:all"

# Never shown on a PK page, or written on every request: no reason to drop cached pages.
# The lampiran's own rows claim a new lock version of their PK (Agreement.touch) instead.
_IGNORED_MODELS = {
    "agreements.notification",
    "agreements.importmapping",
    "agreements.lampiranprogramme",
    "agreements.lampirankegiatan",
    "agreements.sasaran",
    "agreements.indicatorrow",
    "submissions.reminder",
}
_WATCHED_APPS = {"organisations", "indicators", "agreements", "submissions", "monitoring"}


def generation_key(agreement_id) -> str:
    return f"pk-page-gen:{agreement_id}"


def _bump(keys: list[str]) -> None:
    cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=GENERATION_SECONDS)


def _agreement_id_of(instance) -> int | None:
    """The PK a changed row belongs to, without a query where the row says it directly."""
    if isinstance(instance, Agreement):
        return instance.pk
    agreement_id = getattr(instance, "agreement_id", None)
    if agreement_id is not None:
        return agreement_id
    for parent in ("document", "submission", "realisation"):  # signature, delivery, evidence
        if getattr(instance, f"{parent}_id", None) is not None:
            return getattr(getattr(instance, parent), "agreement_id", None)
    return None


class _BumpAfterCommit:
    """The generations a transaction changed: bumped once it commits, whatever the number of
    rows it wrote (a quarter's 60 realisations), in one cache write. Other connections see
    the change only then; a page read inside the transaction itself (a test, a view that
    saves and then renders) bumps what is still pending first (`flush_pending`)."""

    def __init__(self):
        self.keys: set[str] = set()
        self.unflushed: set[str] = set()

    def __call__(self):
        self.unflushed.clear()
        _bump(sorted(self.keys))


def _pending(connection) -> _BumpAfterCommit | None:
    """This transaction's bumps, if it has any: gone from the connection's callbacks once
    the transaction (or the savepoint that registered them) committed or rolled back."""
    pending = getattr(connection, "_pk_page_bumps", None)
    callbacks = connection.run_on_commit if connection.in_atomic_block else []
    if pending is not None and any(call is pending for _ids, call, _robust in callbacks):
        return pending
    return None


def _bump_after_commit(key: str) -> None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump([key])
        return
    pending = _pending(connection)
    if pending is None:
        pending = connection._pk_page_bumps = _BumpAfterCommit()
        transaction.on_commit(pending)
    pending.keys.add(key)
    pending.unflushed.add(key)


def flush_pending() -> None:
    pending = _pending(transaction.get_connection())
    if pending is not None and pending.unflushed:
        _bump(sorted(pending.unflushed))
        pending.unflushed.clear()


def bump_on_change(sender, instance, **kwargs) -> None:
    """post_save / post_delete receiver: drop the cached pages the change may show on."""
    label = sender._meta.label_lower
    if sender._meta.app_label not in _WATCHED_APPS or label in _IGNORED_MODELS:
        return
    if label == "organisations.user" and "created" in kwargs:  # saved, not deleted
        # No page shows a new user; a save that changes nothing pages show of one (a login,
        # a new password, muted e-mails) keeps every page of the nation cached.
        changed = not kwargs["created"] and instance.shown_fields_changed()
        instance.mark_shown_as_saved()
        if not changed:
            return
    agreement_id = _agreement_id_of(instance)
    _bump_after_commit(GLOBAL_GENERATION if agreement_id is None else generation_key(agreement_id))


def generations(agreement_id, found: dict | None = None) -> list[str]:
    """The PK's and the global generation (from `found`, a get_many already made, when
    given); a missing one (never bumped, or evicted) gets a new random value, so that no
    page cached under an older value is served again."""
    keys = [GLOBAL_GENERATION, generation_key(agreement_id)]
    if found is None:
        flush_pending()
        found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, timeout=GENERATION_SECONDS)
            found[key] = cache.get(key)
    return [found[key] for key in keys]
