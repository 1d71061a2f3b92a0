"""A real SMTP server (aiosmtpd) on loopback that keeps what it receives, for email tests; and
one that accepts connections and never answers, as a stalled mail server does."""

import email
import re
import socket
import threading
from collections.abc import Callable
from email.header import decode_header, make_header
from email.message import Message

from aiosmtpd.controller import Controller


class Mailbox:
    """What the server received. `deliver`, when set, runs before every look: the site only
    queues emails, so it stands for the worker sending what is queued."""

    def __init__(self):
        self.received: list[Message] = []
        # The envelope recipients of each message received, in order.
        self.delivered_to: list[list[str]] = []
        self.deliver: Callable[[], None] | None = None

    @property
    def messages(self) -> list[Message]:
        if self.deliver:
            self.deliver()
        return self.received

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in (m["To"] or "")]

    @staticmethod
    def subject(message: Message) -> str:
        return str(make_header(decode_header(message["Subject"])))

    @staticmethod
    def text(message: Message) -> str:
        if message.is_multipart():
            parts = [p for p in message.walk() if p.get_content_type() == "text/plain"]
            message = parts[0]
        return message.get_payload(decode=True).decode()

    def links_to(self, address: str) -> list[str]:
        return [
            link
            for message in self.to(address)
            for link in re.findall(r"https?://\S+", self.text(message))
        ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    """aiosmtpd's handler (a separate object: aiosmtpd reads every attribute of its handler,
    and reading Mailbox.messages sends mail)."""

    def __init__(self, mailbox: Mailbox, refuse: dict[str, str]):
        self.mailbox = mailbox
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.mailbox.received.append(email.message_from_bytes(envelope.content))
        self.mailbox.delivered_to.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def start_smtp_server(*, refuse: dict[str, str] | None = None) -> tuple[Controller, Mailbox]:
    """`refuse`: {address: the server's reply to RCPT TO}, e.g. "550 5.1.1 No such user"."""
    mailbox = Mailbox()
    handler = _Handler(mailbox, refuse if refuse is not None else {})
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox


class StallingSMTPServer:
    """Accepts TCP connections on 127.0.0.1 and never says a word: no greeting, no reply."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.accepted = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(connection)
            self.accepted.set()

    def stop(self) -> None:
        self.sock.close()
        for connection in self.connections:
            connection.close()
