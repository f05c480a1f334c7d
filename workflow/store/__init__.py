"""Persistence: tables, engines and the unit of work, the write pipeline, the audit chain,
the definition catalog, hand-written driver SQL and the migrations."""
