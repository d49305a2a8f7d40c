"""Who may report a PK's quarters and who verifies them. Who may *see* them is
`Agreement.objects.visible_to` (organisations), as for the PK itself.

- enter and submit: the drafters of the PK's unit (agreements.permissions: its operators and
  administrators, or those of its office above it), the same rule as drafting the PK;
- verify or return: the PK's Pihak Kedua, i.e. a signatory account of the Pihak Kedua recorded
  on the PK (the same rule as approving it) or of whoever heads the superior unit today (an
  official replaced mid-year hands the verification on). A single-signatory PK (KPU, KPU
  Provinsi, KPU Kab/Kota) has no Pihak Kedua: its Ketua verifies, as they approved it.
  Never the user who submitted the quarter.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.permissions import drafting_refusal
from agreements.workflow import approver_memberships
from organisations.models import Membership, Role
from organisations.signatories import VacantPosition, head_of


def entry_refusal(user, agreement) -> str | None:
    """Why `user` may not enter realisations of `agreement`, or None when they may."""
    if not user.is_authenticated:
        return _("Silakan masuk terlebih dahulu.")
    if drafting_refusal(user, agreement.unit) is None:
        return None
    return _(
        "Hanya operator %(unit)s (atau kantor induknya) yang dapat mengisi realisasi PK ini."
    ) % {"unit": agreement.unit}


def verifier_memberships(agreement, day: datetime.date | None = None):
    """Active signatory memberships that verify this PK's quarters (see the module rules):
    those who approve it (agreements.workflow.approver_memberships: the recorded official's
    accounts, wherever they sit, so a Plt verifies as he approved) and the accounts of whoever
    heads the approving unit today."""
    approvers = approver_memberships(agreement)
    unit = agreement.unit if agreement.is_single_signatory else agreement.unit.parent
    if unit is None:
        return approvers
    try:
        today_head = head_of(unit, day or timezone.localdate()).official_id
    except VacantPosition:
        return approvers
    heads = Membership.objects.filter(role=Role.SIGNATORY, is_active=True, official_id=today_head)
    return approvers | heads


def verify_refusal(user, agreement, submitted_by_id=None) -> str | None:
    """Why `user` may not verify or return `agreement`'s quarter, or None when they may."""
    if not user.is_authenticated:
        return _("Silakan masuk terlebih dahulu.")
    if not verifier_memberships(agreement).filter(user=user).exists():
        who = agreement.pihak_pertama_name if agreement.is_single_signatory else (
            agreement.pihak_kedua_name)  # fmt: skip
        return _("Hanya Pihak Kedua PK ini (%(who)s) yang dapat memverifikasi realisasinya.") % {
            "who": who or _("atasan penandatangan")
        }
    if submitted_by_id is not None and submitted_by_id == user.pk:
        return _("Anda yang mengajukan realisasi ini sehingga tidak dapat memverifikasinya.")
    return None
