"""A real SMTP server on a local port, for sends that must be seen on the wire.

It accepts every message, or, while ``holding``, takes the whole message and then keeps the
reply to DATA back until released: the moment at which a sender cannot know whether the
message went out. ``received`` counts every message whose content reached the server.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ScriptedSMTP:
    def __init__(self) -> None:
        self.holding = False
        self.received: list[bytes] = []
        self._release = threading.Event()
        self.controller = Controller(self, hostname="127.0.0.1", port=_free_port())
        self.controller.start()
        self.host, self.port = "127.0.0.1", self.controller.port

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append(envelope.content)
        if self.holding:
            await asyncio.get_running_loop().run_in_executor(None, self._release.wait, 60)
        return "250 2.0.0 Message accepted"

    def wait_for_messages(self, count: int, *, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return len(self.received) >= count

    def release(self) -> None:
        """Answer the held DATA, and every later one at once."""
        self.holding = False
        self._release.set()

    def close(self) -> None:
        self.release()
        self.controller.stop()
