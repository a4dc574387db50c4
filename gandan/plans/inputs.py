"""Tasks, progress reports and assessments as they come in, defined once: the API takes these types as
its request bodies and the HTML forms build the same ones (as fieldwork/inputs.py does for visits)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Field, Schema

from gandan.core.input_types import Id, Line, Text

MAX_QUANTITY = Decimal("9999999999.99")
MAX_WEIGHT = Decimal("99999.99")


class TaskIn(Schema):
    """A task for a plan: drafted by its owner, or assigned by a leader (`cadre_id`)."""

    client_uuid: uuid.UUID = Field(description="made by the client once per task; reuse it on every retry")
    title: Line = Field(max_length=300)
    due_on: dt.date
    cadre_id: Id | None = Field(default=None, description="assign to this cadre (leaders); default: yourself")
    catalogue_item_id: Id | None = Field(default=None, description="a standard task of the owner's agency")
    weight: Decimal | None = Field(default=None, ge=0, le=MAX_WEIGHT, decimal_places=2,
                                   description="agreed weight in converted products, for a task outside the catalogue")
    target_kind: Line = Field(default="done", description="quantity or done")
    target_quantity: Decimal | None = Field(default=None, ge=0, le=MAX_QUANTITY, decimal_places=2)
    target_unit: Line = Field(default="", max_length=80)
    period: Line = Field(default="month", description="month or quarter: the plan it goes into")
    unit_id: Id | None = Field(default=None, description="the unit followed that it serves")
    petition_id: Id | None = Field(default=None, description="the concern held that it serves")
    meeting_id: Id | None = Field(default=None, description="the meeting it serves")
    campaign_id: Id | None = Field(default=None, description="the campaign it serves")


class ProgressIn(Schema):
    client_uuid: uuid.UUID = Field(description="made by the client once per report; reuse it on every retry")
    quantity: Decimal | None = Field(default=None, ge=0, le=MAX_QUANTITY, decimal_places=2,
                                     description="quantity done so far")
    note: Text = Field(default="", max_length=4000)
    evidence_link: Line = Field(default="", max_length=500)


class AssessIn(Schema):
    outcome: Line = Field(description="accepted or failed")
    note: Text = Field(default="", max_length=4000, description="required when failed: the major error")


class CauseIn(Schema):
    kind: Line = Field(description="leave, weather, decision or other")
    reason: Text = Field(max_length=4000)
    evidence_link: Line = Field(default="", max_length=500)
    delay_id: Id | None = None
    assessment_id: Id | None = None


class WorkLogIn(Schema):
    """A line of the daily work log: a day, hours, what was done, and optionally the task it served."""

    client_uuid: uuid.UUID | None = Field(default=None, description="made by the client once per line; reuse it "
                                                                    "on every retry")
    date: dt.date
    hours: Decimal = Field(gt=0, le=24, decimal_places=1)
    note: Line = Field(max_length=500)
    task_id: Id | None = Field(default=None, description="one of my tasks")
