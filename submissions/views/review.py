"""The national review: every office's PKs of a year on one page, its export, and the page of
one submission where a reviewer accepts it or returns it with a note.

Who: national reviewers (Biro Perencanaan, Inspektorat) and superusers; anyone else gets a
403. The softcopy download is scoped instead: whoever may see the PK gets it, others a 404.

Scale: filters, counts and pagination run in the database (submissions.review.board): the
page reads the counts in one grouped query, the number of matching offices, then the 100
offices of the page and their PKs; nothing grows with the number of units but the database's
own work.

The data side lives in submissions.review: the rows and what their columns mean (rows), the
filters and counts (board), the .xlsx (export). Its names are re-exported here.
"""

from functools import wraps

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from agreements.models import Agreement
from agreements.planning import planning_year, years_to_offer
from agreements.uploads import attachment_response
from agreements.views.common import forbidden
from submissions.deadlines import TIME_ZONE_NAMES, is_overdue, submission_deadline
from submissions.models import Decision, Submission
from submissions.review.board import (
    BACK_PARAM,
    CHECK_CHOICES,
    KIND_CHOICES,
    LATENESS_CHOICES,
    STATE_CHOICES,
    Board,
    DashboardFilterForm,
    back_query,
    build_board,
    count,
    dashboard_query,
    filter_slug,
)
from submissions.review.export import XLSX, export_rows
from submissions.review.rows import (
    CENTRAL_KINDS,
    NO_PK,
    PRE_SUBMISSION_STATUSES,
    ROW_KINDS,
    SECRETARIAT_KIND,
    UNIT_KINDS,
    Cell,
    ReviewState,
    Row,
)
from submissions.routing import Channel
from submissions.services import (
    SubmissionRefused,
    decide,
    is_national_reviewer,
    reviewer_refusal,
)

__all__ = [
    # the views
    "review_accept",
    "review_dashboard",
    "review_export",
    "review_home",
    "review_return",
    "review_softcopy",
    "review_submission",
    "reviewer_only",
    "DecisionForm",
    "ReturnForm",
    "PER_PAGE",
    "MIN_YEAR",
    "MAX_YEAR",
    # re-exported from submissions.review
    "CENTRAL_KINDS",
    "CHECK_CHOICES",
    "KIND_CHOICES",
    "LATENESS_CHOICES",
    "NO_PK",
    "PRE_SUBMISSION_STATUSES",
    "ROW_KINDS",
    "SECRETARIAT_KIND",
    "STATE_CHOICES",
    "UNIT_KINDS",
    "XLSX",
    "Board",
    "Cell",
    "DashboardFilterForm",
    "ReviewState",
    "Row",
    "build_board",
    "count",
    "export_rows",
]

PER_PAGE = 100
MIN_YEAR, MAX_YEAR = 2020, 2100


# --- views ----------------------------------------------------------------------------------
def reviewer_only(view):
    """403 (with the reason) for anyone but a national reviewer or a superuser."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and is_national_reviewer(request.user)):
            return forbidden(
                request,
                _(
                    "Halaman reviu nasional hanya untuk reviewer Biro Perencanaan dan "
                    "Inspektorat KPU."
                ),
            )
        return view(request, *args, **kwargs)

    return wrapper


def _valid_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return year


@require_GET
@reviewer_only
def review_home(request):
    return redirect("review_dashboard", year=planning_year(timezone.localdate()))


@require_GET
@reviewer_only
def review_dashboard(request, year):
    board = build_board(request.user, _valid_year(year), request.GET, now=timezone.now())
    page = Paginator(board.office_values(), PER_PAGE).get_page(request.GET.get("halaman"))
    page.object_list = board.rows(page.object_list)  # the page's rows only, with their cells
    return render(
        request,
        "submissions/review_dashboard.html",
        {
            "board": board,
            "page": page,
            "counts": board.counts,
            "form": board.form,
            # What each row's link to a submission carries, so its page leads back here.
            "back": dashboard_query(board.form, page.number),
            "year": year,
            "years": years_to_offer(
                Agreement.objects.values_list("year", flat=True).distinct(),
                timezone.localdate(),
                shown=year,
            ),
        },
    )


@require_GET
@reviewer_only
def review_export(request, year):
    board = build_board(request.user, _valid_year(year), request.GET, now=timezone.now())
    response = HttpResponse(export_rows(board), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"reviu-pk-{year}{filter_slug(board.form)}.xlsx"
    )
    return response


# --- one submission -------------------------------------------------------------------------
class DecisionForm(forms.Form):
    catatan = forms.CharField(
        label=gettext_lazy("Catatan"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(DecisionForm):
    catatan = forms.CharField(
        label=gettext_lazy("Catatan perbaikan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Tuliskan catatan saat mengembalikan PK.")},
    )


def _visible_submissions(user):
    return Submission.objects.filter(agreement__in=Agreement.objects.visible_to(user))


def _back(request, params) -> str | None:
    """The dashboard list the reviewer came from (BACK_PARAM of `params`), cleaned: None when
    the page was not opened from the dashboard."""
    text = params.get(BACK_PARAM)
    return None if text is None else back_query(request.user, text)


def _dashboard_url(agreement, back: str | None) -> str:
    """The way back: the list the reviewer came from, filtered, searched and paged as it was;
    opened from elsewhere (a notification), the dashboard of the PK's province."""
    url = reverse("review_dashboard", args=[agreement.year])
    if back is not None:
        return f"{url}?{back}" if back else url
    unit = agreement.unit
    return url + (f"?provinsi={unit.province.code}" if unit.province_id else "")


def _submission_url(submission, back: str | None) -> str:
    url = reverse("review_submission", args=[submission.pk])
    return url if back is None else f"{url}?{urlencode({BACK_PARAM: back})}"


def _submission_page(request, submission, back, return_form=None, status=200):
    agreement = submission.agreement
    unit = agreement.unit
    deadline = submission_deadline(agreement.year, unit.time_zone)
    history = list(agreement.submissions.select_related("decided_by").order_by("submitted_at"))
    first = history[0].submitted_at if history else None
    refusal = None
    if submission.decision == Decision.PENDING:
        refusal = reviewer_refusal(request.user, submission)
    return render(
        request,
        "submissions/review_submission.html",
        {
            "submission": submission,
            "agreement": agreement,
            "unit": unit,
            "deadline": deadline,
            "zone": TIME_ZONE_NAMES.get(unit.time_zone, unit.time_zone),
            "late": is_overdue(deadline, first or timezone.now()),
            "history": history,
            "events": agreement.events.select_related("actor"),
            "deliveries": submission.deliveries.all()
            if submission.channel == Channel.MINISTRIES
            else [],
            "refusal": refusal,
            "can_decide": submission.decision == Decision.PENDING and refusal is None,
            "accept_form": DecisionForm(),
            "return_form": return_form or ReturnForm(),
            "dashboard_url": _dashboard_url(agreement, back),
            "back": back,  # carried by the decision forms, and the links to other revisions
            "back_param": "" if back is None else urlencode({BACK_PARAM: back}),
        },
        status=status,
    )


def _get_submission(request, pk) -> Submission:
    """Another office's submission is a 404 for whoever may not see its PK."""
    return get_object_or_404(
        _visible_submissions(request.user).select_related(
            "agreement__unit__province",
            "destination",
            "softcopy",
            "compilation__province",
            "submitted_by",
            "decided_by",
        ),
        pk=pk,
    )


@require_GET
@reviewer_only
def review_submission(request, pk):
    return _submission_page(request, _get_submission(request, pk), _back(request, request.GET))


def _decide(request, pk, accept: bool):
    """Decide, then back to the dashboard list the reviewer came from (the message names the
    PK decided); opened from elsewhere, or refused, to the submission's page."""
    submission = _get_submission(request, pk)
    back = _back(request, request.POST)
    form = (DecisionForm if accept else ReturnForm)(request.POST)
    if not form.is_valid():
        return _submission_page(request, submission, back, return_form=form, status=400)
    try:
        decide(submission, request.user, accept=accept, note=form.cleaned_data["catatan"])
    except SubmissionRefused as exc:
        messages.error(request, str(exc))
        return redirect(_submission_url(submission, back))
    if accept:
        messages.success(request, _("%(pk)s diterima.") % {"pk": submission.agreement})
    else:
        messages.success(
            request,
            _("%(pk)s dikembalikan untuk perbaikan dengan catatan.") % {"pk": submission.agreement},
        )
    if back is None:
        return redirect(_submission_url(submission, back))
    return redirect(_dashboard_url(submission.agreement, back))


@require_POST
@reviewer_only
def review_accept(request, pk):
    """Accept: Disampaikan → Diterima (submissions.services.decide, with its history row)."""
    return _decide(request, pk, accept=True)


@require_POST
@reviewer_only
def review_return(request, pk):
    """Return with a note: → Dikembalikan as a new revision (submissions.services.decide)."""
    return _decide(request, pk, accept=False)


@require_GET
@cache_control(private=True, no_cache=True)
def review_softcopy(request, pk):
    """The signed softcopy of a submission, streamed from storage to whoever may see the PK."""
    submission = get_object_or_404(
        _visible_submissions(request.user).select_related("softcopy", "agreement__unit"), pk=pk
    )
    try:
        handle = submission.softcopy.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("Berkas softcopy tidak ditemukan.")) from None
    agreement = submission.agreement
    filename = f"PK-{agreement.year}-{agreement.unit.code}-r{submission.revision}.pdf"
    return attachment_response(handle, filename, "application/pdf")
