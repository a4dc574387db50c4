"""Signals of the administrative tree: how the apps above `org` take part in its changes without
`org` knowing them (the one extension mechanism of the project: Django signals sent by the
owning service).

`unit_merged` — sent by `org.services.unit_merge` once per merged unit, after the tree itself has
moved (children, households, agencies, party cells), inside the merge's transaction: a receiver
that raises rolls the whole merge back, and what it writes commits with it.
    sender:    `AdminUnit`
    source:    the unit that ceases (its `valid_to` and `successor` are set after the receivers ran)
    target:    the unit it merges into
    effective: the date the merge takes effect
    actor:     the user merging, or None for the system
    returns:   a dict of counts of what the receiver moved ({"cadres": 12}), reported by the merge
Receivers are connected in their app's `AppConfig.ready`, so they run in the order of
INSTALLED_APPS, which is the order of the layers (people before assignments before …).
"""

from __future__ import annotations

from django.dispatch import Signal

unit_merged = Signal()
