"""A real SMTP server (aiosmtpd) on loopback that keeps what it receives, for email tests."""

import email
import re
import socket
from email.header import decode_header, make_header
from email.message import Message

from aiosmtpd.controller import Controller


class Mailbox:
    def __init__(self):
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["To"]]

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


def start_smtp_server() -> tuple[Controller, Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox
