"""The words people asked about carry their explanation where they appear (issue 17: jargon
without help). In a module of its own: the page-words walk shares a module-wide world whose
PKs would collide with the drafts made here."""

import pytest
from django.urls import reverse

from agreements.drafting import start_agreement
from agreements.models import Agreement
from organisations.models import Role
from tests.factories import load_units, make_user, unit

pytestmark = pytest.mark.django_db


def test_the_words_people_asked_about_are_explained_where_they_appear(client):
    """ "(f)/(g)", "Versi", "revisi", Renstra/RKT/RKA and the budget codes each carry their
    explanation (issue 17: jargon without help)."""
    load_units("64.74")
    agreement = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
    Agreement.objects.filter(pk=agreement.pk).update(revision=2, status="dikembalikan")
    client.force_login(make_user(unit_code="64.74.sekretariat"))

    page = client.get(agreement.get_absolute_url()).content.decode()
    assert '<abbr title="Huruf a–g mengikuti aturan penyusunan PK KPU' in page
    assert '<abbr title="Bertambah satu setiap kali PK dikembalikan' in page
    assert '<abbr title="Rencana Strategis">' in page and '<abbr title="Rencana Kerja' in page
    form = client.get(reverse("agreements:edit", args=[agreement.pk])).content.decode()
    assert "sejak 2025 hanya KPU RI" in form and "Rencana Kinerja Tahunan unit ini" in form
    editor = client.get(reverse("agreements:lampiran", args=[agreement.pk])).content.decode()
    assert "mis. 076.01.WA" in editor and "mis. 6871" in editor
    listing = client.get(reverse("agreements:list")).content.decode()
    assert '<abbr title="Versi 1: PK awal tahun itu' in listing

    client.force_login(make_user(unit_code="64", role=Role.COMPILER))
    province = client.get(reverse("submissions:province", args=["64", 2027])).content.decode()
    assert "f: PK KPU/KIP Kabupaten/Kota (Ketua); g: PK Sekretariatnya" in province
