"""Validate and normalise project field values against a definition's field types.

Values arrive as JSON types from the API or as strings from HTML forms; both are accepted
and stored in one JSON-friendly form: text as ``str``, integers as ``int``, money as a
number rounded to øre, dates as ISO ``YYYY-MM-DD`` strings, booleans as ``bool``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from workflow.errors import InvalidInput, Problem

if TYPE_CHECKING:  # the requirement kinds use is_filled while the definitions load
    from workflow.definitions import Definition, FieldSpec

MAX_STRING = 200
MAX_TEXT = 20_000
MAX_URL = 2_000
MAX_MONEY = Decimal("1e13")
TRUE_WORDS = {"true", "1", "on", "yes", "ja", "y"}
FALSE_WORDS = {"false", "0", "off", "no", "nei", "n"}


class _Bad(ValueError):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.problem = Problem(code, params)


def _string(spec: FieldSpec, value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad("not_text")
    limit = MAX_TEXT if spec.type == "text" else MAX_STRING
    if len(value) > limit:
        raise _Bad("too_long", max=limit)
    return value.strip()


def _integer(_spec: FieldSpec, value: Any) -> int:
    if isinstance(value, bool):
        raise _Bad("not_whole_number")
    if isinstance(value, str):
        cleaned = re.sub(r"[\s\u00a0]", "", value)
        if not re.fullmatch(r"[-+]?[0-9]{1,15}", cleaned):
            raise _Bad("not_whole_number")
        value = int(cleaned)
    if not isinstance(value, int) or abs(value) > 10**15:
        raise _Bad("not_whole_number")
    return value


def _money(_spec: FieldSpec, value: Any) -> int | float:
    if isinstance(value, bool):
        raise _Bad("not_amount")
    if isinstance(value, str):
        value = re.sub(r"[\s\u00a0]", "", value).replace(",", ".")
        if not value.isascii():  # Decimal would read other scripts' digits (٣ as 3)
            raise _Bad("not_amount")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise _Bad("not_amount") from None
    if not amount.is_finite() or abs(amount) >= MAX_MONEY:
        raise _Bad("not_amount")
    if amount < 0:
        raise _Bad("negative")
    amount = amount.quantize(Decimal("0.01"))
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _date(_spec: FieldSpec, value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise _Bad("not_date")
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise _Bad("not_date") from None


def _boolean(_spec: FieldSpec, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise _Bad("not_boolean")


def _choice(spec: FieldSpec, value: Any) -> str:
    keys = [c.key for c in spec.choices or ()]
    if not isinstance(value, str) or value not in keys:
        raise _Bad("not_one_of", choices=keys)
    return value


def _url(_spec: FieldSpec, value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_URL:
        raise _Bad("not_web_address")
    parsed = urlparse(value.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise _Bad("not_web_address")
    return value.strip()


_CONVERTERS = {
    "string": _string,
    "text": _string,
    "integer": _integer,
    "money": _money,
    "date": _date,
    "boolean": _boolean,
    "choice": _choice,
    "url": _url,
}


def clean_fields(definition: Definition, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``values`` against the definition's fields and normalise them.

    An empty value (``None`` or a blank string) clears the field and comes back as ``None``.

    Returns:
        Field key → normalised value, or ``None`` to clear it.

    Raises:
        InvalidInput: naming every field that is unknown or has a wrong value.
    """
    clean: dict[str, Any] = {}
    errors: dict[str, Problem] = {}
    for key, value in values.items():
        if not isinstance(key, str) or not definition.has_field(key):
            errors[str(key)[:64]] = Problem("unknown_field", {"definition": definition.key})
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            clean[key] = None
            continue
        spec = definition.field(key)
        try:
            clean[key] = _CONVERTERS[spec.type](spec, value)
        except _Bad as exc:
            errors[key] = exc.problem
    if errors:
        raise InvalidInput(errors)
    return clean


def is_filled(spec: FieldSpec, value: Any) -> bool:
    """Whether a stored value counts as filled in for a gate (a boolean must be true)."""
    if spec.type == "boolean":
        return value is True
    return value is not None and value != ""
