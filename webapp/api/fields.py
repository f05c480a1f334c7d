"""Strict marshmallow fields for JSON input: no coercion, nothing a database would choke on."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from marshmallow import ValidationError, fields
from marshmallow.validate import Regexp

from workflow import one_line

#: the largest id or version a 32-bit INTEGER column holds (PostgreSQL refuses more)
MAX_INT32 = 2**31 - 1
MAX_FIELD_TEXT = 20_000


def check_text(value: str) -> str:
    """Refuse NUL characters and lone surrogates, which neither database stores."""
    if "\x00" in value:
        raise ValidationError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("must be valid Unicode text") from None
    return value


#: what :func:`check_text` lets through, for the OpenAPI document
STORABLE = "^[^\\u0000]*$"


class Text(fields.String):
    """A string that both databases can store (documented as a pattern without NUL)."""

    def __init__(self, **kwargs: Any) -> None:
        validators = kwargs.get("validate")
        if not isinstance(validators, Regexp):  # a Regexp documents a stricter pattern itself
            kwargs["metadata"] = {"pattern": STORABLE, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return check_text(super()._deserialize(value, attr, data, **kwargs))


#: what :class:`Line` lets through, for the OpenAPI document
ONE_LINE = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$"


class Line(Text):
    """Text that reaches a mail header or a log line (a title, a name): one line, no control
    characters (SPEC §7)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = {"pattern": ONE_LINE, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if one_line(text) != text:
            raise ValidationError("must be one line, without control characters")
        return text


class StrictInteger(fields.Integer):
    """A JSON integer: no strings, floats or booleans."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class AsciiInteger(fields.Integer):
    """An integer in a path or query string, in ASCII digits: ``٣`` and ``²`` are not numbers
    here, although Python's ``int()`` reads them as 3 and 2."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, str) and not (value.isascii() and value.lstrip("-").isdigit()):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class StrictBoolean(fields.Boolean):
    """A JSON ``true`` or ``false``; no strings or numbers."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def _scalar(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) > MAX_FIELD_TEXT:
            raise ValidationError(f"must be at most {MAX_FIELD_TEXT} characters")
        return check_text(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    raise ValidationError("must be text, a number, true/false or null")


class FieldValues(fields.Dict):
    """A project's definition fields: key → text, number, boolean or null (to clear)."""

    def __init__(self, **kwargs: Any) -> None:
        scalar = [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]
        values = fields.Raw(allow_none=True, metadata={"oneOf": scalar, "nullable": True})
        # any text is a well-formed key here: a key the definition lacks (one with a NUL
        # character included) is the engine's refusal, a 422 naming it
        super().__init__(keys=fields.String(), values=values, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, Mapping):
            raise self.make_error("invalid")
        errors: dict[str, str] = {}
        clean: dict[str, Any] = {}
        for key, item in value.items():
            name = str(key)[:64]
            try:
                clean[str(key)] = _scalar(item)
            except ValidationError as exc:
                errors[name] = "; ".join(map(str, exc.messages))
        if errors:
            raise ValidationError(errors)
        return clean


#: an RFC 3339 date-time, whatever the case of its letters (leap seconds included)
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


class Moment(fields.String):
    """A date and time with its UTC offset (ISO 8601 / RFC 3339), as an aware datetime.

    A well-formed moment Python cannot represent (a leap second, year 0) is passed on as
    text, so the engine names the field (422) rather than the request being malformed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = {"format": "date-time", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = check_text(super()._deserialize(value, attr, data, **kwargs))
        try:
            return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
        except ValueError:
            if _RFC3339.match(text):
                return text
            raise ValidationError("must be a date and time with a UTC offset") from None
