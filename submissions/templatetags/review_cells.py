"""{% review_cells row %}: the three cells (review state, timing, checks) of each PK slot of a
row of the national review dashboard, built in Python once per cell.

The dashboard shows 100 rows of two PK slots; an {% include %} per slot cost more than the
rest of the page together (template lookups, a new context, `localize` of every value). The
markup is the one the template had, cell for cell.
"""

from django import template
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _faded(cell) -> str:
    return "" if cell.matched else " opacity-50"


def _state(cell):
    badge = format_html('<span class="badge text-bg-{}">{}</span>', cell.tone, cell.state_label)
    if cell.url:
        badge = format_html('<a href="{}" class="text-decoration-none">{}</a>', cell.url, badge)
    revision = ""
    if cell.agreement and cell.agreement["revision"] > 1:
        revision = format_html(" · {} {}", _("rev."), cell.agreement["revision"])
    return format_html(
        '<td class="border-start{}">{}<div class="small text-muted">{} · {}{}</div></td>',
        _faded(cell), badge, cell.pk_kind, cell.status_label, revision,
    )  # fmt: skip


def _timing(cell):
    submitted = formats.date_format(cell.submitted_on, "j M Y") if cell.submitted_on else ""
    if cell.late:
        days = ""
        if cell.days_late:
            days = " " + ngettext("%(n)s hari", "%(n)s hari", cell.days_late) % {
                "n": cell.days_late
            }
        note = format_html('<span class="badge text-bg-danger">{}{}</span>', _("Terlambat"), days)
    elif cell.first_submitted_at:
        note = format_html('<span class="text-success">{}</span>', _("tepat waktu"))
    elif cell.days_left is not None:
        if cell.days_left == 0:
            left = _("batas hari ini")
        else:
            left = ngettext("%(n)s hari lagi", "%(n)s hari lagi", cell.days_left) % {
                "n": cell.days_left
            }
        deadline = formats.date_format(template_localtime(cell.deadline), "j F Y")
        note = format_html('<span class="badge text-bg-{}" title="{} 23.59">{}</span>',
                           cell.deadline_tone, deadline, left)  # fmt: skip
    else:
        note = mark_safe('<span class="text-muted">—</span>')
    return format_html('<td class="small{}">{} {}</td>', _faded(cell), submitted, note)


def _checks(cell):
    if cell.checks == "belum":
        found = format_html('<span class="text-muted">{}</span>', _("belum diperiksa"))
    else:
        parts = []
        if cell.check_errors:
            parts.append(format_html('<span class="badge text-bg-danger">{} {}</span>',
                                     cell.check_errors, _("galat")))  # fmt: skip
        if cell.check_warnings:
            parts.append(format_html('<span class="badge text-bg-warning">{} {}</span>',
                                     cell.check_warnings, _("peringatan")))  # fmt: skip
        if cell.checks == "bersih":
            parts.append(format_html('<span class="text-success">{}</span>', _("bersih")))
        found = format_html_join(" ", "{}", ((part,) for part in parts))
    return format_html('<td class="small{}">{}</td>', _faded(cell), found)


@register.simple_tag
def review_cells(row):
    """The <td>s of every PK slot of `row` (submissions.review.rows.Row)."""
    html = []
    for cell in row.cells:
        if cell is None:
            html.append(mark_safe('<td class="border-start text-muted" colspan="3">—</td>'))
        else:
            html += [_state(cell), _timing(cell), _checks(cell)]
    return mark_safe("".join(html))  # noqa: S308 - every part built by format_html
