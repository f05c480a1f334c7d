"""The ``samspill`` command line (SPEC §3): each command a thin call into ``workflow``.

Bad input ends with exit code 1 and one line on stderr naming what is wrong. Each command
group lives in a module of its own; this one only assembles them.
"""

from __future__ import annotations

import importlib

import click

#: each command and the module that defines it (as an attribute of the same name); a
#: module is imported only when its command runs, so ``samspill check`` loads no Flask
COMMANDS = {
    "init": "webapp.cli.manage",
    "definitions": "webapp.cli.manage",
    "user": "webapp.cli.manage",
    "token": "webapp.cli.manage",
    "stalled": "webapp.cli.manage",
    "audit": "webapp.cli.manage",
    "check": "webapp.cli.run",
    "scheduler": "webapp.cli.run",
    "serve": "webapp.cli.run",
    "export": "webapp.cli.export",
    # --- open data (issue #17) ---
    "person": "webapp.cli.persons",
    # full-text search (issue 13)
    "search": "webapp.cli.search",
}


class _LazyGroup(click.Group):
    """A group whose commands are imported from :data:`COMMANDS` when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            command = getattr(importlib.import_module(COMMANDS[cmd_name]), cmd_name)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="samspill")
def main() -> None:
    """Samspill: stage-gate workflows for research and innovation collaboration."""
