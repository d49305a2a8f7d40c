"""Signals the agreements app sends, for the apps above it (which it must not import).

`lampiran_replacing` goes out inside `replace_lampiran`'s transaction just before the old rows
are deleted, `lampiran_replaced` once the new rows exist (with `user`, who replaced it, or
None); both with `agreement`. Monitoring
uses them to keep a PK's quarterly realisations across a rebuilt lampiran (rows are deleted
and created anew, so anything pointing at the old rows needs to follow them).

`transition_recorded` goes out from `agreements.workflow.record_transition` once a PK's
state changed and its history row (`event`, an AgreementEvent) exists, inside the same
transaction. The rule modules send it and never import the services that react to it:
agreements.notifications tells the next person (connected in AgreementsConfig.ready()).
"""

from django.dispatch import Signal

lampiran_replacing = Signal()
lampiran_replaced = Signal()
transition_recorded = Signal()
