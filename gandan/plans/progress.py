"""Progress of a task, a pure rule: a quantity target is the share done so far (capped at 100%);
a done/not-done target is 0 until the task is marked done. A task marked done is 100% either way."""

from __future__ import annotations

from decimal import Decimal


def progress_pct(*, target_kind: str, target_quantity: Decimal | None, done_quantity: Decimal | None,
                 marked_done: bool) -> int:
    if marked_done:
        return 100
    if target_kind != "quantity" or not target_quantity or target_quantity <= 0:
        return 0
    share = (done_quantity or Decimal(0)) / target_quantity
    return int(min(max(share, Decimal(0)), Decimal(1)) * 100)
