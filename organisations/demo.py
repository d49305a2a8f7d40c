"""Demo data of the organisations app: the national units, the officials named in the seed PKs
(KPU Kota Sorong 2024, KPU Kota Bontang 2026) and one demo login per role.

Idempotent: every object is looked up by a natural key before it is created.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.models import Acting, Assignment, Membership, Official, Position, Role, Unit
from organisations.national import load_national_units

DEMO_PASSWORD = "demo-pk-portal"  # noqa: S105 - printed on purpose by the demo command
# The demo signatories' one-time-code key (hex, as django-otp stores it), printed by the demo
# as base32 for an authenticator app; `manage.py otp_code USER` prints the current code.
DEMO_OTP_KEY = "504b20506f7274616c2064656d6f206b657921"  # "PK Portal demo key!"

LETTERHEADS = {
    "64.74": {
        "address": "Jl. Awang Long No. 68, Kel. Bontang Baru, Kec. Bontang Utara, "
        "Kota Bontang, Kalimantan Timur 75311",
        "telephone": "(0548) 20163, 20232",
        "email": "kotabontang@kpu.go.id",
        "city": "Bontang",
    },
    # The Sorong seed prints no letterhead: only the city is known.
    "96.71": {"city": "Sorong"},
}

# (unit code, name, NIP, term start): as printed in the seeds; "" where the seed gives no NIP.
OFFICIALS = [
    ("96.71", "BALTHASAR BERTH KAMBUAYA", "", datetime.date(2023, 1, 1)),
    ("96.71.sekretariat", "MARTHEN KAMBU", "197802282009021004", datetime.date(2023, 1, 1)),
    ("64.74", "Muzarroby Renfly", "", datetime.date(2024, 1, 1)),
    ("64.74.sekretariat", "Bambang Rahmadhany", "", datetime.date(2024, 1, 1)),
    ("64.74.sekretariat.keuangan", "Indra Lesmana", "", datetime.date(2024, 1, 1)),
    ("64.74.sekretariat.perencanaan", "Selvi Soraya", "", datetime.date(2024, 1, 1)),
    ("64.74.sekretariat.partisipasi", "Dea Winadry", "", datetime.date(2024, 1, 1)),
    ("64.74.sekretariat.teknis", "Tanti Prastuti", "", datetime.date(2024, 1, 1)),
]

# (username, full name, unit code, role, name of the official it signs for, description)
USERS = [
    ("bontang.operator", "Operator Sekretariat Bontang", "64.74.sekretariat", Role.OPERATOR,
     None, "Operator Sekretariat KPU Kota Bontang"),
    ("bontang.keuangan", "Operator Subbag Keuangan Bontang", "64.74.sekretariat.keuangan",
     Role.OPERATOR, None, "Operator Subbagian Keuangan, Umum dan Logistik"),
    ("bontang.ketua", "Muzarroby Renfly", "64.74", Role.SIGNATORY, "Muzarroby Renfly",
     "Ketua KPU Kota Bontang (penandatangan)"),
    ("bontang.sekretaris", "Bambang Rahmadhany", "64.74.sekretariat", Role.SIGNATORY,
     "Bambang Rahmadhany", "Sekretaris KPU Kota Bontang (penandatangan)"),
    ("bontang.kasubbag", "Indra Lesmana", "64.74.sekretariat.keuangan", Role.SIGNATORY,
     "Indra Lesmana", "Kasubbag Keuangan, Umum dan Logistik (penandatangan)"),
    ("bontang.admin", "Admin KPU Kota Bontang", "64.74", Role.ADMINISTRATOR, None,
     "Administrator unit KPU Kota Bontang"),
    ("sorong.operator", "Operator Sekretariat Sorong", "96.71.sekretariat", Role.OPERATOR,
     None, "Operator Sekretariat KPU Kota Sorong"),
    ("sorong.ketua", "BALTHASAR BERTH KAMBUAYA", "96.71", Role.SIGNATORY,
     "BALTHASAR BERTH KAMBUAYA", "Ketua KPU Kota Sorong (penandatangan)"),
    ("kaltim.kompilasi", "Operator Kompilasi Kaltim", "64", Role.COMPILER, None,
     "Operator kompilasi KPU Provinsi Kalimantan Timur"),
    ("perencanaan.reviewer", "Reviewer Biro Perencanaan", "setjen.biro-perencanaan",
     Role.REVIEWER_PERENCANAAN, None, "Reviewer Biro Perencanaan KPU (nasional)"),
    ("inspektorat.reviewer", "Reviewer Inspektorat", "setjen.inspektorat",
     Role.REVIEWER_INSPEKTORAT, None, "Reviewer Inspektorat Utama KPU (nasional)"),
]  # fmt: skip


@transaction.atomic
def load_demo_officials() -> dict[str, Official]:
    """The national units, the seeds' letterheads and officials; no login is touched (the
    bench scripts use this, so that a benchmark never resets a demo password)."""
    load_national_units()
    for code, letterhead in LETTERHEADS.items():
        Unit.objects.filter(satker__code=code).update(**letterhead)
    officials = {}
    for unit_code, name, nip, start in OFFICIALS:
        official, _ = Official.objects.get_or_create(name=name, defaults={"nip": nip})
        officials[name] = official
        position = Position.objects.exclude(kind="anggota").get(unit__code=unit_code)
        # A database that already has a holder (a copy of real data) keeps it.
        taken = Assignment.objects.filter(position=position, acting=Acting.DEFINITIVE).exists()
        if not taken:
            Assignment.objects.create(
                official=official, position=position, acting=Acting.DEFINITIVE, start_date=start
            )
    return officials


@transaction.atomic
def load_organisation_demo() -> list[tuple[str, str]]:
    """Create what is missing; returns (username, description) of the demo logins."""
    officials = load_demo_officials()
    User = get_user_model()
    admin, _ = User.objects.get_or_create(
        username="admin",
        defaults={"first_name": "Administrator", "is_staff": True, "is_superuser": True},
    )
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    logins = [("admin", "Administrator (semua akses, termasuk /admin/)")]
    for username, full_name, unit_code, role, official_name, description in USERS:
        first, _sep, last = full_name.partition(" ")
        user, _ = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        user.set_password(DEMO_PASSWORD)
        if not user.email:  # notices by e-mail too (written to var/mail/ in the demo)
            user.email = f"{username}@demo.kpu.go.id"
        user.save()
        Membership.objects.get_or_create(
            user=user,
            unit=Unit.objects.get(code=unit_code),
            role=role,
            defaults={"official": officials.get(official_name)},
        )
        if role == Role.SIGNATORY:  # electronic signing asks for a one-time code
            TOTPDevice.objects.get_or_create(
                user=user, confirmed=True, defaults={"name": "Demo", "key": DEMO_OTP_KEY}
            )
        logins.append((username, description))
    return logins
