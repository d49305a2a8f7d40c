"""The PK page's body is cached per viewer and per version of what it shows
(agreements.page_cache): a repeat view costs a few queries whatever the size of the PK, every
change shows on the next view, and no viewer ever gets another's actions, name or CSRF token."""

import dataclasses
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.checks import report_for_page, report_version
from agreements.drafting import start_agreement
from agreements.generations import GLOBAL_GENERATION, flush_pending
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, flatten, replace_lampiran
from agreements.models import Agreement, CheckAcceptance, Notification
from agreements.page_cache import CSRF_PLACEHOLDER, compact, page_agreement
from agreements.workflow import perform
from indicators.targets import parse_target
from organisations.models import Role, Unit, User
from tests.factories import make_subbagian_cast, make_user, unit
from tests.test_signing import approve, sign_as
from tests.test_signing import cast as signing_cast  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

PROGRAMME = ("076.01.WA", "Program Dukungan Manajemen")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def cast():
    return make_subbagian_cast()


def page_url(agreement):
    return reverse("agreements:detail", args=[agreement.pk])


def view(client, agreement) -> str:
    response = client.get(page_url(agreement))
    assert response.status_code == 200
    return response.content.decode()


def queries_of_repeat_view(client, agreement) -> int:
    view(client, agreement)  # renders and caches the body
    with CaptureQueriesContext(connection) as captured:
        view(client, agreement)
    return len(captured)


def rows(count: int) -> list[LampiranRow]:
    made = [
        LampiranRow(INDIKATOR, *PROGRAMME, "", "Pengelolaan Keuangan", f"Sasaran {n // 5}",
                    f"Jumlah laporan keuangan jenis {n}", parse_target("2 laporan"))
        for n in range(count)
    ]  # fmt: skip
    return [*made, LampiranRow(ANGGARAN, *PROGRAMME, anggaran=1_000_000)]


def test_a_repeat_view_costs_the_same_few_queries_for_4_and_40_indicators(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    replace_lampiran(agreement, rows(4))
    agreement.refresh_from_db()
    small = queries_of_repeat_view(client, agreement)
    replace_lampiran(agreement, rows(40))
    agreement.refresh_from_db()
    page = view(client, agreement)
    assert "Jumlah laporan keuangan jenis 39" in page
    large = queries_of_repeat_view(client, agreement)
    # The session's, the user's (a bare view makes both) and the PK's with all it needs.
    assert small == large == 3


def test_a_repeat_view_reads_neither_memberships_nor_notifications_on_their_own(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    view(client, agreement)
    with CaptureQueriesContext(connection) as captured:
        view(client, agreement)
    firsts = {re.findall(r'FROM "?(\w+)', q["sql"])[0] for q in captured}
    assert firsts == {"django_session", "organisations_user", "agreements_agreement"}


def test_a_repeat_view_does_not_render_the_body_again(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    first = view(client, agreement)
    with CaptureQueriesContext(connection) as captured:
        second = view(client, agreement)
    tables = {table for q in captured for table in re.findall(r'FROM "?(\w+)', q["sql"])}
    # Neither the lampiran, the history nor the check acceptances are read again.
    assert not tables & {"agreements_indicatorrow", "agreements_agreementevent",
                         "agreements_checkacceptance", "auditlog_logentry"}  # fmt: skip
    masked_token = re.compile(r"\b[A-Za-z0-9]{64}\b")  # a new mask on every response
    assert masked_token.sub("", first) == masked_token.sub("", second)


def test_an_edit_of_the_lampiran_shows_on_the_next_view(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    assert "Jumlah Laporan Keuangan" in view(client, agreement)
    edited = flatten(agreement)
    edited[0] = dataclasses.replace(edited[0], indikator="Jumlah laporan BMN tertib")
    replace_lampiran(agreement, edited)
    page = view(client, agreement)
    assert "Jumlah laporan BMN tertib" in page and "Jumlah Laporan Keuangan" not in page


def test_the_statement_data_saved_on_its_form_shows_on_the_next_view(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    assert "Bontang, di sini" not in view(client, agreement)
    agreement.refresh_from_db()
    agreement.place = "Bontang, di sini"
    agreement.save_with_lock(agreement.lock_version)
    assert "Bontang, di sini" in view(client, agreement)


def test_a_transition_shows_on_the_next_view_with_the_viewers_own_actions(cast):
    agreement, users = cast
    drafter, approver = Client(), Client()
    drafter.force_login(users["drafter"])
    approver.force_login(users["approver"])
    before = view(drafter, agreement)
    assert "Ajukan untuk disetujui" in before
    assert "Setujui" not in view(approver, agreement)

    perform(agreement, "submit", users["drafter"])
    after = view(drafter, agreement)
    assert "Ajukan untuk disetujui" not in after and "Tarik kembali" in after
    page = view(approver, agreement)
    assert "workflow-note" in page and "Kembalikan" in page  # the approver's return form
    assert "Tarik kembali" not in page  # the drafter's action, not the approver's


def test_a_return_note_shows_on_the_next_view(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    view(client, agreement)
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "return", users["approver"], note="Target BMN belum lengkap.")
    assert "Target BMN belum lengkap." in view(client, agreement)


def test_an_accepted_warning_shows_on_the_next_view(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    assert "Alasan: Diterima karena alasan uji." not in view(client, agreement)
    warning = report_for_page(agreement).warnings[0]
    CheckAcceptance.objects.create(agreement=agreement, check_name=warning.check,
                                   row_key=warning.row_key, message=warning.message,
                                   reason="Diterima karena alasan uji.",
                                   accepted_by=users["drafter"])  # fmt: skip
    assert "Alasan: Diterima karena alasan uji." in view(client, agreement)


def test_a_signature_shows_on_the_next_view(client, signing_cast):  # noqa: F811
    agreement, users = signing_cast
    approve(agreement, users)
    client.force_login(users["drafter"])
    before = view(client, agreement)
    assert "sudah menandatangani" not in before
    sign_as(agreement, users, "pihak_pertama")
    after = view(client, agreement)
    assert "sudah menandatangani" in after and "Indra Lesmana" in after


def test_a_viewer_never_gets_another_viewers_name_or_csrf_token(cast):
    agreement, users = cast
    colleague = make_user("op.keuangan.dua", unit_code="64.74.sekretariat.keuangan",
                          first_name="Rahmawati", last_name="Kolega")  # fmt: skip
    first, second = Client(), Client()
    first.force_login(colleague)
    second.force_login(users["drafter"])
    page_a = view(first, agreement)
    page_b = view(second, agreement)
    page_a_again = view(first, agreement)  # from the cache
    assert "Rahmawati Kolega" in page_a and "Rahmawati Kolega" not in page_b
    for page, client in ((page_a, first), (page_b, second), (page_a_again, first)):
        assert CSRF_PLACEHOLDER not in page
        secret = client.cookies["csrftoken"].value
        tokens = CSRF_INPUT.findall(page)
        assert len(tokens) >= 2  # the body's forms and the frame's
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_the_token_of_a_cached_body_is_accepted_by_a_post(cast):
    agreement, users = cast
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["drafter"])
    view(client, agreement)
    token = CSRF_INPUT.findall(view(client, agreement))[0]  # from the cached body
    url = reverse("agreements:workflow_action", args=[agreement.pk, "submit"])
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "diajukan"


def test_a_new_membership_changes_the_actions_on_the_next_view(client, cast):
    agreement, users = cast
    viewer = users["compiler"]
    client.force_login(viewer)
    assert "Ajukan untuk disetujui" not in view(client, agreement)
    viewer.memberships.create(unit=agreement.unit, role=Role.OPERATOR)
    assert "Ajukan untuk disetujui" in view(client, agreement)


def download(client, agreement, part="lampiran"):
    response = client.get(reverse("agreements:document_pdf", args=[agreement.pk, part]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def queries_of_repeat_download(client, agreement) -> int:
    download(client, agreement)  # renders and stores the PDF
    with CaptureQueriesContext(connection) as captured:
        download(client, agreement)
    return len(captured)


def test_a_stored_pdf_is_found_with_the_same_few_queries_for_4_and_40_indicators(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    replace_lampiran(agreement, rows(4))
    small = queries_of_repeat_download(client, agreement)
    replace_lampiran(agreement, rows(40))
    large = queries_of_repeat_download(client, agreement)
    assert small == large <= 5


def test_a_stored_pdf_is_not_served_after_a_change(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    before = download(client, agreement, "pernyataan")
    assert download(client, agreement, "pernyataan") == before
    agreement.refresh_from_db()
    agreement.place = "Bontang Utara"
    agreement.save_with_lock(agreement.lock_version)
    after = download(client, agreement, "pernyataan")
    assert after != before
    assert download(client, agreement, "pernyataan") == after


def test_a_message_shows_once_on_a_cached_page(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    view(client, agreement)
    url = reverse("agreements:workflow_action", args=[agreement.pk, "submit"])
    done = "PK diajukan kepada pejabat penyetuju."
    assert done in client.post(url, follow=True).content.decode()
    view(client, agreement)  # the page without the message is cached now
    assert done not in view(client, agreement)


def test_a_new_notification_shows_in_the_menu_of_a_cached_page(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    assert "belum dibaca" not in view(client, agreement)
    Notification.objects.create(user=users["drafter"], agreement=agreement, message="Uji")
    assert "belum dibaca" in view(client, agreement)


def test_the_unit_check_of_the_pk_page_agrees_with_the_scoped_query(cast):
    _agreement, users = cast
    reviewer = make_user("perencanaan", unit_code="64.74", role=Role.REVIEWER_PERENCANAAN)
    inactive = make_user("mantan", unit_code="64.74.sekretariat.keuangan", is_active=False)
    superuser = make_user("admin.pusat", is_superuser=True)
    units = list(Unit.objects.all())
    for user in [*users.values(), reviewer, inactive, superuser]:
        scoped = set(Unit.objects.visible_to(user))
        assert {unit for unit in units if unit.is_visible_to(user)} == scoped, user


def test_a_notification_marked_read_leaves_the_menu_of_a_cached_page(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    notice = Notification.objects.create(user=users["drafter"], agreement=agreement, message="Uji")
    assert "belum dibaca" in view(client, agreement)
    assert "belum dibaca" in view(client, agreement)  # from the cache
    client.post(reverse("agreements:notification_read", args=[notice.pk]))
    assert "belum dibaca" not in view(client, agreement)


def test_marking_all_read_leaves_the_menu_of_a_cached_page(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    for message in ("Satu", "Dua"):
        Notification.objects.create(user=users["drafter"], agreement=agreement, message=message)
    assert "belum dibaca" in view(client, agreement)
    assert "belum dibaca" in view(client, agreement)  # from the cache
    client.post(reverse("agreements:notifications_read_all"))  # one UPDATE, no signal
    assert "belum dibaca" not in view(client, agreement)


def test_notifications_written_in_bulk_by_a_transition_show_in_the_menu(cast):
    agreement, users = cast
    approver = Client()
    approver.force_login(users["approver"])
    assert "belum dibaca" not in view(approver, agreement)
    perform(agreement, "submit", users["drafter"])  # deliver(): bulk_create, no signal
    assert "belum dibaca" in view(approver, agreement)


def test_one_users_unread_count_never_shows_on_anothers_page(cast):
    agreement, users = cast
    Notification.objects.create(user=users["drafter"], agreement=agreement, message="Uji")
    drafter, colleague = Client(), Client()
    drafter.force_login(users["drafter"])
    colleague.force_login(users["secretariat_operator"])
    assert "belum dibaca" in view(drafter, agreement)
    assert "belum dibaca" not in view(colleague, agreement)
    assert "belum dibaca" in view(drafter, agreement)


def test_a_deactivated_membership_makes_the_pk_a_404_on_the_next_view(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    view(client, agreement)
    view(client, agreement)  # memberships and page from the cache
    membership = users["drafter"].memberships.get()
    membership.is_active = False
    membership.save()
    assert client.get(page_url(agreement)).status_code == 404


def test_a_deleted_membership_makes_the_pk_a_404_on_the_next_view(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    view(client, agreement)
    users["drafter"].memberships.all().delete()
    assert client.get(page_url(agreement)).status_code == 404


def test_a_new_role_shows_in_the_menu_of_a_cached_page(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    compile_link = f'href="{reverse("submissions:province_home")}"'
    assert compile_link not in view(client, agreement)
    assert compile_link not in view(client, agreement)  # from the cache
    users["drafter"].memberships.create(unit=unit("64"), role=Role.COMPILER)
    assert compile_link in view(client, agreement)


def test_one_users_cached_memberships_never_let_another_see_the_pk(cast):
    agreement, users = cast
    insider, outsider = Client(), Client()
    insider.force_login(users["drafter"])
    outsider.force_login(users["outsider"])
    view(insider, agreement)
    view(insider, agreement)
    assert outsider.get(page_url(agreement)).status_code == 404
    view(insider, agreement)


def test_a_user_saved_without_a_change_pages_show_drops_no_cached_page(cast):
    """A login, a new password or muted e-mails change nothing a page shows: in the last week
    of January they must not drop every cached PK page of the nation."""
    _agreement, users = cast

    def global_generation() -> str:
        flush_pending()
        return cache.get(GLOBAL_GENERATION)

    before = global_generation()
    user = User.objects.get(pk=users["outsider"].pk)
    user.set_password("kata-sandi-baru-2027")
    user.email_muted = ["reviu"]
    user.save()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    User.objects.create_user("pengguna-baru", password="kata-sandi-baru-2027")  # on no page
    assert global_generation() == before
    user.last_name = "Baru"
    user.save()
    assert global_generation() != before
    renamed = global_generation()
    User.objects.only("pk").get(pk=user.pk).save()  # what it changed cannot be told
    assert global_generation() != renamed


def looked_up(agreement, user, pk=None) -> Agreement:
    request = RequestFactory().get(page_url(agreement))
    request.user = user
    return page_agreement(request, agreement.pk if pk is None else pk)


def family_version(agreement, user) -> str:
    return looked_up(agreement, user).page_family_version


def test_the_pages_own_statement_reads_the_pk_and_its_unit_as_the_orm_does(cast):
    agreement, users = cast
    agreement.sign_date = agreement.created_at.date()
    agreement.save()
    Notification.objects.create(user=users["drafter"], agreement=agreement, message="Uji")
    found = looked_up(agreement, users["drafter"])
    expected = Agreement.objects.select_related("unit").get(pk=agreement.pk)
    for model, read, orm in ((Agreement, found, expected), (Unit, found.unit, expected.unit)):
        for field in model._meta.concrete_fields:
            assert getattr(read, field.attname) == getattr(orm, field.attname), field
            assert type(getattr(read, field.attname)) is type(getattr(orm, field.attname))
    assert found.page_unread == 1
    assert not found._state.adding and found.unit.pk == agreement.unit_id


@pytest.mark.postgres
def test_postgresql_plans_the_pages_statement_once_per_connection(client, cast):
    """Planning the statement (the family version's subqueries) cost PostgreSQL three times
    running it, on every view: prepared on the first view of each connection instead."""
    agreement, users = cast
    client.force_login(users["drafter"])

    def prepared() -> list[tuple[str, int]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements"
                " WHERE statement LIKE %s",
                ["%agreements_notification%"],
            )
            return cursor.fetchall()

    view(client, agreement)
    first = prepared()
    for _ in range(3):
        page = view(client, agreement)
    assert str(agreement.unit) in page
    again = prepared()
    assert len(first) == len(again) == 1, "one statement, prepared once"
    assert again[0][1] == first[0][1] + 3, "and run prepared on each later view"


def test_a_pk_that_does_not_exist_or_is_not_visible_is_a_404(cast):
    agreement, users = cast
    with pytest.raises(Http404):
        looked_up(agreement, users["drafter"], pk=agreement.pk + 1000)
    with pytest.raises(Http404):
        looked_up(agreement, users["outsider"])


def test_the_pages_family_version_moves_whenever_the_check_reports_version_does(cast):
    agreement, users = cast
    seen = [(report_version(agreement), family_version(agreement, users["drafter"]))]
    parent = start_agreement(unit("64.74.sekretariat"), agreement.year)  # a PK in the family
    seen.append((report_version(agreement), family_version(agreement, users["drafter"])))
    parent.touch()  # a lampiran edit of the parent: a plain UPDATE of its lock version
    seen.append((report_version(agreement), family_version(agreement, users["drafter"])))
    parent.delete()
    seen.append((report_version(agreement), family_version(agreement, users["drafter"])))
    other_year = start_agreement(unit("64.74.sekretariat"), agreement.year + 1)  # not family
    other_year.touch()
    seen.append((report_version(agreement), family_version(agreement, users["drafter"])))
    moves = [(a[0] != b[0], a[1] != b[1]) for a, b in zip(seen, seen[1:], strict=False)]
    assert moves == [(True, True), (True, True), (True, True), (False, False)]


def test_the_cached_page_drops_the_indentation_between_tags_but_never_inside_a_textarea():
    rendered = "<ul>\n      <li>Sasaran  satu</li>\n      <li>dua</li>\n</ul>"
    assert compact(rendered) == "<ul> <li>Sasaran  satu</li> <li>dua</li>\n</ul>"
    with_note = '<div>\n    <textarea name="catatan">\n  <b>baris</b>\n  </textarea>\n</div>'
    assert compact(with_note) == with_note
