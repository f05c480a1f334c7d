"""Samspill's web layer: the Flask UI and the JSON API on the engine's service layer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apiflask import APIFlask


def create_app(*args: Any, **kwargs: Any) -> APIFlask:
    """Build the app; see :func:`webapp.app.create_app` for the arguments.

    Imported on first use, so that the ``samspill`` command line starts without loading
    Flask for commands that do not serve pages.
    """
    from webapp.app import create_app as build

    return build(*args, **kwargs)
