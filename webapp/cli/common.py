"""What every ``samspill`` command shares: one-line errors with exit 1, settings, the opened
workflow and the ``--as-of`` option."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from functools import wraps
from typing import Any, TypeVar

import click

from workflow import (
    DefinitionError,
    InvalidInput,
    Settings,
    Workflow,
    WorkflowError,
    open_workflow,
)

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> None:
    """Print ``message`` on stderr and exit with code 1."""
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def user_errors(func: F) -> F:
    """Turn the engine's errors into a one-line message and exit code 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DefinitionError as exc:
            for problem in exc.problems:
                click.echo(problem, err=True)
            sys.exit(1)
        except InvalidInput as exc:
            fail("; ".join(f"{k}: {v}" for k, v in exc.fields.items()))
        except WorkflowError as exc:
            fail(exc.message)

    return wrapper  # type: ignore[return-value]


def settings() -> Settings:
    """The settings from the environment, or exit 1 naming the bad variable."""
    try:
        return Settings.from_env()
    except InvalidInput as exc:
        fail("; ".join(f"{k}: {v}" for k, v in exc.fields.items()))
        raise  # unreachable: fail exits


@contextmanager
def opened() -> Iterator[Workflow]:
    """The configured workflow, with a clear message when the database is not set up."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        wf = open_workflow(settings())
    except (OperationalError, ProgrammingError) as exc:
        fail(f"cannot use the database ({exc.orig}); run `samspill init` first")
        raise
    try:
        yield wf
    finally:
        wf.db.dispose()


#: the dates ``--as-of`` takes: the checks add years of deadlines and reminders to it
AS_OF_RANGE = (date(1970, 1, 1), date(2999, 12, 31))


def _in_range(_ctx: click.Context, _param: click.Parameter, value: datetime | None) -> Any:
    first, last = AS_OF_RANGE
    if value is not None and not first <= value.date() <= last:
        fail(f"--as-of: must be a date from {first} to {last}")
    return value


def as_of_option(func: F) -> F:
    """``--as-of YYYY-MM-DD``: run as if on that date (at 06:00 in SAMSPILL_TIMEZONE)."""
    return click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        callback=_in_range,
        help="Act as if on this date (YYYY-MM-DD); default: now.",
    )(func)


def moment(wf: Workflow, as_of: datetime | None) -> datetime:
    """The instant ``--as-of`` names: that date at 06:00 local time, or now."""
    if as_of is None:
        return wf.clock()
    day: date = as_of.date()
    return datetime.combine(day, time(6, 0), tzinfo=settings().zone)
