"""``python -m webapp.cli``: the samspill command line."""

from webapp.cli import main

main()
