"""A visit as it comes in, defined once: the API takes these types as its request bodies and hands them
to the services unchanged, and the HTML forms build the same types.

`VisitIn` is a visit as a phone's sync (or any client) submits it; `VisitPatch` a correction of one,
where a field left out (or null) stays as it is. They are django-ninja Schemas, that is pydantic
models: the OpenAPI document describes exactly what the services receive. The field-work app owns
them; gandan.api imports them, never the other way round.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from gandan.core.input_types import Id, Line, Text
from gandan.fieldwork.models import VisitKind
from gandan.fieldwork.sync import normalise_body
from gandan.org.models import Field as ConcernField


class ConcernIn(Schema):
    """A concern heard on the visit: each becomes a concern record of the concerns module."""

    text: Text = Field(max_length=4000)
    field: Line = Field(default=ConcernField.OTHER, description="land, infrastructure, social_policy, security…")
    urgency: Line = "normal"
    unit_id: Id | None = Field(default=None, description="one of the visited units (default: the first place)")
    household_id: Id | None = Field(default=None, description="one of the visited households")
    citizen_name: Line = ""
    citizen_phone: Line = ""
    anonymous: bool = False


class VisitIn(Schema):
    client_uuid: uuid.UUID = Field(description="made by the client once per record; reuse it on every retry")
    date: dt.date
    kind: Line = Field(description=", ".join(VisitKind.values))
    unit_ids: list[Id] = []
    household_ids: list[Id] = []
    findings: dict[Line, Text] = Field(default={}, description="checklist topic code → what was found")
    notes: Text = ""
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    concerns: list[ConcernIn] = Field(default=[], description="concerns heard: each becomes a concern record")
    cadre_id: Id | None = Field(default=None, description="record for another cadre (leaders only); default: yourself")

    def normalised(self, cadre_id: int) -> dict[str, Any]:
        """The body as a retry of it must match (sync.py), for the cadre it is recorded for."""
        return normalise_body(
            cadre_id=cadre_id, date=self.date, kind=self.kind, unit_ids=self.unit_ids,
            household_ids=self.household_ids, findings=self.findings, notes=self.notes, latitude=self.latitude,
            longitude=self.longitude, accuracy_m=self.accuracy_m, concerns=[c.model_dump() for c in self.concerns])


class VisitPatch(Schema):
    date: dt.date | None = None
    kind: Line | None = None
    unit_ids: list[Id] | None = None
    household_ids: list[Id] | None = None
    findings: dict[Line, Text] | None = None
    notes: Text | None = None

    def given(self) -> dict[str, Any]:
        """The fields to change: those given a value."""
        return self.model_dump(exclude_none=True)
