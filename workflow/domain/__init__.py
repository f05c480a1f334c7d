"""Pure rules of the domain: the project lifecycle and field types; no database."""
