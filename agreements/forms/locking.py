"""Optimistic locking on the drafting pages: every form that changes a draft carries back the
lock version its page was rendered with, so that a save someone else made meanwhile is refused
(StaleAgreement) instead of overwritten. LockForm is the lock alone, for the lampiran editor,
whose rows are formsets."""

from django import forms


class LockVersionField(forms.IntegerField):
    """The lock version the page was rendered with, sent back to detect a concurrent save."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=0, **kwargs)


class LockForm(forms.Form):
    lock_version = LockVersionField()
