"""Path parameters validated by a schema, so ``/projects/abc`` is a 400 naming ``project_id``.

Flask's ``int`` converter would answer a routing 404 without saying which part is wrong,
and would pass ids too large for PostgreSQL's INTEGER through to the database.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from apiflask import Schema

from webapp.api import bp

F = TypeVar("F", bound=Callable[..., Any])


def path_params(schema: type[Schema]) -> Callable[[F], F]:
    """Validate the URL's variables with ``schema`` and call the view with converted values."""

    def decorate(view: F) -> F:
        @wraps(view)
        def converted(*args: Any, path_args: dict[str, Any], **kwargs: Any) -> Any:
            return view(*args, **{**kwargs, **path_args})

        # input() returns its own wrapper type; it keeps the view's call signature for Flask
        return bp.input(schema, location="path", arg_name="path_args")(converted)  # type: ignore[return-value]

    return decorate
