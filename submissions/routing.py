"""Where each signed PK goes, by its kind (DOMAIN.md, "Submission rules"), in one table.

    a–c (KPU, Setjen, Eselon II)   → KemenPAN-RB, Kemenkeu and Bappenas, hardcopy and softcopy
    d–e (Provinsi, its Sekretariat) → KPU (Perencanaan and Inspektorat), a scan of the hardcopy
    f–g (Kab/Kota, its Sekretariat) → their KPU Provinsi, which compiles them and sends the
                                      compilation to KPU; hardcopy kept by the Provinsi, scan
    Subbagian                       → stays with its Sekretariat (it cascades the Sekretariat PK)
All by the end of January of the year.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Unit
from organisations.signatories import PKKind

MINISTRIES = (
    "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
    "Kementerian Keuangan",
    "Kementerian Perencanaan Pembangunan Nasional/Bappenas",
)


class Channel(models.TextChoices):
    MINISTRIES = "kementerian", _("Kementerian PAN-RB, Kementerian Keuangan, Bappenas")
    KPU = "kpu", _("KPU (Perencanaan dan Inspektorat)")
    PROVINSI = "provinsi", _("KPU Provinsi (dikompilasi lalu ke KPU)")
    INTERNAL = "internal", _("Sekretariat (internal)")


@dataclass(frozen=True)
class Route:
    channel: str
    needs_scan: bool  # the softcopy must be a scan of the signed hardcopy
    needs_hardcopy: bool  # a hardcopy is sent and tracked
    compiled_by_province: bool

    @property
    def reviewed_nationally(self) -> bool:
        return self.channel in {Channel.KPU, Channel.PROVINSI}


ROUTES = {
    PKKind.KPU: Route(Channel.MINISTRIES, needs_scan=False, needs_hardcopy=True,
                      compiled_by_province=False),
    PKKind.SETJEN: Route(Channel.MINISTRIES, needs_scan=False, needs_hardcopy=True,
                         compiled_by_province=False),
    PKKind.ESELON_II: Route(Channel.MINISTRIES, needs_scan=False, needs_hardcopy=True,
                            compiled_by_province=False),
    PKKind.PROVINSI: Route(Channel.KPU, needs_scan=True, needs_hardcopy=False,
                           compiled_by_province=False),
    PKKind.SEKRETARIAT_PROVINSI: Route(Channel.KPU, needs_scan=True, needs_hardcopy=False,
                                       compiled_by_province=False),
    PKKind.KABKOTA: Route(Channel.PROVINSI, needs_scan=True, needs_hardcopy=True,
                          compiled_by_province=True),
    PKKind.SEKRETARIAT_KABKOTA: Route(Channel.PROVINSI, needs_scan=True, needs_hardcopy=True,
                                      compiled_by_province=True),
    PKKind.SUBUNIT: Route(Channel.INTERNAL, needs_scan=False, needs_hardcopy=False,
                          compiled_by_province=False),
}  # fmt: skip


def route_for(pk_kind: str) -> Route:
    return ROUTES[PKKind(pk_kind)]


def destination_unit(agreement) -> Unit | None:
    """The office that receives the PK: KPU, the KPU Provinsi, the Sekretariat; None outside."""
    channel = route_for(agreement.pk_kind).channel
    if channel == Channel.KPU:
        return Unit.objects.filter(code="kpu").first()
    if channel == Channel.PROVINSI:
        return agreement.unit.province
    if channel == Channel.INTERNAL:
        return agreement.unit.parent
    return None
