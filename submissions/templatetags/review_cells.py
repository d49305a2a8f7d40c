"""{% review_cells row %}: the three cells (review state, timing, checks) of each PK slot of a
row of the national review dashboard, built in Python once per cell.

The dashboard shows 100 rows of two PK slots; an {% include %} per slot cost more than the
rest of the page together (template lookups, a new context, `localize` of every value). The
markup is the one the template had, cell for cell; every value is escaped (`esc`), the fixed
markup is ours.
"""

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.formatting import clock

register = template.Library()

_PLACEHOLDER = 2147483647  # an id no row has: replaced by the real one (reverse() once a page)


def esc(value) -> str:
    return escape(str(value))


def _urls() -> tuple[str, str]:
    """The submission and PK page URLs with a placeholder id, resolved once per page."""
    return (
        reverse("review_submission", args=[_PLACEHOLDER]),
        reverse("agreements:detail", args=[_PLACEHOLDER]),
    )


def _url(cell, urls) -> str:
    if cell.submission:
        return urls[0].replace(str(_PLACEHOLDER), str(cell.submission["id"]))
    if cell.agreement:
        return urls[1].replace(str(_PLACEHOLDER), str(cell.agreement["id"]))
    return ""


def _faded(cell) -> str:
    return "" if cell.matched else " opacity-50"


def _state(cell, urls) -> str:
    badge = f'<span class="badge text-bg-{esc(cell.tone)}">{esc(cell.state_label)}</span>'
    url = _url(cell, urls)
    if url:
        badge = f'<a href="{esc(url)}" class="text-decoration-none">{badge}</a>'
    revision = ""
    if cell.agreement and cell.agreement["revision"] > 1:
        revision = f" · {esc(_('rev.'))} {esc(cell.agreement['revision'])}"
    return (
        f'<td class="border-start{_faded(cell)}">{badge}<div class="small text-muted">'
        f"{esc(cell.pk_kind)} · {esc(cell.status_label)}{revision}</div></td>"
    )


def _timing(cell) -> str:
    submitted = formats.date_format(cell.submitted_on, "j M Y") if cell.submitted_on else ""
    if cell.late:
        days = ""
        if cell.days_late:
            days = " " + ngettext("%(n)s hari", "%(n)s hari", cell.days_late) % {
                "n": cell.days_late
            }
        note = f'<span class="badge text-bg-danger">{esc(_("Terlambat"))}{esc(days)}</span>'
    elif cell.first_submitted_at:
        note = f'<span class="text-success">{esc(_("tepat waktu"))}</span>'
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


def _checks(cell) -> str:
    if cell.checks == "belum":
        found = f'<span class="text-muted">{esc(_("belum diperiksa"))}</span>'
    else:
        parts = []
        if cell.check_errors:
            parts.append(
                f'<span class="badge text-bg-danger">{esc(cell.check_errors)} {esc(_("kesalahan"))}'
                "</span>"
            )
        if cell.check_warnings:
            parts.append(
                f'<span class="badge text-bg-warning">{esc(cell.check_warnings)} '
                f"{esc(_('peringatan'))}</span>"
            )
        if cell.checks == "bersih":
            parts.append(f'<span class="text-success">{esc(_("bersih"))}</span>')
        found = " ".join(parts)
    return f'<td class="small{_faded(cell)}">{found}</td>'


@register.simple_tag(takes_context=True)
def review_cells(context, row):
    """The <td>s of every PK slot of `row` (submissions.review.rows.Row)."""
    urls = context.render_context.get("review_urls")
    if urls is None:
        urls = context.render_context["review_urls"] = _urls()
    html = []
    for cell in row.cells:
        if cell is None:
            html.append('<td class="border-start text-muted" colspan="3">—</td>')
        else:
            html += [_state(cell, urls), _timing(cell), _checks(cell)]
    return mark_safe("".join(html))  # noqa: S308 - every value escaped above
