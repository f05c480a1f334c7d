"""Talking to the mail server: connect as ``SAMSPILL_SMTP_URL`` says, word the message."""

from __future__ import annotations

import smtplib
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from workflow.domain.text import has_control, one_line

SMTP_TIMEOUT = 30.0


def connect(smtp_url: str) -> smtplib.SMTP:
    """An SMTP connection for ``smtp_url``, logged in and switched to TLS as it asks."""
    url = urlparse(smtp_url)
    host = url.hostname or "localhost"
    smtp: smtplib.SMTP
    if url.scheme == "smtps":
        smtp = smtplib.SMTP_SSL(host, url.port or 465, timeout=SMTP_TIMEOUT)
    else:
        smtp = smtplib.SMTP(host, url.port or 25, timeout=SMTP_TIMEOUT)
        if parse_qs(url.query).get("starttls", ["0"])[0].lower() in ("1", "true", "yes"):
            smtp.starttls()
    if url.username:
        smtp.login(unquote(url.username), unquote(url.password or ""))
    return smtp


def message(row: Any, *, mail_from: str, now: datetime) -> EmailMessage:
    """The e-mail for an outbox row, with a Message-ID that is the same on every try.

    The subject is made one line; an address is never changed, so one with a control
    character is refused.

    Raises:
        ValueError: the recipient address holds a line break or another control character.
    """
    if has_control(row.recipient_email):
        raise ValueError("the recipient address holds a line break or control character")
    domain = mail_from.rpartition("@")[2] or "localhost"
    msg = EmailMessage()
    msg["From"] = mail_from
    msg["To"] = row.recipient_email
    msg["Subject"] = one_line(row.subject)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = f"<samspill.outbox.{row.id}@{domain}>"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(row.body)
    msg["Content-Language"] = row.language  # after set_content, which drops Content-* headers
    return msg


def is_permanent(exc: BaseException) -> bool:
    """Whether the server refused for good (a 5xx reply), so retrying is pointless."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def describe(exc: BaseException) -> str:
    """A one-line account of an SMTP error for ``last_error``."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{addr} refused: {code} {text.decode(errors='replace')}"
            for addr, (code, text) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        text = error.decode(errors="replace") if isinstance(error, bytes) else str(error)
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}"
