"""What a scenario reports: the load it held, the faults it injected, the requests and the errors by
kind, the rows lost (which must be 0) and the checks it made, each passed or failed with why."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Outcome:
    key: str
    title: str
    load: str = ""
    faults: str = ""
    requests: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    rows_lost: int = 0
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    seconds: float = 0.0
    crashed: str = ""

    def check(self, name: str, passed: bool, detail: str = "") -> bool:
        self.checks.append((name, bool(passed), detail))
        return bool(passed)

    @property
    def passed(self) -> bool:
        return not self.crashed and self.rows_lost == 0 and bool(self.checks) and all(ok for _, ok, _ in self.checks)

    def lines(self) -> list[str]:
        errors = ", ".join(f"{k} {n}" for k, n in self.errors.items()) or "none"
        out = [f"({self.key}) {self.title}",
               f"  load held:       {self.load}",
               f"  faults injected: {self.faults}",
               f"  requests:        {self.requests}",
               f"  errors by kind:  {errors}",
               f"  rows lost:       {self.rows_lost}"]
        out += [f"  {'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}"
                for name, ok, detail in self.checks]
        if self.crashed:
            out.append(f"  FAIL the scenario did not finish: {self.crashed}")
        out.append(f"  {'PASS' if self.passed else 'FAIL'} in {self.seconds:.0f} s")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "passed": self.passed}
