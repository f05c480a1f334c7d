"""``make bench``: run every SPEC §6 benchmark and print one line per figure.

``python -m bench [--quick]``; ``--quick`` runs each at a small size for a smoke check.
A benchmark that cannot run here (e.g. no PostgreSQL for B5) prints why instead of a figure.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable

from bench import (
    b1_decisions,
    b2_check,
    b3_pages,
    b4_scaling,
    b5_concurrency,
    b6_suggestions,
    b7_search,
    b8_attachments,  # project room (issue #14)
    b9_submit,
)

BENCHMARKS: list[tuple[str, Callable[[int], tuple[str, bool]], int, int]] = [
    ("B1", b1_decisions.run, 2000, 200),
    ("B2", b2_check.run, 100_000, 2_000),
    ("B3", b3_pages.run, 100_000, 2_000),
    ("B4", b4_scaling.run, 100_000, 2_000),
    ("B5", b5_concurrency.run, 4000, 400),
    ("B6", b6_suggestions.run, 100_000, 2_000),
    ("B7", b7_search.run, 100_000, 2_000),
    ("B9", b9_submit.run, 2000, 200),
    # --- project room (issue #14) ---
    ("B8", b8_attachments.run, 0, 0),
]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; exit 0 even when a figure is short (they are measurements)."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--quick", action="store_true", help="small sizes, for a smoke check")
    args.add_argument("only", nargs="*", help="figures to run, e.g. B1 B4 (default: all)")
    options = args.parse_args(argv)
    for name, run, size, quick in BENCHMARKS:
        if options.only and name not in options.only:
            continue
        try:
            text, _ = run(quick if options.quick else size)
        except Exception as exc:  # report it and go on with the next figure
            traceback.print_exc(file=sys.stderr)
            text = f"{name}: could not run: {exc}"
        print(text, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
