"""The receipt given to a citizen when a concern is recorded (public form or at the office): tracking
code, date, place, who holds it, when the answer is due, and the PIN — which exists in plain only on
the instance just numbered (services) and in the session until the one response that shows it."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from gandan.petitions import config
from gandan.petitions.models import Petition

PIN_KEY = "petitions_pins"  # code → PIN, until the one response that shows it


def keep_pin(request: HttpRequest, petition: Petition) -> None:
    """Hold the new concern's plain PIN in the session until its receipt shows it (once)."""
    if petition.pin:
        pins = dict(request.session.get(PIN_KEY, {}))
        pins[petition.code] = petition.pin
        request.session[PIN_KEY] = pins


def take_pin(request: HttpRequest, petition: Petition) -> str:
    """The PIN kept for the receipt, taken out of the session: "" on every later response."""
    pins = dict(request.session.get(PIN_KEY, {}))
    pin = pins.pop(petition.code, "")
    if pin:
        request.session[PIN_KEY] = pins
    return pin


def receipt_context(petition: Petition, pin: str) -> dict[str, object]:
    """What a receipt shows: code, date, place, field, who holds it, when the answer is due, the PIN once."""
    return {"p": petition, "pin": pin, "holder": (petition.holder_agency or petition.holder_unit).name,
            "field_label": config.field_label(petition.province, petition.field), "printed_at": timezone.now(),
            "track_url": reverse("petitions-track", kwargs={"code": petition.code})}
