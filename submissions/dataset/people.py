"""The people of the dataset: the generator's own user, the demo reviewers, and plausible
names and NIPs for the officials who sign each PK."""

import datetime
import random

from django.contrib.auth import get_user_model

from organisations.models import Membership, Role, Unit

GENERATOR_USERNAME = "generator.dataset"
REVIEWERS = (
    ("dataset.perencanaan", "setjen.biro-perencanaan", Role.REVIEWER_PERENCANAAN),
    ("dataset.inspektorat", "setjen.inspektorat", Role.REVIEWER_INSPEKTORAT),
)
FIRST_NAMES = (
    "Agus",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fitri",
    "Gita",
    "Hadi",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Made",
    "Nur",
    "Oktaviani",
    "Putu",
    "Rahmat",
    "Sri",
    "Teguh",
    "Umar",
    "Wayan",
    "Yohanes",
    "Zainal",
    "Maria",
    "Abdul",
    "Siti",
    "Bambang",
    "Ratna",
    "Hendra",
    "Yuliana",
)
LAST_NAMES = (
    "Saputra",
    "Wijaya",
    "Siregar",
    "Nasution",
    "Lubis",
    "Pratama",
    "Hidayat",
    "Kurniawan",
    "Santoso",
    "Wibowo",
    "Rumbiak",
    "Kambuaya",
    "Manurung",
    "Daulay",
    "Setiawan",
    "Harahap",
    "Sinaga",
    "Tanjung",
    "Lestari",
    "Rahman",
    "Mandagi",
    "Pattipeilohy",
    "Ginting",
    "Purba",
    "Suryani",
    "Halim",
)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def random_nip(rng: random.Random) -> str:
    born = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(9000))
    appointed = (rng.randint(1990, 2018), rng.randint(1, 12))
    return (
        f"{born:%Y%m%d}{appointed[0]:04d}{appointed[1]:02d}{rng.choice('12')}"
        f"{rng.randint(1, 999):03d}"
    )


def generator_users():
    users = get_user_model().objects
    generator, _ = users.get_or_create(
        username=GENERATOR_USERNAME,
        defaults={"first_name": "Generator", "last_name": "data demo", "is_active": False},
    )
    reviewers = []
    for username, unit_code, role in REVIEWERS:
        reviewer, created = users.get_or_create(
            username=username, defaults={"first_name": "Reviewer", "last_name": "(data demo)"}
        )
        if created:
            reviewer.set_unusable_password()
            reviewer.save(update_fields=["password"])
        unit = Unit.objects.filter(code=unit_code).first()
        if unit:
            Membership.objects.get_or_create(user=reviewer, unit=unit, role=role)
        reviewers.append(reviewer)
    return generator, reviewers
