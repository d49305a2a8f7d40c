"""The one way the suite makes test data: small `make_*` helpers over the real loaders."""

import dataclasses
import datetime
import itertools

from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from agreements.drafting import start_agreement
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, flatten, replace_lampiran
from indicators.targets import parse_target
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


def subbagian_rows():
    """The smallest lampiran that passes every check: one indicator and its programme budget."""

    programme = ("076.01.WA", "Program Dukungan Manajemen")
    return [
        LampiranRow(INDIKATOR, *programme, "", "Pengelolaan Keuangan", "Sasaran",
                    "Jumlah Laporan Keuangan", parse_target("2 laporan")),
        LampiranRow(ANGGARAN, *programme, anggaran=1_000_000),
    ]  # fmt: skip


def make_subbagian_cast(year=2027):
    """The Subbagian Keuangan PK of Bontang (a draft) and everyone around it, by role."""

    load_units("64.74", "96.71")
    appoint("64.74", make_official("Muzarroby Renfly"))
    sekretaris = appoint("64.74.sekretariat", make_official("Bambang Rahmadhany")).official
    kasubbag = appoint("64.74.sekretariat.keuangan", make_official("Indra Lesmana")).official
    agreement = start_agreement(unit("64.74.sekretariat.keuangan"), year)
    replace_lampiran(agreement, subbagian_rows())
    users = {
        "drafter": make_user("op.keuangan", unit_code="64.74.sekretariat.keuangan"),
        "secretariat_operator": make_user("op.sekretariat", unit_code="64.74.sekretariat"),
        "approver": make_user("sekretaris", unit_code="64.74.sekretariat", role=Role.SIGNATORY,
                              official=sekretaris),
        "pihak_pertama": make_user("kasubbag", unit_code="64.74.sekretariat.keuangan",
                                   role=Role.SIGNATORY, official=kasubbag),
        "outsider": make_user("op.sorong", unit_code="96.71.sekretariat"),
        "compiler": make_user("kompilasi", unit_code="64", role=Role.COMPILER),
    }  # fmt: skip
    return agreement, users


def make_bontang_signers(officials: dict) -> dict:
    """The operators of Bontang's Sekretariat and Subbagian Keuangan and its four signatories
    (Ketua, Sekretaris and two Kasubbag, each with a one-time-code device), by login name;
    `officials` by unit code ("64.74", "64.74.sekretariat" and its two Subbagian)."""
    kpu, sekretariat = "64.74", "64.74.sekretariat"
    keuangan, perencanaan = f"{sekretariat}.keuangan", f"{sekretariat}.perencanaan"
    users = {
        "op.sekretariat": make_user("op.sekretariat", unit_code=sekretariat),
        "op.keuangan": make_user("op.keuangan", unit_code=keuangan),
    }
    for name, code in (("ketua", kpu), ("sekretaris", sekretariat),
                       ("kasubbag.keuangan", keuangan), ("kasubbag.perencanaan", perencanaan)):  # fmt: skip
        users[name] = make_user(name, unit_code=code, role=Role.SIGNATORY, official=officials[code])
        give_otp_device(users[name])
    return users


def give_otp_device(user):
    """A confirmed one-time-code device (TOTP) for `user`: signatories need one to e-sign."""

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Aplikasi autentikator"}
    )
    return device


def otp_code(user) -> str:
    """The code `user`'s authenticator app shows now (after `give_otp_device`)."""

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def verify_otp(user, client=None):
    """Mark `user` as having given a one-time code in this session, as the signing page does.

    With `client`, the test client's session carries it (like django_otp.login); without, the
    user object itself does (for calls of the signing service outside a request)."""

    device = give_otp_device(user)
    user.otp_device = device
    user.is_verified = lambda: True
    if client is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return device


# The targets the seeds leave empty because their source does not show them (see
# agreements/seed_data/NOTES.md), as a test's office fills them in before it signs: values
# for the story of a test, not the office's real commitment.
FILLED_IN_TARGETS = {
    "Nilai Evaluasi atas Akuntabilitas Kinerja KPU Kota Bontang": "BB",
    "Nilai Maturitas SPIP": "77",
    "Persentase tingkat kepuasan terhadap layanan bidang pengelolaan keuangan": "90%",
}


def fill_in_seed_targets(agreement) -> None:
    """Fill the seed PK's empty targets as its operator would (FILLED_IN_TARGETS, else 100%,
    the value the Subbagian PKs show); the PK must still be editable."""
    rows = flatten(agreement)
    filled = [
        dataclasses.replace(row, target=parse_target(FILLED_IN_TARGETS.get(row.indikator, "100%")))
        if row.jenis == INDIKATOR and row.target is None
        else row
        for row in rows
    ]
    if filled != rows:
        replace_lampiran(agreement, filled)
