"""In Chromium, under the Content-Security-Policy the site is meant to send
(`img-src 'self' data: blob:`): images copied from other sites and uploads show, and reading a
topic makes the browser contact no host but ours."""

from django.db import transaction
from django_tasks_db.models import DBTaskResult

from folkmoot.discussions import services, tasks
from tests.images import image_bytes

CSP = "default-src 'self'; img-src 'self' data: blob:"


def test_copied_images_show_under_the_csp_and_nothing_is_fetched_from_elsewhere(
    page, live_server, topic, other_member, local_web
):
    picture = local_web.serve("/picture.png", image_bytes(size=(90, 45)))
    with transaction.atomic():
        services.reply(
            topic=topic,
            author=other_member,
            body=f"Copied: ![copied]({picture})\n\nNever fetched: ![private](https://10.0.0.5/x.png)",
            enforce_limits=False,
        )
    for queued in DBTaskResult.objects.filter(queue_name=tasks.FETCH_QUEUE):
        tasks.fetch_link_previews.call(*queued.args_kwargs["args"])

    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(request.url.split("/")[2]))

    def with_csp(route):
        response = route.fetch()
        route.fulfill(
            response=response, headers={**response.headers, "content-security-policy": CSP}
        )

    page.route(f"{live_server.url}/t/**", with_csp)
    page.goto(f"/t/{topic.pk}-{topic.slug}/")
    copied = page.locator('#post-2 img[alt="copied"]')
    copied.wait_for()
    assert copied.evaluate("image => image.complete && image.naturalWidth") == 90
    assert page.locator("#post-2 a", has_text="private").count() == 1
    assert requested_hosts == {live_server.url.split("/")[2]}
