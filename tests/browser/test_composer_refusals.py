"""What the editor does when the server or the rules say no: the text is never lost."""

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from folkmoot.composer.models import UploadPolicy
from tests.browser.composer_helpers import NOTICES, markdown, open_composer, paste_file
from tests.browser.conftest import sign_in
from tests.conftest import set_limits
from tests.images import image_bytes


def topic_url(topic) -> str:
    return f"/t/{topic.pk}-{topic.slug}/"


def test_a_refused_reply_comes_back_with_the_error_and_the_text_still_in_the_editor(
    page, topic, other_member, settings
):
    set_limits(settings, POST_MAX_LENGTH=40)
    sign_in(page, other_member)
    open_composer(page, topic_url(topic))
    text = "This reply is far too long for the limit this forum has set."
    page.keyboard.type(text)
    page.get_by_role("button", name="Submit reply").click()

    expect(page.get_by_role("alert")).to_contain_text("Posts can be at most 40 characters long")
    assert page.locator("textarea[name=body]").input_value() == text
    page.get_by_placeholder("Reply to this topic...").click()
    expect(page.locator("[data-composer-editor]")).to_have_text(text)
    assert topic.posts.count() == 1


def test_a_member_whose_group_may_not_upload_cannot_paste_images(page, topic, other_member):
    group = Group.objects.create(name="No pictures")
    UploadPolicy.objects.create(group=group, may_upload=False)
    other_member.groups.add(group)
    sign_in(page, other_member)
    open_composer(page, topic_url(topic))
    expect(page.get_by_role("button", name="Upload image")).to_have_count(0)
    paste_file(page, name="photo.png", content=image_bytes(), mime="image/png")
    expect(page.locator(NOTICES)).to_contain_text(
        "You cannot paste images directly. Upload or insert images from URL."
    )
    assert markdown(page) == ""


def test_a_file_that_is_not_an_image_is_refused_with_the_servers_reason(page, topic, other_member):
    sign_in(page, other_member)
    open_composer(page, topic_url(topic))
    paste_file(page, name="totally.png", content=b"MZ\x90\x00 not a png", mime="image/png")
    expect(page.locator(NOTICES)).to_contain_text("That file is not an image we can read.")
    assert "![" not in markdown(page)


def test_a_new_topic_is_written_in_the_same_editor(page, category, other_member):
    sign_in(page, other_member)
    page.goto(f"/c/{category.pk}-{category.slug}/new/")
    page.fill("input[name=title]", "Written with the editor")
    page.get_by_placeholder("Write your post...").click()
    page.wait_for_selector("[data-composer-editor]")
    page.keyboard.type("A ")
    page.keyboard.press("Control+i")
    page.keyboard.type("fresh")
    page.keyboard.press("Control+i")
    page.keyboard.type(" start")
    page.get_by_role("button", name="Start topic").click()
    expect(page.locator("#post-1 .post-body em")).to_have_text("fresh")
    expect(page.get_by_role("heading", name="Written with the editor")).to_be_visible()
