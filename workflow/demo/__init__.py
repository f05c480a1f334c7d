"""Demo data for ``samspill init --demo``, written through the service layer only.

Imported on demand (``from workflow.demo import load_demo``): the engine never needs it.
"""

from workflow.demo.seed import load_demo

__all__ = ["load_demo"]
