"""Signals of people: how the apps above `people` react to a change of a cadre without `people`
knowing them (see org/signals.py for the mechanism).

`cadre_left` — sent by `people.services.cadre_leave` after the cadre's `left_on` is saved and their
role grants ended, inside the same transaction (a receiver that raises rolls the departure back).
    sender:  `Cadre`
    cadre:   the cadre who leaves
    left_on: the date they leave
    actor:   the user recording it, or None for the system
    returns: nothing (receivers audit what they change themselves)
"""

from __future__ import annotations

from django.dispatch import Signal

cadre_left = Signal()
