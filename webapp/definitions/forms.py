"""The definition pages are read-only: they have no forms (kept for the package layout)."""
