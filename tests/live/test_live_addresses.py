"""Where pages open their live streams: nowhere without a live server (they poll), on the live
server's port of the host they came from, or at FOLKMOOT_LIVE_URL behind a proxy; and the
Content-Security-Policy lets them connect there."""

from tests.factories import make_topic


def live_settings(settings, **values):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "LIVE_PORT": 0, "LIVE_URL": "", **values}


def test_without_a_live_server_the_page_polls_only(client, db, settings):
    live_settings(settings)
    topic = make_topic(replies=1)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "data-new-replies=" in page and "data-live=" not in page


def test_with_a_live_server_the_page_opens_its_stream_on_the_live_port(member_client, settings):
    live_settings(settings, LIVE_PORT=8001)
    settings.ALLOWED_HOSTS = ["forum.example.org"]
    topic = make_topic(replies=1)
    page = member_client.get(topic.get_absolute_url(), HTTP_HOST="forum.example.org:8000")
    text = page.content.decode()
    assert f'data-live="http://forum.example.org:8001/live/t/{topic.pk}/"' in text
    assert 'data-live-bell="http://forum.example.org:8001/live/bell/"' in text


def test_behind_a_proxy_the_page_opens_its_stream_at_the_live_url(client, db, settings):
    live_settings(settings, LIVE_URL="/live/")
    topic = make_topic(replies=1)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert f'data-live="/live/t/{topic.pk}/"' in page
