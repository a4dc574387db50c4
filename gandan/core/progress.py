"""A progress bar for long CLI work (imports, loading, data generation), quiet when not a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from tqdm import tqdm


@contextmanager
def progress_bar(total: int | None, desc: str | Promise, enabled: bool = True) -> Iterator[tqdm]:
    """`desc` may be a lazy translation: it is read in the language active when the bar starts."""
    bar = tqdm(total=total, desc=str(desc), unit=" " + _("dòng"), file=sys.stderr, disable=not enabled,
               dynamic_ncols=True, mininterval=0.3)
    try:
        yield bar
    finally:
        bar.close()
