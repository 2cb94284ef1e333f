"""Signals other apps listen to, so sessions never imports them.

`session_delivered` is sent after the transaction that marked a session delivered commits, with
`session` and `acting_user` (certificates may issue automatically on it).
"""

from django.dispatch import Signal

session_delivered = Signal()
