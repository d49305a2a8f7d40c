"""One planning year (agreements/planning.py) for "Buat PK", the DIPA page, the Kompilasi, the
national review and the home page, and year links that reach every year with data."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import strip_tags

from agreements.drafting import start_agreement
from agreements.planning import planning_year, years_to_offer
from organisations.models import Role
from submissions.models import Dipa
from tests.factories import load_units, make_user, unit

pytestmark = pytest.mark.django_db

# 10:00 WIB on each day.
IN_JUNE = datetime.datetime(2027, 6, 15, 3, tzinfo=datetime.UTC)  # 2027's PKs: late, amended
IN_NOVEMBER = datetime.datetime(2026, 11, 10, 3, tzinfo=datetime.UTC)  # 2027's PKs drafted


def test_next_years_pks_are_planned_from_october_on():
    assert planning_year(datetime.date(2026, 1, 31)) == 2026
    assert planning_year(datetime.date(2026, 9, 30)) == 2026
    assert planning_year(datetime.date(2026, 10, 1)) == 2027
    assert planning_year(datetime.date(2026, 12, 31)) == 2027


def test_the_years_offered_are_those_with_data_the_planning_year_and_the_one_shown():
    today = datetime.date(2026, 11, 10)
    assert years_to_offer([2022, 2026, 2022, None], today) == [2022, 2026, 2027]
    assert years_to_offer([], today, shown=2030) == [2027, 2030]


@pytest.fixture
def people():
    load_units("64.74")
    return {
        "operator": make_user("op.bontang", unit_code="64.74.sekretariat"),
        "compiler": make_user("kompilasi.kaltim", unit_code="64", role=Role.COMPILER),
        "reviewer": make_user("perencanaan", unit_code="setjen.biro-perencanaan",
                              role=Role.REVIEWER_PERENCANAAN),
    }  # fmt: skip


@pytest.mark.parametrize("now, expected", [(IN_JUNE, 2027), (IN_NOVEMBER, 2027)])
def test_every_form_and_page_starts_at_the_planning_year(client, people, now, expected):
    with time_machine.travel(now, tick=False):
        client.force_login(people["operator"])
        form = client.get(reverse("agreements:list")).context["form"]
        assert form["year"].value() == expected
        dipa = client.get(reverse("dipa_list"))
        assert dipa.context["year"] == expected
        home = strip_tags(client.get(reverse("home")).content.decode())
        assert f"tahun {expected}" in home and f"tahun {expected + 1}" not in home

        client.force_login(people["compiler"])
        assert client.get(reverse("submissions:province_home")).url == reverse(
            "submissions:province", args=["64", expected]
        )
        client.force_login(people["reviewer"])
        assert client.get(reverse("review_home")).url == reverse(
            "review_dashboard", args=[expected]
        )


def test_in_june_a_year_later_nothing_points_at_the_year_after(client, people):
    """The old rule sent everyone to next year's pages from April: an operator making this
    year's PK Perubahan in June found next year in the form."""
    with time_machine.travel(IN_JUNE, tick=False):
        client.force_login(people["operator"])
        assert client.get(reverse("dipa_list")).context["year"] == 2027
        page = client.get(reverse("agreements:list")).content.decode()
        assert 'value="2027"' in page and 'value="2028"' not in page


@time_machine.travel(IN_NOVEMBER, tick=False)
def test_year_links_reach_every_year_with_data_not_only_the_adjacent_ones(client, people):
    Dipa.objects.create(unit=unit("64.74.sekretariat"), year=2022, number="SP DIPA-2022",
                        ratified_on=datetime.date(2021, 12, 6))  # fmt: skip
    start_agreement(unit("64.74"), 2023)
    start_agreement(unit("64.74.sekretariat"), 2024)

    client.force_login(people["operator"])
    page = client.get(reverse("dipa_list_year", args=[2025])).content.decode()
    for year in (2022, 2027):
        assert f'href="{reverse("dipa_list_year", args=[year])}"' in page
    assert 'aria-current="page">2025<' in page
    assert f'href="{reverse("dipa_list_year", args=[2026])}"' not in page  # nothing there

    client.force_login(people["compiler"])
    page = client.get(reverse("submissions:province", args=["64", 2027])).content.decode()
    for year in (2023, 2024):
        assert f'href="{reverse("submissions:province", args=["64", year])}"' in page
    assert 'aria-current="page">2027<' in page

    client.force_login(people["reviewer"])
    page = client.get(reverse("review_dashboard", args=[2023])).content.decode()
    for year in (2024, 2027):
        assert f'href="{reverse("review_dashboard", args=[year])}"' in page
