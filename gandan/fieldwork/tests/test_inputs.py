"""One input type for a visit (fieldwork/inputs.py): the API's body is what the service receives, the
edit form builds the API's PATCH body, and the OpenAPI document describes them as before."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone

from gandan.core.models import AuditEvent
from gandan.fieldwork import services
from gandan.fieldwork.forms import VisitEditForm
from gandan.fieldwork.inputs import ConcernIn, VisitIn, VisitPatch
from gandan.fieldwork.models import Visit
from gandan.fieldwork.queries import topics_for
from gandan.fieldwork.sync import body_hash
from gandan.fieldwork.testing import body, make_visit

pytestmark = pytest.mark.django_db
API = "/api/v1/fieldwork/visits"
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def post(client: Client, data: dict):
    return client.post(API, json.dumps(data), content_type="application/json")


def test_the_api_body_is_the_service_input(world, bearer):
    """A visit recorded through the service, then sent again as JSON by a phone, is the same visit: both
    reach the service as the same VisitIn."""
    data = body(world, concerns=[{"text": "Đường thôn sạt lở", "field": "infrastructure"}])
    visit, created = services.visit_record(actor=world.commune_a_cadre, data=VisitIn(**data))
    response = post(bearer(world.commune_a_cadre), data)
    assert created and response.status_code == 200 and response.json()["id"] == visit.pk
    assert Visit.objects.count() == 1


def test_a_body_is_read_into_plain_values(world):
    data = VisitIn(**body(world, latitude="22.1", longitude=105, concerns=[{"text": "Ý kiến"}]))
    assert isinstance(data.client_uuid, uuid.UUID) and isinstance(data.date, dt.date)
    assert (data.latitude, data.longitude) == (22.1, 105.0)
    assert data.concerns == [ConcernIn(text="Ý kiến")] and data.concerns[0].field == "other"
    assert data.cadre_id is None and data.accuracy_m is None


def test_recording_for_a_cadre_outside_the_scope_is_answered_as_missing(world, bearer):
    client = bearer(world.commune_a_leader)
    before = AuditEvent.objects.count()
    hidden = post(client, body(world, cadre_id=world.cadre_b.pk))
    missing = post(client, body(world, cadre_id=987654))
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    with pytest.raises(Http404):
        services.visit_record(actor=world.commune_a_leader, data=VisitIn(**body(world, cadre_id=world.cadre_b.pk)))
    assert not Visit.objects.exists() and AuditEvent.objects.count() == before


def test_the_idempotency_hash_of_a_body_is_the_one_stored_before_the_shared_type():
    """Visits recorded before keep answering their retries as replays: the same body, the same hash."""
    data = VisitIn(client_uuid=uuid.uuid4(), date=dt.date(2025, 9, 4), kind="field_day", unit_ids=[3, 1, 3],
                   household_ids=[9], findings={"security": " Ổn  ", "x": ""}, notes="Họp\r\n",
                   latitude=22.123456789, longitude=105.1, accuracy_m=12.4,
                   concerns=[ConcernIn(text=" Đường ", field="infrastructure", unit_id=3, citizen_name="A",
                                       anonymous=True)])
    assert body_hash(data.normalised(7)) == "5d2d4d3a78d9259aab16bf09530e08d9a3eca2c5d32ebf29bee2f9cbf6989eca"


def test_the_edit_form_builds_the_patch_the_api_takes(world):
    visit = make_visit(world, date=YESTERDAY)
    form = VisitEditForm({"date": YESTERDAY.isoformat(), "kind": "field_day", "notes": "Bổ sung",
                          "finding_living": "Khá hơn"}, topics=topics_for(visit.province_id))
    assert form.is_valid(), form.errors
    changes = form.changes()
    assert isinstance(changes, VisitPatch)
    assert changes.given() == {"date": YESTERDAY, "kind": "field_day", "notes": "Bổ sung",
                               "findings": {**{t.code: "" for t in form.topics}, "living": "Khá hơn"}}
    assert changes.unit_ids is None and changes.household_ids is None  # the places stay as they are


def test_a_patch_changes_only_what_it_gives(world):
    visit = make_visit(world, date=YESTERDAY)
    services.visit_update(actor=world.commune_a_cadre, visit=visit, changes=VisitPatch(notes="Sửa sau", kind=None))
    visit.refresh_from_db()
    assert (visit.notes, visit.kind, visit.date) == ("Sửa sau", "working_visit", YESTERDAY)
    assert list(visit.unit_links.values_list("unit_id", flat=True)) == [world.village_a1.pk]


def test_the_openapi_document_describes_the_visit_bodies_as_before():
    doc = Client().get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    visit = schemas["VisitIn"]
    assert set(visit["properties"]) == {"client_uuid", "date", "kind", "unit_ids", "household_ids", "findings",
                                        "notes", "latitude", "longitude", "accuracy_m", "concerns", "cadre_id"}
    assert sorted(visit["required"]) == ["client_uuid", "date", "kind"]
    assert visit["properties"]["client_uuid"]["format"] == "uuid"
    assert visit["properties"]["concerns"]["items"] == {"$ref": "#/components/schemas/ConcernIn"}
    concern = schemas["ConcernIn"]
    assert concern["required"] == ["text"] and concern["properties"]["text"]["maxLength"] == 4000
    assert set(concern["properties"]) == {"text", "field", "urgency", "unit_id", "household_id", "citizen_name",
                                          "citizen_phone", "anonymous"}
    patch = schemas["VisitPatch"]
    assert "required" not in patch
    assert set(patch["properties"]) == {"date", "kind", "unit_ids", "household_ids", "findings", "notes"}
    body_of = {method: op["requestBody"]["content"]["application/json"]["schema"]
               for path, ops in doc["paths"].items() if path.startswith(API) and "photos" not in path
               for method, op in ops.items() if "requestBody" in op}
    assert body_of == {"post": {"$ref": "#/components/schemas/VisitIn"},
                       "patch": {"$ref": "#/components/schemas/VisitPatch"}}
