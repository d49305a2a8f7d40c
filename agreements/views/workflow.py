"""The workflow buttons of the PK page: one POST per action, refused with the reason."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agreements.models import Agreement
from agreements.workflow import ACTIONS, WorkflowRefused, perform

DONE = {
    "submit": gettext_lazy("PK diajukan kepada pejabat penyetuju."),
    "approve": gettext_lazy("PK disetujui dan siap ditandatangani."),
    "return": gettext_lazy("PK dikembalikan untuk diperbaiki dengan catatan Anda."),
    "withdraw": gettext_lazy("Pengajuan ditarik kembali; PK dapat diubah lagi."),
}


@require_POST
def workflow_action(request, pk, action):
    agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=pk)
    if action not in ACTIONS:
        messages.error(request, _("Tindakan tidak dikenal."))
        return redirect(agreement)
    try:
        perform(agreement, action, request.user, note=request.POST.get("note", ""))
    except WorkflowRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, DONE.get(action, _("Tersimpan.")))
    # The signatory's list sends `next` so that a Ketua signing twenty PKs stays on it.
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(agreement)
