import datetime

from submissions.deadlines import is_overdue, signing_deadline, submission_deadline

UTC = datetime.UTC


def test_end_of_january_is_local_time_sorong_before_jakarta():
    moment = datetime.datetime(2027, 1, 31, 15, 30, tzinfo=UTC)  # 00:30 in Sorong, 22:30 in Jakarta
    assert is_overdue(submission_deadline(2027, "Asia/Jayapura"), moment)
    assert not is_overdue(submission_deadline(2027, "Asia/Jakarta"), moment)


def test_thirty_days_after_the_dipa_cross_month_and_year_ends():
    assert signing_deadline(datetime.date(2026, 12, 15), "Asia/Makassar").date() == datetime.date(
        2027, 1, 14
    )
    assert signing_deadline(datetime.date(2028, 2, 1), "Asia/Jakarta").date() == datetime.date(
        2028, 3, 2
    )  # leap year
    assert signing_deadline(None, "Asia/Jakarta") is None
