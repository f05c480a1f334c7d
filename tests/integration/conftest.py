"""A real SMTP server (aiosmtpd) on a loopback port for the delivery tests."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """An aiosmtpd handler keeping every accepted message; it can refuse on request."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        #: addresses refused for good at RCPT (550)
        self.unknown: set[str] = set()
        #: how many DATA commands to answer with a temporary 451 before accepting again
        self.busy = 0
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.unknown:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.busy:
                self.busy -= 1
                return "451 4.3.0 Try again later"
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted"


class MailServer:
    """An SMTP server on a free loopback port that tests can stop and start again."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"smtp://127.0.0.1:{self.port}"
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        """Every message the server accepted, in order."""
        return self.inbox.messages

    def start(self) -> None:
        """Accept connections (again)."""
        if self._controller is None:
            self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def stop(self) -> None:
        """Refuse connections: the port is closed."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp() -> Iterator[MailServer]:
    """A running SMTP server that keeps what it receives; ``smtp.stop()`` takes it down."""
    server = MailServer()
    server.start()
    yield server
    server.stop()
