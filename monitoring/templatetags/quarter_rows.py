"""{% quarter_cells fl refusal bound %}: the first five cells of one indicator's row of the
quarter form (indicator, target, realisation, capaian, explanations), built in Python.

A 60-indicator form has 60 rows of about a hundred template lookups, filters and `localize`
calls each; in the template they cost more than the rest of the request together. The
markup is the one the template had, cell for cell; every value is escaped (`esc`), the fixed
markup is ours. The evidence cell stays a template (monitoring/_evidence_cell.html).
"""

import html

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def esc(value) -> str:
    """What django.utils.html.escape writes, without its lazy-string wrapper."""
    return html.escape(str(value))


def _value(bound) -> str:
    """A bound field's value as {{ field.value|default_if_none:"" }} shows it, escaped."""
    value = bound.value()
    return "" if value is None else esc(formats.localize(value))


def _errors(bound, css: str, attach_id: bool = True) -> str:
    if not bound.errors:
        return ""
    items = "".join(f"<div>{esc(error)}</div>" for error in bound.errors)
    id_attr = f' id="{esc(bound.auto_id)}_error"' if attach_id else ""
    return f'<div class="{css}"{id_attr}>{items}</div>'


class _Words:
    """The words every row uses, translated once per rendering."""

    def __init__(self):
        self.yearly = esc(_("setahun"))
        self.this_quarter = esc(_("triwulan ini"))
        self.cumulative = esc(_("kumulatif"))
        self.tw = esc(_("TW"))
        self.realisation = esc(_("Realisasi"))
        self.unsaved = esc(_("Isian Anda (tidak tersimpan)"))
        self.explanation = esc(_("Penjelasan"))
        self.obstacles = esc(_("Kendala"))
        self.follow_up = esc(_("Tindak lanjut"))


def _indicator(fl, form, words) -> str:
    row_value = form["row"].value()
    lock = form["lock_version"].value()
    parts = [
        "<td>",
        f'<input type="hidden" name="{esc(form["row"].html_name)}" value="{esc(row_value)}">'
        f'<input type="hidden" name="{esc(form["lock_version"].html_name)}" '
        f'value="{esc("" if lock is None else lock)}">',
        esc(fl.row.text),
    ]
    parts += [f'<div class="text-danger small">{esc(e)}</div>' for e in form.non_field_errors()]
    parts += [f'<div class="text-danger small">{esc(e)}</div>' for e in form["row"].errors]
    if fl.carried:
        note = _("Isian awal disalin dari PK versi %(v)s.") % {"v": fl.carried.agreement.version}
        parts.append(f'<div class="small text-info">{esc(note)}</div>')
    parts.append("</td>")
    return "".join(parts)


def _target(fl, words) -> str:
    yearly = f'<div class="small text-muted">{words.yearly}</div>' if fl.is_count else ""
    return f'<td class="text-nowrap">{esc(fl.row.target_text)}{yearly}</td>'


def _realisation(fl, form, refusal, bound, words) -> str:
    parts = ['<td class="pk-realisation">']
    if refusal:
        parts.append(esc(fl.cell.entered or "—"))
        if bound:
            typed = form["grade"].value() if "grade" in form.fields else form["value"].value()
            if typed:
                parts.append(
                    f'<div class="small text-warning-emphasis pk-unsaved">{words.unsaved}: '
                    f"{esc(formats.localize(typed))}</div>"
                )
    elif "grade" in form.fields:
        grade = form["grade"]
        parts.append(
            f'<label class="visually-hidden" for="{esc(grade.id_for_label)}">'
            f"{words.realisation} {esc(fl.row.text)}</label>{grade}"
        )
        parts.append(_errors(grade, "invalid-feedback d-block"))
    else:
        value = form["value"]
        invalid = " is-invalid" if value.errors else ""
        described = (
            f' aria-invalid="true" aria-describedby="{esc(value.auto_id)}_error"'
            if value.errors
            else ""
        )
        parts.append(
            f'<input type="text" name="{esc(value.html_name)}" id="{esc(value.id_for_label)}" '
            f'value="{_value(value)}" class="form-control form-control-sm{invalid}" '
            f'inputmode="decimal" autocomplete="off" '
            f'aria-label="{words.realisation} {esc(fl.row.text)}"{described}>'
        )
        parts.append(_errors(value, "invalid-feedback d-block"))
        if fl.is_count:
            parts.append(f'<div class="small text-muted">{words.this_quarter}</div>')
    earlier = fl.earlier
    if earlier:
        shown = " · ".join(
            f"{words.tw} {number}: {esc(cell.entered or '—')}"
            for number, cell in enumerate(earlier, start=1)
        )
        parts.append(f'<div class="small text-muted mt-1">{shown}</div>')
    parts.append("</td>")
    return "".join(parts)


def _capaian(fl, words) -> str:
    cell = fl.cell
    found = cell.capaian
    if found.is_known:
        shown = (
            f"{esc(formats.localize(found.value))}%<br>"
            f'<span class="text-muted">{esc(found.label)}</span>'
        )
    else:
        shown = "—"
    if fl.is_count and cell.measured is not None:
        shown += f'<div class="text-muted">{words.cumulative}: {esc(cell.measured_text)}</div>'
    return f'<td class="text-nowrap small" title="{esc(found.explanation)}">{shown}</td>'


def _texts(fl, form, refusal, bound, words) -> str:
    parts = ["<td>"]
    if refusal:
        realisation = fl.realisation
        if realisation is not None:
            for label, text in (
                (words.explanation, realisation.explanation),
                (words.obstacles, realisation.obstacles),
                (words.follow_up, realisation.follow_up),
            ):
                if text:
                    parts.append(
                        f'<div><span class="text-muted small">{label}:</span> '
                        f"{linebreaksbr(text)}</div>"
                    )
        if bound:
            for field in form.text_fields:
                if field.value():
                    said = _("%(label)s Anda (tidak tersimpan)") % {"label": field.label}
                    parts.append(
                        f'<div class="small text-warning-emphasis pk-unsaved">{esc(said)}: '
                        f"{linebreaksbr(field.value())}</div>"
                    )
    else:
        for field in form.text_fields:
            invalid = " is-invalid" if field.errors else ""
            described = (
                f' aria-invalid="true" aria-describedby="{esc(field.auto_id)}_error"'
                if field.errors
                else ""
            )
            rows = 2 if field.name == "explanation" else 1
            parts.append(
                f'<label class="form-label small mb-0" for="{esc(field.auto_id)}">'
                f"{esc(field.label)}</label>"
                f'<textarea name="{esc(field.html_name)}" id="{esc(field.auto_id)}" '
                f'rows="{rows}" maxlength="2000" class="form-control form-control-sm{invalid}"'
                f"{described}>\n{_value(field)}</textarea>"
            )
            parts.append(_errors(field, "invalid-feedback d-block"))
    parts.append("</td>")
    return "".join(parts)


@register.simple_tag(takes_context=True)
def quarter_cells(context, fl, refusal, bound):
    """The <td>s before the evidence cell of `fl` (monitoring.views.quarter.FormLine);
    `refusal`: why the reader may not edit (the cells then show what was saved); `bound`:
    the formset was posted (what the reader typed is shown, not saved)."""
    words = context.render_context.get("quarter_words")
    if words is None:
        words = context.render_context["quarter_words"] = _Words()
    form = fl.form
    return mark_safe(  # noqa: S308 - every value escaped above
        _indicator(fl, form, words)
        + _target(fl, words)
        + _realisation(fl, form, refusal, bound, words)
        + _capaian(fl, words)
        + _texts(fl, form, refusal, bound, words)
    )
