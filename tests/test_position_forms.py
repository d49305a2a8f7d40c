"""The long and the short form of a position on the PK's signature block: the operator picks
one as the starting text, corrects its casing by typing, and nothing is shouted in capitals
unless typed so (issue 15)."""

import pytest
from django.urls import reverse

from agreements.documents import render_html
from agreements.drafting import start_agreement
from agreements.forms import StatementForm
from agreements.models import Agreement
from organisations.signatories import unshouted
from tests.factories import appoint, load_units, make_official, make_user, unit

pytestmark = pytest.mark.django_db

LONG = "KETUA KOMISI PEMILIHAN UMUM KOTA BONTANG"
SHORT = "Ketua KPU Kota Bontang"


@pytest.fixture
def agreement():
    load_units("64.74")
    position = appoint("64.74", make_official("Muzarroby Renfly")).position
    position.title, position.short_title = LONG, SHORT
    position.save()
    return start_agreement(unit("64.74"), 2027)


def post(agreement, **changes):
    """The statement form as the page posts it: its current values, then `changes`."""
    form = StatementForm(instance=agreement)
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data.update(changes)
    form = StatementForm(data, instance=Agreement.objects.get(pk=agreement.pk))
    assert form.is_valid(), form.errors
    form.instance.save_with_lock(form.cleaned_data["lock_version"])
    return Agreement.objects.get(pk=agreement.pk)


def test_the_form_offers_the_long_and_the_short_form_without_capitals(agreement):
    choices = dict(StatementForm(instance=agreement).fields["pihak_pertama_position_form"].choices)
    assert "Ketua Komisi Pemilihan Umum Kota Bontang" in choices["long"]
    assert SHORT in choices["short"]
    assert LONG not in " ".join(str(label) for label in choices.values())


def test_choosing_the_short_form_fills_the_signature_block_line(agreement):
    saved = post(agreement, pihak_pertama_position_form="short")
    assert saved.pihak_pertama_signature_position == SHORT
    block = render_html(saved, "pernyataan").split('<table class="signatures', 1)[1]
    assert SHORT in block and LONG not in block


def test_choosing_the_long_form_prints_it_in_ordinary_case(agreement):
    saved = post(agreement, pihak_pertama_position_form="long")
    assert saved.pihak_pertama_signature_position == "Ketua Komisi Pemilihan Umum Kota Bontang"


def test_a_casing_typed_over_the_chosen_form_is_kept(agreement):
    saved = post(
        agreement,
        pihak_pertama_position_form="short",
        pihak_pertama_signature_position="KETUA KPU Kota Bontang",
    )
    assert saved.pihak_pertama_signature_position == "KETUA KPU Kota Bontang"
    # Saved again without choosing, the typed casing stays.
    again = post(saved)
    assert again.pihak_pertama_signature_position == "KETUA KPU Kota Bontang"


def test_text_typed_without_choosing_a_form_is_kept_as_typed(agreement):
    saved = post(agreement, pihak_pertama_signature_position="ketua kpu kota bontang")
    assert saved.pihak_pertama_signature_position == "ketua kpu kota bontang"


def test_a_title_in_capitals_is_offered_in_ordinary_case_and_other_casing_is_kept():
    assert unshouted("SEKRETARIS KPU KOTA SORONG") == "Sekretaris KPU Kota Sorong"
    assert unshouted("KEPALA SUBBAGIAN KEUANGAN DAN UMUM") == "Kepala Subbagian Keuangan dan Umum"
    assert unshouted("Ketua KPU kota Bontang") == "Ketua KPU kota Bontang"


def test_the_statement_page_offers_the_choice_as_a_plain_select_and_saves_it(agreement, client):
    client.force_login(make_user("op.bontang", unit_code="64.74"))
    address = reverse("agreements:edit", args=[agreement.pk])
    page = client.get(address).content.decode()
    assert 'name="pihak_pertama_position_form"' in page and "<select" in page
    data = {"lock_version": agreement.lock_version, "place": "Bontang", "sign_date": ""}
    data["pihak_pertama_position_form"] = "short"
    response = client.post(address, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement.refresh_from_db()
    assert agreement.pihak_pertama_signature_position == SHORT
