"""The body hash of the idempotency check is pure: what must not matter does not, what matters does."""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from gandan.fieldwork.sync import body_hash, clean_text, normalise_body

BASE = {"cadre_id": 7, "date": dt.date(2025, 9, 4), "kind": "field_day", "unit_ids": [3, 1],
        "findings": {"security": "Ổn định"}, "notes": "Làm đường bê tông"}


def digest(**changes) -> str:
    return body_hash(normalise_body(**{**BASE, **changes}))


@given(st.permutations([1, 3, 5, 8]), st.integers(0, 3))
def test_the_order_and_repetition_of_places_do_not_matter(order, repeat):
    assert digest(unit_ids=list(order) + list(order)[:repeat]) == digest(unit_ids=[1, 3, 5, 8])


def test_spaces_line_endings_unicode_form_and_empty_findings_do_not_matter():
    assert digest(notes="  Làm đường bê tông\r\n") == digest()
    assert digest(notes=unicodedata.normalize("NFD", "Làm đường bê tông")) == digest()
    assert digest(findings={"security": "Ổn định ", "living": "  "}) == digest()


def test_gps_noise_below_a_decimetre_does_not_matter_but_a_move_does():
    base = digest(latitude=22.1234561, longitude=105.1, accuracy_m=10.2)
    assert digest(latitude=22.1234564, longitude=105.1, accuracy_m=10.4) == base
    assert digest(latitude=22.1334561, longitude=105.1, accuracy_m=10.2) != base


def test_everything_a_person_wrote_or_chose_matters():
    base = digest()
    for change in ({"notes": "Khác"}, {"kind": "other"}, {"date": dt.date(2025, 9, 5)}, {"unit_ids": [1]},
                   {"household_ids": [9]}, {"cadre_id": 8}, {"findings": {"security": "Phức tạp"}},
                   {"concerns": [{"text": "Đường hỏng", "field": "infrastructure"}]}):
        assert digest(**change) != base, change


def test_the_order_of_concerns_matters():
    one, two = {"text": "A"}, {"text": "B"}
    assert digest(concerns=[one, two]) != digest(concerns=[two, one])


@given(st.text())
def test_cleaning_text_is_idempotent(text):
    assert clean_text(clean_text(text)) == clean_text(text)
