"""For the demo's tests (and the browser tests): the demo province built small and without a
progress bar."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

from gandan.demo.build import build_demo
from gandan.org.models import AdminUnit
from gandan.org.services import levels_ensure, unit_create

COMMUNES = (("00874", "Xã Quản Bạ"), ("00889", "Xã Nghĩa Thuận"))


class _Bar:
    def update(self, n: int = 1) -> None:
        pass


def quiet(total: int | None, desc: str) -> AbstractContextManager[Any]:
    """A progress factory that shows nothing."""
    return nullcontext(_Bar())


def demo_province(*, seed: int = 7, scale: float = 0.05,
                  communes: tuple[tuple[str, str], ...] = COMMUNES) -> AdminUnit:
    """Tuyên Quang with the demo's communes, then the base demo at `scale` (no module builders)."""
    levels = levels_ensure()
    province = unit_create(actor=None, level=levels["province"], code="08", name="Tỉnh Tuyên Quang",
                           division_type="tỉnh")
    for code, name in communes:
        unit_create(actor=None, level=levels["commune"], code=code, name=name, division_type="xã", parent=province)
    build_demo(seed=seed, scale=scale, progress=quiet)
    return province
