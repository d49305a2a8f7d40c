"""Unit pages and the unit administrator's user page, with the three standard actors:
a user of the owning office (Bontang), one of the same province (Samarinda), an outsider
(Sorong)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from organisations.models import Membership, Role, Unit
from tests.factories import appoint, load_units, make_official, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    load_units("64.74", "64.72", "96.71")
    appoint("64.74", make_official("Muzarroby Renfly"))
    appoint("64.74.sekretariat", make_official("Bambang Rahmadhany"))


def unit_url(code):
    return reverse("organisations:unit_detail", args=[code])


@pytest.mark.parametrize(
    ("member_of", "role", "code", "status"),
    [
        ("64.74.sekretariat", Role.OPERATOR, "64.74.sekretariat.keuangan", 200),
        ("64.74.sekretariat", Role.OPERATOR, "64.74", 200),
        ("64.74.sekretariat", Role.OPERATOR, "64.72.sekretariat", 404),  # same province
        ("64.74.sekretariat", Role.OPERATOR, "96.71", 404),  # outsider
        ("64.74.sekretariat", Role.OPERATOR, "64", 404),
        ("64", Role.COMPILER, "64.72.sekretariat.keuangan", 200),
        ("64", Role.COMPILER, "96.71", 404),
        ("setjen.biro-perencanaan", Role.REVIEWER_PERENCANAAN, "96.71.sekretariat", 200),
        ("setjen.inspektorat", Role.REVIEWER_INSPEKTORAT, "64.74", 200),
    ],
)
def test_units_are_visible_only_within_scope(client, offices, member_of, role, code, status):
    client.force_login(make_user(unit_code=member_of, role=role))
    assert client.get(unit_url(code)).status_code == status


def test_the_unit_page_shows_the_signatory_pair(client, offices):
    client.force_login(make_user(unit_code="64.74.sekretariat"))
    html = client.get(unit_url("64.74.sekretariat")).content.decode()
    assert "Bambang Rahmadhany" in html and "Muzarroby Renfly" in html
    assert "g. PK Sekretariat KPU/KIP Kabupaten/Kota" in html


def test_the_unit_page_says_when_a_post_is_vacant(client, offices):
    client.force_login(make_user(unit_code="64.74.sekretariat"))
    html = client.get(unit_url("64.74.sekretariat.keuangan")).content.decode()
    assert "Tidak ada pejabat yang menjabat sebagai pimpinan" in html


def test_an_inactive_membership_sees_nothing(client, offices):
    user = make_user(unit_code="64.74.sekretariat")
    Membership.objects.filter(user=user).update(is_active=False)
    client.force_login(user)
    assert client.get(unit_url("64.74")).status_code == 404


def test_anonymous_users_are_sent_to_login(client, offices):
    response = client.get(unit_url("64.74"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_unit_administrator_adds_a_user_to_their_office(client, offices):
    client.force_login(make_user("admin.bontang", unit_code="64.74", role=Role.ADMINISTRATOR))
    page = client.get(reverse("organisations:unit_users"))
    assert page.status_code == 200
    units = page.context["form"].fields["unit"].queryset
    assert set(units.values_list("satker__code", flat=True)) == {"64.74"}
    response = client.post(
        reverse("organisations:unit_users"),
        {
            "username": "op.keuangan",
            "full_name": "Operator Keuangan",
            "email": "op@bontang.example",
            "unit": units.get(code="64.74.sekretariat.keuangan").pk,
            "role": Role.OPERATOR,
            "password": "kata-sandi-awal-2026",
        },
    )
    assert response.status_code == 302
    member = Membership.objects.get(user__username="op.keuangan")
    assert member.unit.code == "64.74.sekretariat.keuangan" and member.role == Role.OPERATOR


def test_a_unit_administrator_cannot_add_to_another_office(client, offices):
    client.force_login(make_user(unit_code="64.74", role=Role.ADMINISTRATOR))
    response = client.post(
        reverse("organisations:unit_users"),
        {
            "username": "penyusup",
            "full_name": "Penyusup",
            "email": "x@example.com",
            "unit": Unit.objects.get(code="96.71.sekretariat").pk,
            "role": Role.OPERATOR,
            "password": "kata-sandi-awal-2026",
        },
    )
    assert response.status_code == 400
    assert not get_user_model().objects.filter(username="penyusup").exists()


def test_a_signatory_needs_an_official_and_input_is_kept(client, offices):
    client.force_login(make_user(unit_code="64.74", role=Role.ADMINISTRATOR))
    response = client.post(
        reverse("organisations:unit_users"),
        {
            "username": "ttd",
            "full_name": "Nama Yang Diketik",
            "email": "ttd@example.com",
            "unit": Unit.objects.get(code="64.74").pk,
            "role": Role.SIGNATORY,
            "password": "kata-sandi-awal-2026",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pilih pejabat yang diwakili penandatangan ini." in html
    assert 'value="Nama Yang Diketik"' in html


def test_an_operator_cannot_manage_users(client, offices):
    client.force_login(make_user(unit_code="64.74.sekretariat"))
    assert client.get(reverse("organisations:unit_users")).status_code == 403


def test_membership_toggle_is_post_only_and_scoped(client, offices):
    admin = make_user(unit_code="64.74", role=Role.ADMINISTRATOR)
    own = make_user(unit_code="64.74.sekretariat")
    foreign = make_user(unit_code="96.71.sekretariat")
    client.force_login(admin)
    own_m = Membership.objects.get(user=own)
    url = reverse("organisations:membership_toggle", args=[own_m.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    own_m.refresh_from_db()
    assert own_m.is_active is False
    foreign_url = reverse(
        "organisations:membership_toggle", args=[Membership.objects.get(user=foreign).pk]
    )
    assert client.post(foreign_url).status_code == 404


def test_admin_list_pages_load_for_a_superuser(admin_client, offices):
    for model in ["unit", "official", "position", "assignment", "membership", "user"]:
        response = admin_client.get(f"/admin/organisations/{model}/")
        assert response.status_code == 200, model
    kaltim = Unit.objects.get(code="64")
    response = admin_client.get(f"/admin/organisations/unit/?province={kaltim.pk}")
    assert "KPU Kota Bontang" in response.content.decode()
    assert "KPU Kota Sorong" not in response.content.decode()
