"""What every drafting view shares: the scoped lookup, the edit check, the conflict answer."""

from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from agreements.models import Agreement, StaleAgreement
from agreements.permissions import edit_refusal


def conflict_message() -> str:
    return _(
        "PK ini telah diubah oleh pengguna lain sejak Anda membukanya. Perubahan Anda belum "
        "disimpan; salin isian Anda, muat ulang halaman, lalu ulangi."
    )


def refusal_message(exc: Exception) -> str:
    """What to tell the user when a save was refused (HTTP 409): someone saved first
    (StaleAgreement), or the PK left the draft states meanwhile (LockedAgreement)."""
    return conflict_message() if isinstance(exc, StaleAgreement) else str(exc)


def visible_agreement(request, pk, related=("unit", "unit__parent", "unit__province")):
    """Another unit's PK is a 404, never a 403 that would tell it exists. With the unit's
    parent and province by default: the PK page's panels name them (no query each).

    The same answer as Agreement.objects.visible_to(user), decided on the unit read with the
    PK (Unit.is_visible_to): one plain query, where the scoped one cost every page view more
    CPU to build than to run."""
    agreement = get_object_or_404(Agreement.objects.select_related(*related), pk=pk)
    if not agreement.unit.is_visible_to(request.user):
        raise Http404
    return agreement


def forbidden(request, message: str):
    return render(request, "agreements/forbidden.html", {"message": message}, status=403)


def editable_agreement(view):
    """Hand the view a PK the user may see *and* change; 404 or 403 (with the reason) else."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        agreement = visible_agreement(request, pk)
        refusal = edit_refusal(request.user, agreement)
        if refusal:
            return forbidden(request, refusal)
        return view(request, agreement, *args, **kwargs)

    return wrapper
