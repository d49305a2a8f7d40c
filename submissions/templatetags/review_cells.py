"""{% review_row row %}: one row of the national review dashboard (province, unit, and the
three cells — review state, timing, checks — of each PK slot), built in Python.

The dashboard shows 100 rows of two PK slots; an {% include %} per slot cost more than the
rest of the page together (template lookups, a new context, `localize` of every value), and
a {% querystring %} per row copied the request's GET each time. What is the same on every row
(the URLs with a placeholder id, the words, the query string of the province links) is made
once per page (`_Page`, kept in the render context). The markup is the one the template had,
cell for cell; every value is escaped (`esc`), the fixed markup is ours.
"""

import html

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.formatting import clock
from submissions.review.board import BACK_PARAM
from submissions.review.rows import ReviewState

register = template.Library()

_PLACEHOLDER = 2147483647  # an id no row has: replaced by the real one (reverse() once a page)


def esc(value) -> str:
    """What django.utils.html.escape writes, without its lazy-string wrapper (10,000 calls a
    page)."""
    return html.escape(str(value))


class _Page:
    """What every row of one rendering shares, computed once."""

    def __init__(self, back: str | None):
        self.submission_url = reverse("review_submission", args=[_PLACEHOLDER])
        # A submission's page leads back to this list: its query, cleaned by the view.
        self.back_suffix = "" if back is None else f"?{urlencode({BACK_PARAM: back})}"
        self.pk_url = reverse("agreements:detail", args=[_PLACEHOLDER])
        # The province links keep the list's other filters as the view cleaned them (`back`):
        # never a parameter the dashboard does not know, copied from the address bar.
        self.query = QueryDict(back or "", mutable=True)
        self.query.pop("halaman", None)
        self.province_links: dict[str, str] = {}
        self.status_labels: dict[str, str] = {}
        self.words = {
            "rev": esc(_("rev.")),
            "late": esc(_("Terlambat")),
            "in_time": esc(_("tepat waktu")),
            "unchecked": esc(_("belum diperiksa")),
            "errors": esc(_("kesalahan")),
            "warnings": esc(_("peringatan")),
            "clean": esc(_("bersih")),
            "central": esc(_("Pusat")),
        }
        self.state_labels = {state: esc(label) for state, label in ReviewState.LABELS.items()}

    def url(self, cell) -> str:
        if cell.submission:
            url = self.submission_url.replace(str(_PLACEHOLDER), str(cell.submission["id"]))
            return url + self.back_suffix  # after the id: a search may hold the placeholder
        if cell.agreement:
            return self.pk_url.replace(str(_PLACEHOLDER), str(cell.agreement["id"]))
        return ""

    def status_label(self, cell) -> str:
        if cell.status not in self.status_labels:
            self.status_labels[cell.status] = esc(cell.status_label)
        return self.status_labels[cell.status]

    def province_link(self, code: str) -> str:
        """As {% querystring provinsi=code halaman=None %} would write it, escaped."""
        if code not in self.province_links:
            query = self.query.copy()
            query["provinsi"] = code
            self.province_links[code] = esc(f"?{query.urlencode()}")
        return self.province_links[code]


def _faded(cell) -> str:
    return "" if cell.matched else " opacity-50"


def _state(cell, page: _Page) -> str:
    badge = f'<span class="badge text-bg-{esc(cell.tone)}">{page.state_labels[cell.state]}</span>'
    url = page.url(cell)
    if url:
        badge = f'<a href="{esc(url)}" class="text-decoration-none">{badge}</a>'
    revision = ""
    if cell.agreement and cell.agreement["revision"] > 1:
        revision = f" · {page.words['rev']} {esc(cell.agreement['revision'])}"
    return (
        f'<td class="border-start{_faded(cell)}">{badge}<div class="small text-muted">'
        f"{esc(cell.pk_kind)} · {page.status_label(cell)}{revision}</div></td>"
    )


def _timing(cell, page: _Page) -> str:
    submitted = formats.date_format(cell.submitted_on, "j M Y") if cell.submitted_on else ""
    if cell.late:
        days = ""
        if cell.days_late:
            days = " " + ngettext("%(n)s hari", "%(n)s hari", cell.days_late) % {
                "n": cell.days_late
            }
        note = f'<span class="badge text-bg-danger">{page.words["late"]}{esc(days)}</span>'
    elif cell.first_submitted_at:
        note = f'<span class="text-success">{page.words["in_time"]}</span>'
    elif cell.days_left is not None:
        if cell.days_left == 0:
            left = _("batas hari ini")
        else:
            left = ngettext("%(n)s hari lagi", "%(n)s hari lagi", cell.days_left) % {
                "n": cell.days_left
            }
        note = (
            f'<span class="badge text-bg-{esc(cell.deadline_tone)}" '
            f'title="{esc(clock(cell.deadline))}">{esc(left)}</span>'
        )
    else:
        note = '<span class="text-muted">—</span>'
    return f'<td class="small{_faded(cell)}">{esc(submitted)} {note}</td>'


def _checks(cell, page: _Page) -> str:
    if cell.checks == "belum":
        found = f'<span class="text-muted">{page.words["unchecked"]}</span>'
    else:
        parts = []
        if cell.check_errors:
            parts.append(
                f'<span class="badge text-bg-danger">{esc(cell.check_errors)} '
                f"{page.words['errors']}</span>"
            )
        if cell.check_warnings:
            parts.append(
                f'<span class="badge text-bg-warning">{esc(cell.check_warnings)} '
                f"{page.words['warnings']}</span>"
            )
        if cell.checks == "bersih":
            parts.append(f'<span class="text-success">{page.words["clean"]}</span>')
        found = " ".join(parts)
    return f'<td class="small{_faded(cell)}">{found}</td>'


@register.simple_tag(takes_context=True)
def review_row(context, row):
    """The <tr> of `row` (submissions.review.rows.Row): its province (a link filtering by it),
    the unit, and the <td>s of every PK slot."""
    page = context.render_context.get("review_page")
    if page is None:
        page = context.render_context["review_page"] = _Page(context.get("back"))
    if row.province:
        link = page.province_link(row.province["code"])
        province = f'<a class="link-secondary" href="{link}">{esc(row.province["short_name"])}</a>'
    else:
        province = page.words["central"]
    markup = [
        f'<tr><td class="small text-muted">{province}</td><td>{esc(row.unit["short_name"])}</td>'
    ]
    for cell in row.cells:
        if cell is None:
            markup.append('<td class="border-start text-muted" colspan="3">—</td>')
        else:
            markup += [_state(cell, page), _timing(cell, page), _checks(cell, page)]
    markup.append("</tr>")
    return mark_safe("".join(markup))  # noqa: S308 - every value escaped above
