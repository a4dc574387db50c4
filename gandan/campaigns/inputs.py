"""An event and an exemplary model as they come in, defined once: the API takes these as request bodies
and hands them to the services unchanged; the HTML forms build the same types (as fieldwork/inputs.py).
Amounts are checked by the services, so that a negative one or one in the wrong measure is refused
with a sentence naming the field."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from gandan.core.input_types import Count, Id, Line, Text


class OutputIn(Schema):
    indicator: Line = Field(description="indicator code of the catalogue (GET /campaigns/indicators)")
    amount: Decimal
    measure: Line = Field(description="the indicator's unit of measure, repeated: km, ha, households…")


def _amount(value: Decimal) -> str:
    return str(value.normalize()) if value.is_finite() else str(value)


class EventChange(Schema):
    """What an event says; the same body corrects it (PUT)."""

    date: dt.date
    unit_id: Id = Field(description="where it took place")
    agency_id: Id = Field(description="the organising agency")
    cadre_ids: list[Id] = Field(default=[], description="the cadres present, of the organising agency")
    cadre_participations: Count | None = Field(
        default=None, description="cadres who took part, named or not; default: the named ones")
    citizens: Count = 0
    citizen_groups: dict[Line, Count] = Field(default={}, description="women, youth, elderly, veterans… → count")
    party_members_reached: Count = 0
    party_cell_ids: list[Id] = []
    outputs: list[OutputIn] = []
    notes: Text = ""

    def normalised(self, campaign_id: int) -> dict[str, Any]:
        """The body as a retry of it must match."""
        return {
            "campaign": campaign_id, "date": self.date.isoformat(), "unit": self.unit_id, "agency": self.agency_id,
            "cadres": sorted(set(self.cadre_ids)), "cadre_participations": self.cadre_participations,
            "citizens": self.citizens, "groups": {k.strip(): v for k, v in sorted(self.citizen_groups.items()) if v},
            "party_members": self.party_members_reached, "cells": sorted(set(self.party_cell_ids)),
            "outputs": sorted([o.indicator.strip(), _amount(o.amount), o.measure.strip()] for o in self.outputs),
            "notes": " ".join(self.notes.split()),
        }


class EventIn(EventChange):
    client_uuid: uuid.UUID = Field(description="made by the client once per record; reuse it on every retry")
    campaign_id: Id


class ModelIn(Schema):
    client_uuid: uuid.UUID = Field(description="made by the client once per record; reuse it on every retry")
    unit_id: Id
    campaign_id: Id | None = None
    holder_kind: Line = Field(description="collective or individual")
    holder_name: Line = Field(max_length=250, description="the collective or the person")
    cadre_id: Id | None = Field(default=None, description="the person, when a cadre")
    agency_id: Id | None = Field(default=None, description="the collective, when an agency")
    title: Line = Field(max_length=250)
    field: Line = Field(description="economy, new_rural, mass_mobilisation, culture, environment, security…")
    description: Text = Field(default="", max_length=10000)
    evidence: Text = Field(default="", max_length=10000)
    registered_on: dt.date

    def normalised(self) -> dict[str, Any]:
        return {**self.model_dump(mode="json", exclude={"client_uuid"})}


class DecisionIn(Schema):
    status: Line = Field(description="recognised, praised or commended")
    number: Line = Field(max_length=60, description="e.g. 125/QĐ-UBND")
    date: dt.date
    level: Line = Field(description="commune, district, province or central")
    issuer: Line = Field(default="", max_length=250)
    notes: Text = Field(default="", max_length=4000)
