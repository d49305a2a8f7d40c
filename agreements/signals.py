"""Signals the agreements app sends, for the apps above it (which it must not import).

`lampiran_replacing` goes out inside `replace_lampiran`'s transaction just before the old rows
are deleted, `lampiran_replaced` once the new rows exist (with `user`, who replaced it, or
None); both with `agreement`. Monitoring
uses them to keep a PK's quarterly realisations across a rebuilt lampiran (rows are deleted
and created anew, so anything pointing at the old rows needs to follow them).
"""

from django.dispatch import Signal

lampiran_replacing = Signal()
lampiran_replaced = Signal()
