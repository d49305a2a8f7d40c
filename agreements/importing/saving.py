"""Saving an import: the lampiran, all or nothing, and what a Word PK's statement page adds."""

from django.db import transaction
from django.utils.translation import gettext as _

from agreements.importing.statement import Statement
from agreements.lampiran import replace_lampiran


@transaction.atomic
def import_lampiran(agreement, rows, lock_version, user, statement: Statement | None = None):
    """Side effects: replaces the lampiran (replace_lampiran: history row, lock version) and,
    from the statement page of last year's PK, fills the place and the parties' names,
    positions and NIP where the draft has none yet (who signs this year is the officials'
    register's to say; the date is this year's to set)."""
    summary = replace_lampiran(
        agreement, rows, lock_version, user=user, how=_("Diimpor dari berkas")
    )
    if statement and statement.found:
        changed = []
        pairs = [("place", statement.place)]
        for prefix, party in (
            ("pihak_pertama", statement.pihak_pertama),
            ("pihak_kedua", None if agreement.is_single_signatory else statement.pihak_kedua),
        ):
            if party:
                pairs += [
                    (f"{prefix}_name", party.name),
                    (f"{prefix}_position", party.position),
                    (f"{prefix}_nip", party.nip),
                ]
        for name, value in pairs:
            limit = agreement._meta.get_field(name).max_length
            if value and not getattr(agreement, name) and len(value) <= limit:
                setattr(agreement, name, value)
                changed.append(name)
        if changed:
            agreement.save(update_fields=changed)
    return summary
