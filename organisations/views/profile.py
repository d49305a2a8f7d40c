"""The user's own page: e-mail address, which notices also come by e-mail, and the link to set
up the one-time code (the menu under the user's name)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organisations.forms import ProfileForm


@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profil Anda disimpan."))
        return redirect("profile")
    return render(request, "organisations/profile.html", {"form": form},
                  status=400 if form.is_bound else 200)  # fmt: skip
