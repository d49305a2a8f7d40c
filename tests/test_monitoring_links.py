"""The PK page and the quarter form link to the quarter's measurement table once it has data."""

import pytest
from django.urls import reverse

from tests.test_monitoring_views import cast, form_data, in_q1_window, url  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_measurement_table_is_one_click_from_the_pk_and_the_quarter(client, cast):  # noqa: F811
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    pdf = reverse("monitoring_reports:measurement_pdf", args=[agreement.pk, 1])
    xlsx = reverse("monitoring_reports:measurement_xlsx", args=[agreement.pk, 1])
    assert pdf not in client.get(url(agreement)).content.decode()  # nothing reported yet
    client.post(url(agreement), form_data(agreement, ["95,5", "1", "WDP", "12"]))
    for page in (url(agreement), agreement.get_absolute_url()):
        html = client.get(page).content.decode()
        assert f'href="{pdf}"' in html and f'href="{xlsx}"' in html, page
    response = client.get(pdf)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
