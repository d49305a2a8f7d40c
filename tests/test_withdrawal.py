"""Taking back ("Tarik kembali") a delivery its receiver has not acted on yet: a Kab/Kota PK
delivered to its KPU Provinsi, and a compilation the Provinsi sent to KPU
(submissions/withdrawal.py). Both sides: the sender's page and refusal, the receiver's queue and
notice."""

import datetime

import pytest
from django.urls import reverse

from agreements.history import timeline
from agreements.models import Agreement, AgreementEvent, Notification
from submissions.models import Compilation, Decision, Submission
from submissions.services import SubmissionRefused, decide, submit
from submissions.withdrawal import withdraw_delivery
from tests.test_compilation import YEAR, built_compilation, kaltim, page_url  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_in_this_process(eager_celery):
    yield


def withdraw_url(submission):
    return reverse("submission_withdraw", args=[submission.pk])


def compilation_withdraw_url(compilation):
    return reverse("submissions:compilation_withdraw", args=[compilation.pk])


def notices(user):
    return list(Notification.objects.filter(user=user).order_by("pk"))


# --- a PK delivered to its KPU Provinsi -----------------------------------------------------
def test_a_delivery_nobody_acted_on_is_taken_back_with_history_and_the_compiler_is_told(
    client,
    kaltim,  # noqa: F811
):
    submission = kaltim["f_balikpapan"]
    agreement = submission.agreement
    compiler = kaltim["compiler"]
    arrival = [n for n in notices(compiler) if n.agreement_id == agreement.pk]
    assert len(arrival) == 1 and arrival[0].read_at is None  # told of the delivery

    client.force_login(kaltim["regency_operator"])
    page = client.get(agreement.get_absolute_url()).content.decode()
    form_start = page.index(f'action="{withdraw_url(submission)}"')
    assert "data-confirm=" in page[form_start : page.index(">", form_start)]
    response = client.post(withdraw_url(submission), follow=True)

    assert "Penyampaian ditarik kembali" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == "ditandatangani"
    assert not Submission.objects.filter(pk=submission.pk).exists()
    event = agreement.events.order_by("-pk").first()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "withdraw_delivery", "disampaikan", "ditandatangani", kaltim["regency_operator"])  # fmt: skip
    assert timeline(agreement)[0].title == "Penyampaian ditarik kembali (Ditandatangani)"

    # The receiver: the old notice no longer waits, a new one says why; the queue is updated.
    told = [n for n in notices(compiler) if n.agreement_id == agreement.pk]
    assert told[0].read_at is not None
    assert len(told) == 2 and "ditarik kembali" in told[1].message and told[1].read_at is None
    client.force_login(compiler)
    overview = client.get(page_url()).context["overview"]
    assert submission.pk not in [pk.submission.pk for pk in overview.ready_to_compile]


def test_a_pk_taken_back_can_be_delivered_again(kaltim):  # noqa: F811
    submission = kaltim["f_balikpapan"]
    withdraw_delivery(submission, kaltim["regency_operator"])
    again = submit(submission.agreement, kaltim["regency_operator"])
    assert again.revision == submission.revision and again.agreement.status == "disampaikan"


@pytest.mark.parametrize(
    "acted, message",
    [
        ({"hardcopy_received_on": datetime.date(2027, 1, 22)}, "sudah mencatat hardcopy"),
        ({"archive_location": "Lemari 3"}, "sudah mencatat hardcopy"),
        ({"decision": Decision.ACCEPTED}, "sudah diterima"),
        ({"decision": Decision.RETURNED}, "sudah dikembalikan"),
    ],
)
def test_it_is_refused_with_the_reason_once_the_receiver_acted(client, kaltim, acted, message):  # noqa: F811
    submission = kaltim["f_balikpapan"]
    Submission.objects.filter(pk=submission.pk).update(**acted)
    client.force_login(kaltim["regency_operator"])
    page = client.get(submission.agreement.get_absolute_url()).content.decode()
    assert withdraw_url(submission) not in page  # not offered

    response = client.post(withdraw_url(submission), follow=True)
    assert "tidak dapat ditarik kembali" in response.content.decode()
    assert message in response.content.decode()
    assert Submission.objects.filter(pk=submission.pk).exists()
    assert Agreement.objects.get(pk=submission.agreement_id).status == "disampaikan"


def test_it_is_refused_once_the_provinsi_sent_it_on_to_kpu(client, kaltim):  # noqa: F811
    compilation = built_compilation(kaltim)
    client.force_login(kaltim["compiler"])
    client.post(reverse("submissions:compilation_submit", args=[compilation.pk]))
    with pytest.raises(SubmissionRefused, match="meneruskan PK ini ke KPU"):
        withdraw_delivery(kaltim["f_balikpapan"], kaltim["regency_operator"])


def test_only_those_who_may_deliver_it_may_take_it_back(client, kaltim):  # noqa: F811
    submission = kaltim["f_balikpapan"]
    client.force_login(kaltim["compiler"])
    response = client.post(withdraw_url(submission), follow=True)
    assert "Hanya penyusun atau penandatangan" in response.content.decode()
    assert Submission.objects.filter(pk=submission.pk).exists()
    assert client.get(withdraw_url(submission)).status_code == 405


def test_a_built_compilation_holding_a_pk_taken_back_is_not_sent(client, kaltim):  # noqa: F811
    compilation = built_compilation(kaltim)
    withdraw_delivery(kaltim["f_balikpapan"], kaltim["regency_operator"])
    client.force_login(kaltim["compiler"])
    response = client.post(
        reverse("submissions:compilation_submit", args=[compilation.pk]), follow=True
    )
    assert "sudah ditarik kembali oleh pengirimnya" in response.content.decode()
    compilation.refresh_from_db()
    assert compilation.submitted_at is None
    told = Notification.objects.filter(user=kaltim["compiler"], message__contains="disusun ulang")
    assert told.count() == 1


# --- a compilation sent to KPU --------------------------------------------------------------
def sent_compilation(client, kaltim) -> Compilation:  # noqa: F811
    compilation = built_compilation(kaltim)
    client.force_login(kaltim["compiler"])
    client.post(reverse("submissions:compilation_submit", args=[compilation.pk]))
    compilation.refresh_from_db()
    assert compilation.submitted_at
    return compilation


def test_a_sent_compilation_nobody_decided_is_taken_back_and_the_reviewer_is_told(
    client,
    kaltim,  # noqa: F811
):
    compilation = sent_compilation(client, kaltim)
    reviewer = kaltim["reviewer"]
    arrival = [n for n in notices(reviewer) if "Kompilasi" in n.message]
    assert len(arrival) == 1

    page = client.get(page_url()).content.decode()
    form_start = page.index(f'action="{compilation_withdraw_url(compilation)}"')
    assert "data-confirm=" in page[form_start : page.index(">", form_start)]
    response = client.post(compilation_withdraw_url(compilation), follow=True)
    assert "Kompilasi ditarik kembali dari KPU" in response.content.decode()

    compilation.refresh_from_db()
    assert compilation.submitted_at is None and compilation.submitted_by is None
    balikpapan = [kaltim["f_balikpapan"], kaltim["g_balikpapan"]]
    assert not Submission.objects.filter(compilation=compilation).exists()
    for submission in balikpapan:
        event = AgreementEvent.objects.filter(agreement=submission.agreement_id).last()
        assert event.action == "compilation_withdraw" and event.actor == kaltim["compiler"]
        # The reviewer's queue: not theirs to decide any more.
        with pytest.raises(SubmissionRefused, match="belum dikompilasi"):
            decide(Submission.objects.get(pk=submission.pk), reviewer, accept=True)
    told = [n for n in notices(reviewer) if "Kompilasi" in n.message]
    assert told[0].read_at is not None
    assert len(told) == 2 and "ditarik kembali" in told[1].message

    # Sent again, it is the reviewers' again.
    client.post(reverse("submissions:compilation_submit", args=[compilation.pk]))
    compilation.refresh_from_db()
    assert compilation.submitted_at and compilation.submissions.count() == 2


def test_a_compilation_is_not_taken_back_once_a_reviewer_decided(client, kaltim):  # noqa: F811
    compilation = sent_compilation(client, kaltim)
    decide(Submission.objects.get(pk=kaltim["f_balikpapan"].pk), kaltim["reviewer"], accept=True)
    assert compilation_withdraw_url(compilation) not in client.get(page_url()).content.decode()

    response = client.post(compilation_withdraw_url(compilation), follow=True)
    assert "reviewer KPU sudah memutuskan 1 PK" in response.content.decode()
    compilation.refresh_from_db()
    assert compilation.submitted_at is not None
    assert compilation.submissions.count() == 2


def test_an_unsent_compilation_has_nothing_to_take_back(client, kaltim):  # noqa: F811
    compilation = built_compilation(kaltim)
    client.force_login(kaltim["compiler"])
    response = client.post(compilation_withdraw_url(compilation), follow=True)
    assert "belum disampaikan ke KPU" in response.content.decode()
    assert client.get(compilation_withdraw_url(compilation)).status_code == 405


def test_only_a_compiler_of_the_province_takes_a_compilation_back(client, kaltim):  # noqa: F811
    compilation = sent_compilation(client, kaltim)
    client.force_login(kaltim["reviewer"])
    assert client.post(compilation_withdraw_url(compilation)).status_code == 403
    client.force_login(kaltim["other_compiler"])
    assert client.post(compilation_withdraw_url(compilation)).status_code == 404
    compilation.refresh_from_db()
    assert compilation.submitted_at is not None


def test_a_pk_sent_straight_to_kpu_is_taken_back_and_the_reviewer_told_where_to_look(
    client,
    kaltim,  # noqa: F811
):
    submission = Submission.objects.get(agreement__unit__code="64", agreement__year=YEAR)
    reviewer = kaltim["reviewer"]
    review_page = reverse("review_submission", args=[submission.pk])
    assert [n.url for n in notices(reviewer)] == [review_page]

    client.force_login(kaltim["province_operator"])
    client.post(withdraw_url(submission))

    assert not Submission.objects.filter(pk=submission.pk).exists()
    arrival, withdrawal = notices(reviewer)
    assert arrival.read_at is not None  # its page is gone with the submission
    assert withdrawal.url == reverse("review_dashboard", args=[YEAR])
    assert "ditarik kembali" in withdrawal.message
