"""Signals of the administrative tree: how the apps above `org` take part in its changes without
`org` knowing them (the one extension mechanism of the project: Django signals sent by the
owning service).

`unit_merged` — sent by `org.services.unit_merge` once per merged unit, on the day the merge takes
effect (a merge dated ahead waits, scheduled, for the daily job), after the tree itself has moved
(children, households, agencies, party cells) and the source has been retired, inside the merge's
transaction: a receiver that raises rolls the whole merge back, and what it writes commits with it.
    sender:    `AdminUnit`
    source:    the unit that ceases: already ended (`valid_to`, `successor`, `heir` set), its path
               re-rooted under the target's, so that its history lies in the target's subtree
    target:    the unit it merges into (for a district ending with its province: that province)
    effective: the date the merge takes effect
    actor:     the user merging, or None for the system
    progress:  a callable taking a number of rows done (the command's progress bar), or None
    returns:   a dict of what the receiver changed, reported by the merge and kept in its audit
               event: counts ({"cadres": 12}) and, for grants and assignments, the list of each one
               changed ({"grants_changed": [{"grant": 3, "user": 7, ...}]})
Receivers are connected in their app's `AppConfig.ready` (each app's `merges.py`), so they run in
the order of INSTALLED_APPS, which is the order of the layers (people before assignments before …).
A receiver moves the source's open work to the target, and when the two lie in different provinces
re-keys `province_id` (org.rekey.rekey_province) on every row of its own that now lies under the
target — past records included, so that nothing keeps a dead province.
"""

from __future__ import annotations

from django.dispatch import Signal

unit_merged = Signal()
