"""Server-Sent Events for open pages, served by async code (the live server, `live/asgi.py`):
an idle stream is a suspended coroutine and a queue, not a thread.

- /live/t/<topic_id>/: the number of the topic's newest published post, each time it changes
  after the number the page has (`?after=N`, or the Last-Event-ID a reconnecting EventSource
  sends). The page then asks /t/<id>/new-posts/ what it may see, as its polling does.
- /live/bell/: the signed-in member's unread count, at once and each time it may have changed.

Who may connect is checked as for the pages (a topic one may not see is a 404), and the
events carry numbers only: a held or pending post publishes no event, and what a post says
is only ever fetched through the permission-checked pages."""

import asyncio
from urllib.parse import urlsplit

from asgiref.sync import sync_to_async
from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from folkmoot.discussions import queries as discussion_queries
from folkmoot.live.address import host_name
from folkmoot.live.broker import broker, member_channel, topic_channel
from folkmoot.notifications import queries as notification_queries

from . import queries

# A comment line this often: proxies keep the connection, and a gone client is noticed.
HEARTBEAT_SECONDS = 25
# How long a browser waits before reconnecting a dropped stream.
RETRY_MILLISECONDS = 3000


def _event(event: str, data: int, *, event_id: int | None = None) -> str:
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append(f"data: {data}")
    return "\n".join(lines) + "\n\n"


def _resume_from(request) -> int | None:
    """The number the page already has: Last-Event-ID on a reconnect, else ?after=N."""
    value = request.headers.get("Last-Event-ID") or request.GET.get("after", "0")
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        return None
    return int(value)


def _stream_response(request, stream) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type="text/event-stream")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    # The page may be served from another port of the same host (`folkmoot serve` without a
    # proxy): it may read the stream, with the member's cookies, and no other site may.
    origin = request.headers.get("Origin")
    if origin and host_name(urlsplit(origin).netloc) == host_name(request.get_host()):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Credentials"] = "true"
    response["Vary"] = "Origin, Cookie"
    return response


async def _messages(channel: str):
    """This process's events on `channel`, with None every HEARTBEAT_SECONDS of quiet; ends
    when the reader fell QUEUE_SIZE events behind (it reconnects and resumes)."""
    subscription = broker.subscribe(channel)
    try:
        yield {"subscribed": True}
        while not subscription.overflowed:
            try:
                yield await asyncio.wait_for(subscription.get(), HEARTBEAT_SECONDS)
            except TimeoutError:
                yield None
    finally:
        subscription.close()


async def _topic_stream(topic, after: int):
    latest = sync_to_async(queries.latest_reply_number)
    yield f"retry: {RETRY_MILLISECONDS}\n\n"
    async for message in _messages(topic_channel(topic.pk)):
        if message is None:
            yield ": still here\n\n"
            continue
        if "id" in message:
            number = message["id"]
        else:  # subscribed (so nothing published from now on is missed), or told to resync
            number = await latest(topic)
        if number > after:
            after = number
            yield _event("reply", number, event_id=number)


@require_safe
async def topic_stream(request, topic_id: int):
    after = _resume_from(request)
    if after is None:
        return HttpResponse("?after=N, N a post number.", status=400)
    viewer = await request.auser()
    get_topic = sync_to_async(discussion_queries.get_topic)
    topic = await get_topic(topic_id=topic_id, viewer=viewer)  # 404 if they may not see it
    return _stream_response(request, _topic_stream(topic, after))


async def _bell_stream(member):
    count = sync_to_async(notification_queries.unread_count)
    yield f"retry: {RETRY_MILLISECONDS}\n\n"
    sent = None
    async for message in _messages(member_channel(member.pk)):
        if message is None:
            yield ": still here\n\n"
            continue
        unread = await count(member)
        if unread != sent:
            sent = unread
            yield _event("unread", unread, event_id=message.get("id"))


@require_safe
async def bell_stream(request):
    member = await request.auser()
    if not member.is_authenticated:
        return HttpResponse(status=204)  # "no stream": an EventSource does not reconnect
    return _stream_response(request, _bell_stream(member))
