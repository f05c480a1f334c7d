"""The ``requires`` kinds of a gate and their evaluation against a project."""
