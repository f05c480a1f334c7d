"""Outgoing mail: the texts, the outbox delivery and the SMTP connection."""
