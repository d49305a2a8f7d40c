"""The statement wording as data: per kind of PK and year range, edited by KPU in the admin
with a preview, versioned so that a signed PK keeps the wording it was signed with."""

import datetime

import pytest
from django.core.files.base import ContentFile

from agreements import documents
from agreements.drafting import start_agreement
from agreements.models import SignedDocument, StatementTemplate
from tests.factories import appoint, load_units, make_official, make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    load_units("64.74", "96.71")
    appoint("64.74", make_official("Muzarroby Renfly"))
    appoint("64.74.sekretariat", make_official("Bambang Rahmadhany"))
    appoint("96.71", make_official("BALTHASAR BERTH KAMBUAYA"))


def pk(code: str, year: int):
    return start_agreement(unit(code), year, sign_date=datetime.date(year, 1, 15))


def test_each_year_and_kind_has_its_shipped_wording(offices):
    pair_2024 = StatementTemplate.objects.for_pk(2024, single=False)
    pair_2026 = StatementTemplate.objects.for_pk(2026, single=False)
    single_2024 = StatementTemplate.objects.for_pk(2024, single=True)
    assert "Selaku atasan langsung Pihak Pertama" in pair_2024.pihak_kedua_role
    assert "akan melakukan supervisi" in pair_2024.supervision
    assert "memberikan supervisi" in pair_2026.supervision
    assert "evaluasi akuntabilitas kinerja terhadap" in pair_2026.supervision
    assert single_2024.wording()["commitment"][1].startswith("Keberhasilan dan kegagalan")
    assert StatementTemplate.objects.for_pk(2031, single=False) == pair_2026


def test_a_signed_document_keeps_its_wording_when_kpu_edits_it(client, offices, settings):
    agreement = pk("64.74.sekretariat", 2026)
    document = SignedDocument(
        agreement=agreement, revision=agreement.revision, method="elektronik", sha256="0" * 64
    )
    document.file.save("pk.pdf", ContentFile(b"%PDF-1.7"), save=False)
    document.save()
    original = StatementTemplate.objects.for_pk(2026, single=False)
    assert document.statement_template == original

    admin = make_user("kpu.admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/admin/agreements/statementtemplate/{original.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(single="on" if original.single else "", year_to="")
    data["supervision"] = "Pihak kedua akan membina pihak pertama."
    response = client.post(url, {k: v for k, v in data.items() if v != ""})
    assert response.status_code == 302

    original.refresh_from_db()
    assert "memberikan supervisi" in original.supervision  # the signed version is unchanged
    newest = StatementTemplate.objects.for_pk(2026, single=False)
    assert newest.version == 2 and newest.supervision == "Pihak kedua akan membina pihak pertama."
    html = documents.render_html(agreement, "pernyataan")
    assert "memberikan supervisi" in html and "membina" not in html
    other = pk("64.74.sekretariat.keuangan", 2026)
    assert "Pihak kedua akan membina pihak pertama." in documents.render_html(other, "pernyataan")


def test_kpu_previews_a_wording_with_sample_data_or_a_chosen_pk(client, offices):
    admin = make_user("kpu.admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    template = StatementTemplate.objects.for_pk(2024, single=False)
    url = f"/admin/agreements/statementtemplate/{template.pk}/pratinjau/"
    sample = client.get(url).content.decode()
    assert "Selaku atasan langsung Pihak Pertama" in sample and "Nama Pihak Pertama" in sample
    agreement = pk("64.74.sekretariat", 2026)
    chosen = client.get(url, {"pk": agreement.pk}).content.decode()
    assert "Bambang Rahmadhany" in chosen and "Selaku atasan langsung" in chosen
    assert client.get(url, {"pk": 999999}).status_code == 404


def test_only_staff_reach_the_preview(client, offices):
    template = StatementTemplate.objects.for_pk(2026, single=True)
    url = f"/admin/agreements/statementtemplate/{template.pk}/pratinjau/"
    client.force_login(make_user("operator", unit_code="64.74.sekretariat"))
    assert client.get(url).status_code == 302  # to the admin login
