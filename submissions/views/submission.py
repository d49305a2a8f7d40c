"""Sending a signed PK where its route says, and keeping track of its hardcopy."""

import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agreements.models import Agreement
from agreements.uploads import EncryptedPdf, UnsafePdf, document_type, sanitised_upload
from submissions.models import Submission
from submissions.routing import MINISTRIES
from submissions.services import (
    SubmissionRefused,
    is_compiler_of,
    is_national_reviewer,
    record_delivery,
    sender_refusal,
    submit,
)
from submissions.withdrawal import withdraw_delivery

MAX_PROOF_BYTES = 20 * 1024 * 1024


class DeliveryForm(forms.Form):
    recipient = forms.ChoiceField(
        label=gettext_lazy("Kementerian"), choices=[(m, m) for m in MINISTRIES]
    )
    sent_on = forms.DateField(
        label=gettext_lazy("Tanggal kirim"), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    receipt_number = forms.CharField(
        label=gettext_lazy("Nomor tanda terima"), required=False, max_length=100
    )
    proof = forms.FileField(label=gettext_lazy("Bukti (PDF/gambar)"), required=False)

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_sent_on(self):
        day = self.cleaned_data["sent_on"]
        first, last = (self.year - 1, self.year + 1) if self.year else (2020, 2100)
        if not first <= day.year <= last:
            raise forms.ValidationError(
                _("Tanggal kirim harus antara tahun %(first)s dan %(last)s.")
                % {"first": first, "last": last}
            )
        return day

    def clean_proof(self):
        proof = self.cleaned_data.get("proof")
        if not proof:
            return None
        if proof.size > MAX_PROOF_BYTES:
            raise forms.ValidationError(
                _("Bukti pengiriman terlalu besar (%(size)s); paling besar 20 MB.")
                % {"size": filesizeformat(proof.size)}
            )
        try:
            kind = document_type(proof)
        except EncryptedPdf:
            kind = None
        refused = forms.ValidationError(
            _("Bukti pengiriman harus berupa PDF atau gambar JPG/PNG yang utuh.")
        )
        if kind is None:
            raise refused
        try:
            # A PDF is stored sanitised: no JavaScript, actions or embedded files.
            return sanitised_upload(proof, kind)
        except UnsafePdf:
            raise refused from None


class HardcopyForm(forms.Form):
    hardcopy_sent_on = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    hardcopy_received_on = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    archive_location = forms.CharField(required=False, max_length=200)
    kpu_requested_on = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    sent_to_kpu_on = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def clean(self):
        cleaned = super().clean()
        # A copy: add_error() takes the field out of cleaned_data while this loop runs.
        for name, value in list(cleaned.items()):
            if isinstance(value, datetime.date) and not 2020 <= value.year <= 2100:
                self.add_error(name, _("Tanggal di luar rentang yang wajar."))
        return cleaned


SENDER_FIELDS = {"hardcopy_sent_on"}
RECEIVER_FIELDS = {"hardcopy_received_on", "archive_location", "kpu_requested_on", "sent_to_kpu_on"}


def is_receiver(user, submission: Submission) -> bool:
    """The office that holds the hardcopy: the Provinsi's compiler, or KPU's reviewers."""
    if submission.destination and submission.destination.kind == "provinsi":
        return is_compiler_of(user, submission.destination_id)
    return is_national_reviewer(user)


@require_POST
def submission_submit(request, pk):
    agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=pk)
    try:
        submit(agreement, request.user)
    except SubmissionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("PK disampaikan."))
    return redirect(agreement)


def _visible_submission(request, pk) -> Submission:
    return get_object_or_404(
        Submission.objects.filter(agreement__in=Agreement.objects.visible_to(request.user)), pk=pk
    )


@require_POST
def submission_withdraw(request, pk):
    """ "Tarik kembali": the sender takes back a delivery nobody has acted on yet
    (submissions.withdrawal says when and what it changes)."""
    submission = _visible_submission(request, pk)
    try:
        withdraw_delivery(submission, request.user)
    except SubmissionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Penyampaian ditarik kembali; PK kembali berstatus Ditandatangani dan penerimanya "
              "diberi tahu."),
        )  # fmt: skip
    return redirect(submission.agreement)


@require_POST
def delivery_add(request, pk):
    submission = _visible_submission(request, pk)
    form = DeliveryForm(request.POST, request.FILES, year=submission.agreement.year)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(submission.agreement)
    data = form.cleaned_data
    try:
        record_delivery(submission, request.user, data["recipient"], data["sent_on"],
                        data["receipt_number"], data["proof"])  # fmt: skip
    except SubmissionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Pengiriman ke %(m)s dicatat.") % {"m": data["recipient"]})
    return redirect(submission.agreement)


@require_POST
def hardcopy_update(request, pk):
    """The sender records when the paper left; the receiver when it came and where it is kept."""
    submission = _visible_submission(request, pk)
    allowed = set()
    if sender_refusal(request.user, submission.agreement) is None:
        allowed |= SENDER_FIELDS
    if is_receiver(request.user, submission):
        allowed |= RECEIVER_FIELDS
    form = HardcopyForm(request.POST)
    if not allowed:
        messages.error(request, _("Anda tidak berwenang mencatat hardcopy PK ini."))
    elif not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
    else:
        changed = [name for name in allowed if name in request.POST]
        for name in changed:
            setattr(
                submission,
                name,
                form.cleaned_data[name] or (None if name != "archive_location" else ""),
            )
        submission.save(update_fields=changed)
        messages.success(request, _("Catatan hardcopy disimpan."))
    return redirect(submission.agreement)
