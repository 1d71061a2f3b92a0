from django import forms

# The services validate (so the API and the forms share one set of rules); these forms only
# carry the text back to the page, untouched, when a service refuses it.


class PostForm(forms.Form):
    body = forms.CharField(required=False, strip=False, widget=forms.Textarea)
    # "Follow this topic": ticked by default (a member setting, notifications.MemberSettings).
    follow = forms.BooleanField(required=False)


class TopicForm(PostForm):
    title = forms.CharField(required=False, max_length=400)
    field_order = ["title", "body"]


class GuestReplyForm(PostForm):
    """A guest's reply: the text, where to send the link to publish it, and the anti-bot
    fields. Like PostForm it only carries values; guests.services.guest_reply validates."""

    email = forms.CharField(required=False)
    display_name = forms.CharField(required=False)
    website = forms.CharField(required=False)  # the honeypot: hidden from people
    altcha = forms.CharField(required=False)


class GuestTopicForm(GuestReplyForm):
    """A topic a guest starts: a title beside a guest's reply fields."""

    title = forms.CharField(required=False, max_length=400)
    field_order = ["title", "body"]
