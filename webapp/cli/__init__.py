"""The ``samspill`` command line (SPEC §3): each command a thin call into ``workflow``.

Bad input ends with exit code 1 and one line on stderr naming what is wrong. Each command
group lives in a module of its own; this one only assembles them.
"""

from __future__ import annotations

import click

from webapp.cli.export import export
from webapp.cli.manage import audit, definitions, init, stalled, token, user
from webapp.cli.run import check, scheduler, serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="samspill")
def main() -> None:
    """Samspill: stage-gate workflows for research and innovation collaboration."""


for _command in (init, definitions, user, token, stalled, audit, check, scheduler, serve, export):
    main.add_command(_command)
