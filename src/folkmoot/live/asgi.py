"""The live server's ASGI application: Django (live/urls.py only) under Granian, plus the
listener that feeds this process's broker (Redis, or datagrams on loopback)."""

import asyncio
import contextlib
import os

os.environ["FOLKMOOT_LIVE_SERVER"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")

from django.conf import settings  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

from folkmoot.live import broker  # noqa: E402

django_application = get_asgi_application()
_listeners: list = []


async def _start_listening() -> None:
    if settings.REDIS_URL:
        ready = asyncio.Event()
        _listeners.append(
            asyncio.create_task(broker.listen_to_redis(settings.REDIS_URL, ready=ready))
        )
        # Redis down: the listener keeps trying, and the streams serve what they can.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ready.wait(), 10)
    elif settings.FOLKMOOT["LIVE_PORT"]:
        _listeners.append(await broker.listen_on_loopback(settings.FOLKMOOT["LIVE_PORT"]))


async def application(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await _start_listening()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    else:
        await django_application(scope, receive, send)
