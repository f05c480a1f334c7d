"""Commands that run things: the scheduled checks once (``check``), the scheduler, the server."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

import click

import workflow
from webapp.cli.common import as_of_option, fail, moment, opened, settings, user_errors


@click.command()
@as_of_option
@user_errors
def check(as_of: datetime | None) -> None:
    """Run every scheduled check once now (or as if on --as-of), then deliver mail."""
    _log_to_stderr()
    config = settings()
    with opened() as wf:
        results = workflow.run_all(wf, moment(wf, as_of), config.smtp_url, settings=config)
    for result in results:
        click.echo(describe_job(result))
    failed = [r.job for r in results if not r.ok]
    if failed:
        fail(f"{', '.join(failed)} failed; see the messages above")


def describe_job(result: workflow.JobResult) -> str:
    """One line saying what a job run did."""
    s = result.summary
    if not result.ok:
        return f"{result.job}: FAILED: {s.get('error')}"
    if result.job == "stall_check":
        return f"stall check: {s['flagged']} flagged, {s['escalated']} escalated"
    if result.job == "deadline_reminders":
        return f"deadline reminders: {s['queued']} queued ({s['examined']} projects examined)"
    if result.job == "review_digests":
        return f"review digests: {s['queued']} queued ({s['examined']} reviews waiting)"
    if result.job == "report_reminders":
        return f"report reminders: {s['queued']} queued ({s['examined']} reports examined)"
    if result.job == "follow_up_reminders":
        return f"follow-up reminders: {s['queued']} queued ({s['examined']} follow-ups examined)"
    if result.job == "benefit_reminders":  # benefit realisation (issue 13)
        return f"benefit reminders: {s['queued']} queued ({s['examined']} benefits examined)"
    if result.job == "file_cleanup":
        return f"file cleanup: {s['removed']} unused file(s) removed ({s['examined']} examined)"
    if not s.get("smtp_configured", True):
        return (
            f"mail: SAMSPILL_SMTP_URL is not set; {s['logged']} new message(s) logged, "
            "all kept in the outbox"
        )
    return (
        f"mail: {s['sent']} sent, {s['retrying']} to retry, {s['failed']} failed, "
        f"{s['parked']} parked"
    )


def _log_to_stderr() -> None:
    import logging

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


@click.command()
@click.option(
    "--once", is_flag=True, help="Run what is due now once (if no other scheduler acts) and exit."
)
@user_errors
def scheduler(once: bool) -> None:
    """Run the scheduled checks and mail delivery (SAMSPILL_CHECK_TIME, default 06:00)."""
    import signal

    from webapp.scheduler import Runner, build_scheduler

    _log_to_stderr()
    config = settings()
    with opened() as wf:
        runner = Runner(wf, config)
        try:
            if once:
                results = runner.tick()
                if results is None:
                    click.echo("another scheduler holds the lease; nothing done")
                for result in results or []:
                    click.echo(describe_job(result))
                if results == []:
                    click.echo("nothing was due")
                return
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            click.echo(
                f"scheduler {runner.holder}: daily checks at {config.check_time} "
                f"{config.timezone}, mail every minute (Ctrl+C stops it)"
            )
            build_scheduler(runner, blocking=True).start()
        except KeyboardInterrupt:
            pass
        finally:
            runner.release()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@click.option("--no-scheduler", is_flag=True, help="Do not run the scheduled checks in-process.")
@click.option(
    "--trusted-proxy",
    metavar="ADDRESS",
    help="The reverse proxy's address: clients' addresses come from its X-Forwarded-For.",
)
@user_errors
def serve(
    host: str, port: int, threads: int, no_scheduler: bool, trusted_proxy: str | None
) -> None:
    """Serve the web UI and API with waitress (a production WSGI server)."""
    import waitress

    from webapp import create_app

    _check_free(host, port)
    follow_served_address(host, port)
    app = create_app({"SAMSPILL_RUN_SCHEDULER": not no_scheduler})
    click.echo(f"Samspill is running at http://{host}:{port}/  (Ctrl+C stops it)")
    waitress.serve(
        app, host=host, port=port, threads=threads, ident="samspill", **proxy_options(trusted_proxy)
    )


def follow_served_address(host: str, port: int) -> None:
    """Without SAMSPILL_BASE_URL, links in mail point at the address being served."""
    import os

    if not os.environ.get("SAMSPILL_BASE_URL"):
        shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
        shown = f"[{shown}]" if ":" in shown else shown
        os.environ["SAMSPILL_BASE_URL"] = f"http://{shown}:{port}"


def proxy_options(trusted_proxy: str | None) -> dict[str, Any]:
    """waitress settings that trust ``trusted_proxy`` to name the client (none: trust no one).

    The login throttle counts per client address; behind a proxy every request would
    otherwise come from the proxy's. Headers from anyone else are dropped.
    """
    if not trusted_proxy:
        return {}
    return {
        "trusted_proxy": trusted_proxy,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        "clear_untrusted_proxy_headers": True,
    }


def _check_free(host: str, port: int) -> None:
    """Exit 1 naming the address unless a server could listen on it (as waitress will)."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        hint = f"make run PORT={port + 1}" if port < 65535 else "make run PORT=5001"
        fail(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
            f"choose another port: samspill serve --port {port + 1 if port < 65535 else 5001} "
            f"(or {hint})"
        )
