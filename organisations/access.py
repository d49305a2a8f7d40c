"""What a user may manage, beside what they may see (`Unit.objects.visible_to`)."""

from organisations.models import Membership, Role, Unit


def administered_units(user):
    """Units whose users this user may manage: the offices where they are Administrator unit."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    satkers = Membership.objects.filter(user=user, role=Role.ADMINISTRATOR, is_active=True).values(
        "unit__satker_id"
    )
    return Unit.objects.filter(satker_id__in=satkers)


def is_unit_administrator(user) -> bool:
    return user.is_superuser or (
        user.is_authenticated
        and Membership.objects.filter(user=user, role=Role.ADMINISTRATOR, is_active=True).exists()
    )
