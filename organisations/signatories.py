"""Who signs which PK: the table of DOMAIN.md ("Who signs which PK"), as data.

    PK of                              Pihak Pertama (signs)       Pihak Kedua ("selaku atasan")
    a. KPU                             Ketua KPU                   —
    b. Sekretariat Jenderal KPU        Sekretaris Jenderal         Ketua KPU
    c. Eselon II of the Setjen         the Eselon II official      Sekretaris Jenderal
    d. KPU Provinsi / KIP Aceh         Ketua KPU Provinsi          —
    e. Sekretariat KPU Provinsi        Sekretaris                  Ketua KPU Provinsi
    f. KPU/KIP Kabupaten/Kota          Ketua                       —
    g. Sekretariat KPU/KIP Kab/Kota    Sekretaris                  Ketua
    Subbagian (Bontang seed)           Kepala Subbagian            Sekretaris

In every paired row Pihak Kedua is the head of the unit's parent, so one rule serves all:
Pihak Pertama is the head of the unit, Pihak Kedua the head of its parent where the kind has
a pair. Heads are found among the officials holding the head position on the given date: a
definitive holder first, else a Plt, else a Plh.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.models import Acting, Assignment, PositionKind, Unit, UnitKind


class PKKind(models.TextChoices):
    KPU = "a", gettext_lazy("a. PK KPU")
    SETJEN = "b", gettext_lazy("b. PK Sekretariat Jenderal KPU")
    ESELON_II = "c", gettext_lazy("c. PK Eselon II Sekretariat Jenderal KPU")
    PROVINSI = "d", gettext_lazy("d. PK KPU Provinsi/KIP Aceh")
    SEKRETARIAT_PROVINSI = "e", gettext_lazy("e. PK Sekretariat KPU Provinsi/KIP Aceh")
    KABKOTA = "f", gettext_lazy("f. PK KPU/KIP Kabupaten/Kota")
    SEKRETARIAT_KABKOTA = "g", gettext_lazy("g. PK Sekretariat KPU/KIP Kabupaten/Kota")
    SUBUNIT = "sub", gettext_lazy("PK Bagian/Subbagian")

    @property
    def is_single_signatory(self) -> bool:
        return self in SINGLE_SIGNATORY_KINDS


SINGLE_SIGNATORY_KINDS = {PKKind.KPU, PKKind.PROVINSI, PKKind.KABKOTA}


@dataclass(frozen=True)
class Rule:
    pk_kind: PKKind
    head: tuple[str, ...]  # position kinds that head a unit of this kind
    paired: bool


RULES: dict[str, Rule] = {
    UnitKind.KPU: Rule(PKKind.KPU, (PositionKind.KETUA,), paired=False),
    UnitKind.SETJEN: Rule(PKKind.SETJEN, (PositionKind.SEKRETARIS_JENDERAL,), paired=True),
    UnitKind.ESELON_II: Rule(
        PKKind.ESELON_II, (PositionKind.KEPALA_BIRO, PositionKind.INSPEKTUR), paired=True
    ),
    UnitKind.PROVINSI: Rule(PKKind.PROVINSI, (PositionKind.KETUA,), paired=False),
    UnitKind.SEKRETARIAT_PROVINSI: Rule(
        PKKind.SEKRETARIAT_PROVINSI, (PositionKind.SEKRETARIS,), paired=True
    ),
    UnitKind.KABKOTA: Rule(PKKind.KABKOTA, (PositionKind.KETUA,), paired=False),
    UnitKind.SEKRETARIAT_KABKOTA: Rule(
        PKKind.SEKRETARIAT_KABKOTA, (PositionKind.SEKRETARIS,), paired=True
    ),
    UnitKind.BAGIAN: Rule(PKKind.SUBUNIT, (PositionKind.KEPALA_BAGIAN,), paired=True),
    UnitKind.SUBBAGIAN: Rule(PKKind.SUBUNIT, (PositionKind.KEPALA_SUBBAGIAN,), paired=True),
}

_ACTING_PREFERENCE = {Acting.DEFINITIVE: 0, Acting.PLT: 1, Acting.PLH: 2}


class VacantPosition(Exception):  # noqa: N818 - reads as what happened
    """No official holds the position that must sign. The message is for users, in Indonesian."""

    def __init__(self, unit: Unit, day: datetime.date):
        self.unit = unit
        self.day = day
        super().__init__(
            _(
                "Tidak ada pejabat yang menjabat sebagai pimpinan %(unit)s pada %(date)s. "
                "Catat pejabat definitif atau Plt/Plh-nya terlebih dahulu."
            )
            % {"unit": unit.short_name, "date": date_format(day)}
        )


@dataclass(frozen=True)
class Signatory:
    """One party as the PK prints it, frozen at the date the pair was looked up."""

    official_id: int
    name: str
    nip: str
    position_title: str
    acting: str
    unit_id: int

    @property
    def printed_position(self) -> str:
        prefix = {Acting.PLT: "Plt. ", Acting.PLH: "Plh. "}.get(self.acting, "")
        return prefix + self.position_title


@dataclass(frozen=True)
class SignatoryPair:
    pk_kind: PKKind
    pihak_pertama: Signatory
    pihak_kedua: Signatory | None

    @property
    def is_single(self) -> bool:
        return self.pihak_kedua is None


def rule_for(unit: Unit) -> Rule:
    return RULES[unit.kind]


def pk_kind_for(unit: Unit) -> PKKind:
    return rule_for(unit).pk_kind


def head_of(unit: Unit, day: datetime.date) -> Signatory:
    """The official heading `unit` on `day`; raises VacantPosition when nobody does."""
    assignments = list(
        Assignment.objects.active_on(day)
        .filter(position__unit=unit, position__kind__in=rule_for(unit).head)
        .select_related("official", "position")
    )
    if not assignments:
        raise VacantPosition(unit, day)
    best = min(assignments, key=lambda a: (_ACTING_PREFERENCE[a.acting], -a.start_date.toordinal()))
    return Signatory(
        official_id=best.official_id,
        name=best.official.name,
        nip=best.official.nip,
        position_title=best.position.title,
        acting=best.acting,
        unit_id=unit.pk,
    )


def signatories_for(unit: Unit, day: datetime.date) -> SignatoryPair:
    """The PK kind of `unit` and who signs it on `day`.

    Raises VacantPosition (with a message for the user) when a position that must sign is
    empty on that day.
    """
    rule = rule_for(unit)
    pihak_pertama = head_of(unit, day)
    pihak_kedua = None
    if rule.paired:
        if unit.parent is None:
            raise VacantPosition(unit, day)
        pihak_kedua = head_of(unit.parent, day)
    return SignatoryPair(rule.pk_kind, pihak_pertama, pihak_kedua)


# Words kept in capitals when a title stored in capitals is offered in ordinary case.
_ACRONYMS = {"KPU", "RI", "DKI", "DIY", "KIP", "II", "III", "IV", "VI", "VII", "VIII", "IX"}
_SMALL_WORDS = {"dan", "di", "pada", "dari", "untuk", "atau"}
_ACTING_PREFIXES = ("Plt. ", "Plh. ")


def unshouted(title: str) -> str:
    """`title` as the documents print a position: one stored in capitals ("SEKRETARIS KPU
    KOTA SORONG") becomes "Sekretaris KPU Kota Sorong"; any other casing is kept as typed."""
    if not title.isupper():
        return title
    words = []
    for index, word in enumerate(title.split()):
        if word in _ACRONYMS:
            words.append(word)
        elif index and word.lower() in _SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append(word.capitalize())
    return " ".join(words)


def position_forms(official_id: int | None, printed_position: str) -> dict[str, str]:
    """{"long": …, "short": …}: the forms of the position printed as `printed_position`
    (with its Plt./Plh. prefix) that `official_id` holds, in ordinary case; "short" only
    when the position has one. Empty when the official holds no position of that title."""
    prefix = next((p for p in _ACTING_PREFIXES if printed_position.startswith(p)), "")
    title = printed_position[len(prefix) :]
    if not official_id or not title:
        return {}
    assignment = (
        Assignment.objects.filter(official_id=official_id, position__title=title)
        .select_related("position")
        .first()
    )
    if assignment is None:
        return {}
    position = assignment.position
    forms = {"long": prefix + unshouted(position.title)}
    if position.short_title:
        forms["short"] = prefix + unshouted(position.short_title)
    return forms
