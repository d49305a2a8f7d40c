"""Who may change a PK. Who may *see* one is `Agreement.objects.visible_to` (organisations).

The one rule: a change (create, edit, lampiran, import, copy) needs an active membership that
may draft (`Membership.can_draft`) on the PK's unit or on an ancestor of it within the same
office (satker), and the PK must still be editable. So a Sekretariat operator may edit its
Subbagian PKs, a Subbagian operator only its own Subbagian's PK, and a KPU Provinsi operator
never a Kab/Kota PK (another office, even though it is an ancestor in the tree).
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from organisations.models import Membership, Unit, active_memberships


def _drafting_memberships(user) -> list[Membership]:
    return [m for m in active_memberships(user) if m.can_draft]


def drafting_units(user):
    """Units where the user may start a PK: their units and, within the same office, the
    units under them (a Sekretariat operator starts its Subbagian PKs too)."""

    memberships = _drafting_memberships(user)
    if not memberships:
        return Unit.objects.none()
    scope = Q()
    for m in memberships:
        scope |= Q(pk=m.unit_id) | Q(path__startswith=m.unit.path + "/", satker_id=m.unit.satker_id)
    return Unit.objects.filter(scope).order_by("path")


def drafting_refusal(user, unit: Unit) -> str | None:
    """Why `user` may not draft PKs of `unit`, or None when they may."""
    own_line = {*unit.ancestor_codes, unit.code}
    for membership in _drafting_memberships(user):
        if membership.unit.code in own_line and membership.unit.satker_id == unit.satker_id:
            return None
    return _(
        "Anda tidak berwenang mengubah PK %(unit)s. Hanya operator atau administrator unit "
        "tersebut (atau kantor induknya) yang dapat menyusunnya."
    ) % {"unit": unit}


def edit_refusal(user, agreement) -> str | None:
    """Why `user` may not change `agreement`, or None when they may (the one rule)."""
    if not agreement.is_editable:
        return _("PK ini tidak lagi berstatus draf sehingga tidak dapat diubah.")
    return drafting_refusal(user, agreement.unit)


def can_edit_agreement(user, agreement) -> bool:
    return edit_refusal(user, agreement) is None
