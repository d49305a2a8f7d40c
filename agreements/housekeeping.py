"""Housekeeping of the agreements app: uploads of an import that was never confirmed.

An import keeps the uploaded file in storage between the preview and the confirmation
(agreements/views/transfer.py). A user who closes the tab leaves it there; after a day nobody
will confirm it (the session that knew its name has expired too).
"""

import datetime
import logging

from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

IMPORT_FOLDER = "imports"
IMPORT_MAX_AGE = datetime.timedelta(days=1)


def abandoned_imports(now: datetime.datetime, max_age=IMPORT_MAX_AGE) -> list[str]:
    """Names (storage keys) of pending import uploads older than `max_age`."""
    try:
        _folders, files = default_storage.listdir(IMPORT_FOLDER)
    except FileNotFoundError:  # nothing was ever imported on this storage
        return []
    stale = []
    for name in files:
        key = f"{IMPORT_FOLDER}/{name}"
        try:
            modified = default_storage.get_modified_time(key)
        except FileNotFoundError:  # deleted meanwhile by its confirmation
            continue
        if now - modified > max_age:
            stale.append(key)
    return stale


def purge_abandoned_imports(now: datetime.datetime, *, dry_run=False) -> list[str]:
    """Side effects: deletes the stale uploads from storage (unless `dry_run`); returns them."""
    stale = abandoned_imports(now)
    if not dry_run:
        for key in stale:
            default_storage.delete(key)
        if stale:
            logger.info("Deleted %s abandoned import uploads", len(stale))
    return stale
