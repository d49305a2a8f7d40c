"""The one way the suite makes test data: small `make_*` helpers over the real loaders."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from organisations.models import Acting, Assignment, Membership, Official, Position, Role, Unit
from organisations.national import load_national_units, national_specs

_counter = itertools.count(1)
_SPECS = None


def _all_specs():
    global _SPECS
    if _SPECS is None:
        _SPECS = national_specs()
    return _SPECS


def load_units(*satker_codes: str) -> None:
    """Load KPU, the Setjen and the given provinces/regencies (with secretariats, subunits)
    through the same loader as `manage.py load_units`, without the other 3,000 units."""
    wanted = set(satker_codes)
    for code in satker_codes:
        if "." in code:
            wanted.add(code.split(".")[0])  # the regency's province

    def keep(spec):
        root = spec.code.split(".sekretariat")[0]
        if spec.code in {"kpu", "setjen"} or spec.code.startswith("setjen."):
            return True
        return root in wanted

    load_national_units([s for s in _all_specs() if keep(s)])


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def make_official(name=None, nip="") -> Official:
    return Official.objects.create(name=name or f"Pejabat {next(_counter)}", nip=nip)


def appoint(
    unit_code: str,
    official: Official | None = None,
    *,
    start=datetime.date(2024, 1, 1),
    end=None,
    acting=Acting.DEFINITIVE,
) -> Assignment:
    """Make `official` (or a new one) head of the unit from `start`."""
    position = Position.objects.exclude(kind="anggota").get(unit__code=unit_code)
    return Assignment.objects.create(
        official=official or make_official(),
        position=position,
        start_date=start,
        end_date=end,
        acting=acting,
    )


def make_user(username=None, *, unit_code=None, role=Role.OPERATOR, official=None, **extra):
    user = get_user_model().objects.create_user(
        username=username or f"user{next(_counter)}", password="sandi-uji-yang-panjang", **extra
    )
    if unit_code:
        Membership.objects.create(user=user, unit=unit(unit_code), role=role, official=official)
    return user
