"""The error summary at the top of every form that came back with errors (WCAG 3.3.1).

`{% error_summary form formset … %}` lists each error of the forms and formsets given: a field's
error as a link to that field (its label, then the message), a form's own error as plain text.
static/js/a11y.js puts the focus on the summary when the page loads, so a keyboard or screen
reader user lands on it after a failed submit. The crispy-forms template
templates/bootstrap5/errors.html calls it for every `{{ form|crispy }}`.
"""

from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet

register = template.Library()


@dataclass(frozen=True)
class ErrorItem:
    message: str
    label: str = ""
    field_id: str = ""


def _form_errors(form: BaseForm) -> list[ErrorItem]:
    # A form of a formset may name its row (e.g. the indicator of a quarter form's line).
    prefix = getattr(form, "error_summary_prefix", "")
    items = [ErrorItem(str(error), prefix) for error in form.non_field_errors()]
    for field in form:
        label = f"{prefix} — {field.label}" if prefix else str(field.label)
        for error in field.errors:
            if field.is_hidden:
                items.append(ErrorItem(str(error), prefix))
            else:
                items.append(ErrorItem(str(error), label, field.id_for_label))
    return items


def error_items(*forms) -> list[ErrorItem]:
    items = []
    for form in forms:
        if isinstance(form, BaseFormSet):
            if not form.is_bound:
                continue
            items.extend(ErrorItem(str(error)) for error in form.non_form_errors())
            for member in form.forms:
                items.extend(_form_errors(member))
        elif isinstance(form, BaseForm) and form.is_bound:
            items.extend(_form_errors(form))
    return items


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms):
    return {"items": error_items(*forms)}
