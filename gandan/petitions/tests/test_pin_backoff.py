"""Wrong rating PINs are limited per concern, with waits that grow, and per address with a higher
ceiling: one concern's guesses never lock out another concern rated from the same address (a reception
kiosk, a carrier's shared address). Time is frozen (time-machine)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gandan.petitions import public_views, services
from gandan.petitions.models import Petition
from gandan.petitions.testing import receive

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
KIOSK = "203.0.113.50"


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def answered(world, text):
    p = services.petition_accept(actor=world.commune_a_cadre, petition=receive(world, text=text))
    services.petition_answer(actor=world.commune_a_cadre, petition=p, text="Xã đã giải quyết.")
    fresh = Petition.objects.get(pk=p.pk)
    fresh.pin = p.pin  # the citizen's receipt
    return fresh


def wrong_pins(petition, count):
    return [f"{n:06d}" for n in range(count + 1) if f"{n:06d}" != petition.pin][:count]


def rate(client, petition, pin):
    return client.post(reverse("petitions-track", args=[petition.code]), {"satisfied": "yes", "pin": pin},
                       REMOTE_ADDR=KIOSK)


def test_many_wrong_pins_on_one_concern_do_not_stop_a_right_pin_on_another_from_the_same_address(
        client, world, frozen):
    a, b = answered(world, "Đường thôn A hỏng"), answered(world, "Cầu thôn B hỏng")
    for pin in wrong_pins(a, 12):
        assert rate(client, a, pin).status_code in (400, 429)
        frozen.shift(dt.timedelta(seconds=30))

    assert rate(client, b, b.pin).status_code == 302
    assert Petition.objects.get(pk=b.pk).status == "closed"
    assert Petition.objects.get(pk=a.pk).status == "answered"


def test_repeated_wrong_pins_on_a_concern_are_refused_with_the_wait_that_grows(client, world, frozen):
    a = answered(world, "Đường thôn A hỏng")
    free, first = public_views.PIN_BACKOFF.free, public_views.PIN_BACKOFF.first
    guesses = iter(wrong_pins(a, 10))
    for _ in range(free - 1):
        assert rate(client, a, next(guesses)).status_code == 400
    last_free = rate(client, a, next(guesses))
    assert last_free.status_code == 400 and "hãy thử lại sau 1 phút." in last_free.content.decode()

    refused = rate(client, a, a.pin)  # even the right PIN waits: the guesser cannot tell
    assert refused.status_code == 429
    assert ("Mã xác nhận của phản ánh này đã bị nhập sai nhiều lần; hãy thử lại sau 1 phút."
            in refused.content.decode())
    assert Petition.objects.get(pk=a.pk).status == "answered"

    frozen.shift(dt.timedelta(seconds=first))
    assert rate(client, a, next(guesses)).status_code == 400  # one more wrong: the wait doubles
    assert "hãy thử lại sau 2 phút." in rate(client, a, a.pin).content.decode()
    frozen.shift(dt.timedelta(seconds=first))
    assert rate(client, a, a.pin).status_code == 429


def test_a_right_pin_after_the_back_off_is_accepted(client, world, frozen):
    a = answered(world, "Đường thôn A hỏng")
    for pin in wrong_pins(a, public_views.PIN_BACKOFF.free):
        rate(client, a, pin)
    assert rate(client, a, a.pin).status_code == 429

    frozen.shift(dt.timedelta(seconds=public_views.PIN_BACKOFF.first))
    assert rate(client, a, a.pin).status_code == 302
    assert Petition.objects.get(pk=a.pk).status == "closed"


def test_an_address_that_fails_on_many_concerns_is_stopped_for_the_hour(client, world, frozen, monkeypatch):
    monkeypatch.setattr(public_views, "CLIENT_PIN_FAILURES", 4)
    concerns = [answered(world, f"Phản ánh số {i}") for i in range(5)]
    for petition in concerns[:4]:
        assert rate(client, petition, wrong_pins(petition, 1)[0]).status_code == 400
    last = concerns[4]

    refused = rate(client, last, last.pin)
    assert refused.status_code == 429 and "Địa chỉ mạng này đã nhập sai mã xác nhận" in refused.content.decode()
    other_address = client.post(reverse("petitions-track", args=[last.code]), {"satisfied": "yes", "pin": last.pin},
                                REMOTE_ADDR="198.51.100.9")
    assert other_address.status_code == 302
