"""Input guards in front of every view: what no view should have to think about.

- ``<id:name>`` in a URL is an id written in ASCII digits within the range of an INTEGER
  column, so ``/projects/٣`` is not project 3 and ``/projects/99999999999`` is a 404, not
  a database overflow.
- A JSON body nested too deeply, or holding a number with too many digits to convert,
  is a 400 naming the body instead of a ``RecursionError`` or ``ValueError`` in a parser.
- A NUL character in a query or form value is a 400 naming the field: neither database
  stores one (PostgreSQL refuses it in text).
- A form's hidden ``version`` is a version number (:func:`project_version`), so ``²`` or
  5000 digits are a 400 naming it, not a ``ValueError`` in ``int()``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BaseConverter, ValidationError
from wtforms import Field, Form
from wtforms import ValidationError as FieldError

from webapp.api.fields import MAX_INT32
from webapp.errors import json_error, wants_json

_ASCII_ID = re.compile(r"[0-9]{1,10}")


class IdConverter(BaseConverter):
    """A database id in a URL: ASCII digits, 1 to 2³¹−1 (PostgreSQL's INTEGER)."""

    regex = r"[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_INT32:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


def parse_id(value: str) -> int | None:
    """``value`` as an id if it is ASCII digits within range, else None."""
    if not _ASCII_ID.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_INT32 else None


def project_version(form: Form, field: Field) -> None:
    """WTForms validator of a form's hidden ``version``: empty, or a version number."""
    if field.data and parse_id(str(field.data)) is None:
        raise FieldError(_l("must be the project's version number"))


def _bad_request(field: str, problem: str, message: str) -> Any:
    if wants_json():
        return json_error(400, "invalid_input", f"{field}: {problem}", {field: problem})
    return render_template("errors/error.html", status=400, message=message), 400


def _guard_json() -> Any:
    body = request.get_data(cache=True) if request.is_json else b""
    if not body:
        return None
    try:
        json.loads(body)
    except RecursionError:
        return _bad_request("body", "is nested too deeply", _("The request is nested too deeply."))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None  # the API's parser names what is wrong with it
    except ValueError:  # an integer literal beyond Python's digit limit
        return _bad_request(
            "body", "holds a number with too many digits", _("A number has too many digits.")
        )
    return None


def _guard_nul() -> Any:
    for values in (request.args, request.form):
        for name, value in values.items(multi=True):
            if "\x00" in name or "\x00" in value:
                field = name.replace("\x00", "")[:64] or "?"
                return _bad_request(
                    field,
                    "must not contain NUL characters",
                    _(
                        "The field %(name)s contains a NUL character, which is not allowed.",
                        name=field,
                    ),
                )
    return None


# --- project room (issue #14): uploads may be larger than other requests ---
#: the views that take a file upload (their body limit is SAMSPILL_MAX_UPLOAD_MB)
UPLOAD_ENDPOINTS = frozenset({"api.upload_attachment", "projects.upload_attachment"})
#: multipart framing around the file that an upload may carry beyond the file's limit
MULTIPART_SLACK = 64 * 1024


def _upload_limit() -> Any:
    """Raise an upload's body limit before anything reads the form (the NUL guard does)."""
    if request.endpoint in UPLOAD_ENDPOINTS:
        from flask import current_app

        limit = int(current_app.config["SAMSPILL_SETTINGS"].max_upload_mb) * 1024 * 1024
        request.max_content_length = limit + MULTIPART_SLACK
    return None


def init_app(app: Flask) -> None:
    """Register the ``id`` URL converter and the request guards."""
    app.url_map.converters["id"] = IdConverter
    app.before_request(_upload_limit)  # first: the NUL guard parses the form
    app.before_request(_guard_json)
    app.before_request(_guard_nul)
