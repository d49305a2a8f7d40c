"""{% submission_panel agreement %}: where a signed PK goes, and its submission, on the PK page."""

from django import template

from submissions.routing import Channel, destination_unit, route_for
from submissions.services import sender_refusal, softcopy_for
from submissions.views.submission import DeliveryForm, is_receiver
from submissions.withdrawal import delivery_acted_on

register = template.Library()


@register.inclusion_tag("submissions/_submission_panel.html", takes_context=True)
def submission_panel(context, agreement):
    user = context["request"].user
    route = route_for(agreement.pk_kind)
    submission = agreement.submissions.filter(revision=agreement.revision).first()
    can_send = sender_refusal(user, agreement) is None
    can_submit = agreement.status == "ditandatangani" and can_send
    ministries = route.channel == Channel.MINISTRIES
    return {
        "request": context["request"],
        "agreement": agreement,
        "route": route,
        "channel_label": Channel(route.channel).label,
        "destination": destination_unit(agreement),
        "submission": submission,
        "deliveries": submission.deliveries.all() if submission else [],
        "can_submit": can_submit,
        # Read only where the panel shows it (a PK ready to send): not on every PK page.
        "has_softcopy": can_submit and softcopy_for(agreement) is not None,
        "can_send": can_send,
        "can_withdraw": bool(submission) and can_send and delivery_acted_on(submission) is None,
        "is_receiver": bool(submission) and is_receiver(user, submission),
        "delivery_form": DeliveryForm() if submission and ministries else None,
        "is_ministries": ministries,
    }
