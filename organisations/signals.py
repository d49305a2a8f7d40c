"""Signals the organisations app sends, for the apps above it (which it must not import).

`signatory_bound` goes out inside the transaction that approves a binding (sender:
SignatoryRequest), with `official`, `membership` (the new signatory membership), `replaced`
(the memberships of the official deactivated by it) and `approved_by`. The signing code of
agreements listens: it revokes the official's key and sends an enrolment link to the
official's e-mail of record.
"""

from django.dispatch import Signal

signatory_bound = Signal()
