"""Who may report a PK's quarters and who verifies them. Who may *see* them is
`Agreement.objects.visible_to` (organisations), as for the PK itself.

- enter and submit: the drafters of the PK's unit (agreements.permissions: its operators and
  administrators, or those of its office above it), the same rule as drafting the PK;
- verify or return: the PK's Pihak Kedua, i.e. a signatory account of the Pihak Kedua recorded
  on the PK (the same rule as approving it) or of whoever heads the superior unit today (an
  official replaced mid-year hands the verification on). A single-signatory PK (KPU, KPU
  Provinsi, KPU Kab/Kota) has no Pihak Kedua: its Ketua verifies, as they approved it.
  Never the user who submitted the quarter.

The monitoring dashboard of a province (`province_page_access`): its compilers, the
signatories of the KPU Provinsi and of its Sekretariat (Ketua, Sekretaris), national reviewers
and superusers. A provincial official opens only the PK pages they may see anyway
(`Unit.objects.visible_to`); the others open every unit's.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.permissions import drafting_refusal
from agreements.workflow import approver_memberships
from organisations.models import Membership, Role, Unit, UnitKind
from organisations.signatories import VacantPosition, head_of
from submissions.services import is_compiler_of, is_national_reviewer

OFFICIAL_UNIT_KINDS = (UnitKind.PROVINSI, UnitKind.SEKRETARIAT_PROVINSI)


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


def is_province_official(user, province_id: int) -> bool:
    """A signatory account of the KPU Provinsi or of its Sekretariat (Ketua, Sekretaris)."""
    return Membership.objects.filter(
        user=user,
        is_active=True,
        role=Role.SIGNATORY,
        unit__kind__in=OFFICIAL_UNIT_KINDS,
        unit__province_id=province_id,
    ).exists()


def provinces_of(user):
    """The provinces whose page `user` may open for their own role (not as a reviewer)."""
    compiled = Membership.objects.filter(user=user, is_active=True, role=Role.COMPILER)
    officials = Membership.objects.filter(
        user=user, is_active=True, role=Role.SIGNATORY, unit__kind__in=OFFICIAL_UNIT_KINDS
    )
    ids = {*compiled.values_list("unit__province_id", flat=True)}
    ids |= {*officials.values_list("unit__province_id", flat=True)}
    return Unit.objects.filter(kind=UnitKind.PROVINSI, pk__in=ids - {None}).order_by("code")


def _province_page_refusal() -> str:
    return _(
        "Halaman pemantauan provinsi hanya untuk operator kompilasi dan pimpinan KPU Provinsi "
        "ini serta reviewer KPU."
    )


def province_page_access(user, province_id: int) -> tuple[str | None, set[int] | None]:
    """(why `user` may not see the province's monitoring page, or None when they may;
    the ids of the units whose PK pages they may open from it, None for every unit)."""
    sees_every_unit = is_national_reviewer(user) or is_compiler_of(user, province_id)
    if sees_every_unit:
        return None, None
    if not is_province_official(user, province_id):
        return _province_page_refusal(), None
    return None, set(Unit.objects.visible_to(user).values_list("pk", flat=True))


def province_home_of(user) -> tuple[Unit | None, str | None]:
    """Where the provincial monitoring link takes `user`: (their province, None) when they
    have exactly one for their own role; (None, None) for the national page (a national
    reviewer, or someone of several provinces, where it filters by province); (None, why
    not) for anyone else."""
    provinces = list(provinces_of(user)[:2])
    if len(provinces) == 1:
        return provinces[0], None
    if is_national_reviewer(user) or len(provinces) > 1:
        return None, None
    return None, _province_page_refusal()
