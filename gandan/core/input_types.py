"""The types every API input is built from, so that what a client sends cannot hurt the database or
the people who read it.

An integer that names a row is an `Id`, 1 … 2**63 - 1 (a bigint: PostgreSQL and SQLite refuse
anything larger with a 500, and no row has an id below 1); any other integer — a page offset, a
version, a count — is a `Count`, 0 … 2**31 - 1, which every integer column holds. Path parameters,
query parameters and bodies alike: a 20-digit id is a 422 before any query runs.

A string field is a `Line` (one line: names, codes, kinds, filters) or a `Text` (free text over
several lines). Both refuse the characters `text.unsafe_character` names: control characters, lone
surrogates and the bidirectional overrides that let a name display as another. A refusal is a 422 of
the API's usual shape, whose `loc` and message name the field. The request schemas of the API and
the services' own input types (fieldwork/inputs.py) use only these, never a bare `str` or `int`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from django.utils.translation import gettext
from pydantic import AfterValidator, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from gandan.core.text import unsafe_character

MAX_ID = 2**63 - 1
MAX_COUNT = 2**31 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


def _refuse(*, multiline: bool) -> Callable[[str, ValidationInfo], str]:
    def check(value: str, info: ValidationInfo) -> str:
        char = unsafe_character(value, multiline=multiline)
        if char is not None:
            raise PydanticCustomError("unsafe_character", gettext(
                "Trường {field} có ký tự không được phép ({char}); hãy xóa ký tự đó rồi gửi lại."),
                {"field": info.field_name or "", "char": char})
        return value

    return check


Line = Annotated[str, AfterValidator(_refuse(multiline=False))]
Text = Annotated[str, AfterValidator(_refuse(multiline=True))]
