import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Report

REASON_MAX_LENGTH = 500


class ReasonForm(forms.Form):
    """Why a moderator hides or deletes a post (kept in the log, shown to moderators)."""

    reason = forms.CharField(
        required=False, max_length=REASON_MAX_LENGTH, strip=False, label=_("Reason")
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=Report.Reason.choices, widget=forms.RadioSelect, label=_("What is wrong")
    )
    note = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Anything the moderators should know (optional)"),
    )


class LogFilterForm(forms.Form):
    """The log page's filters: all optional, read from the query string."""

    moderator = forms.CharField(required=False, max_length=150)
    member = forms.CharField(required=False, max_length=150)
    category = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(required=False)

    def __init__(self, data, *, categories, actions):
        super().__init__(data)
        self.fields["category"].choices = [("", _("Any category"))] + [
            (c.pk, c.name) for c in categories
        ]
        self.fields["action"].choices = [("", _("Any action")), *actions]


class WarnForm(forms.Form):
    reason = forms.CharField(max_length=REASON_MAX_LENGTH, label=_("Reason (the member sees it)"))
    points = forms.IntegerField(min_value=1, max_value=10, initial=1, label=_("Points"))
    expires_in_days = forms.IntegerField(
        min_value=1,
        max_value=3650,
        initial=30,
        required=False,
        label=_("Expires after (days; empty: never)"),
    )


class BanForm(forms.Form):
    reason = forms.CharField(max_length=200, label=_("Reason (kept on the ban list)"))
    ip_range = forms.BooleanField(
        required=False, label=_("Also ban the network this post came from")
    )


TOPIC_REFERENCE = re.compile(r"^\s*(?:.*?/t/)?(\d{1,9})(?:[-/?#].*)?\s*$")


def topic_id_of(reference: str) -> int | None:
    """A topic's number, from the number itself or any link to the topic (/t/12-slug/...)."""
    match = TOPIC_REFERENCE.match(reference or "")
    return int(match.group(1)) if match else None


class MergeForm(forms.Form):
    into = forms.CharField(max_length=500, label=_("Merge into topic (its number or link)"))
    reason = forms.CharField(
        required=False, max_length=REASON_MAX_LENGTH, label=_("Reason (optional)")
    )

    def clean_into(self) -> int:
        topic_id = topic_id_of(self.cleaned_data["into"])
        if topic_id is None:
            raise forms.ValidationError(_("Give the topic's number, or paste a link to it."))
        return topic_id


class SelectedPostsForm(forms.Form):
    """Several posts of a topic, ticked on its page, and what to do with them."""

    ACTIONS = (
        ("hide", _("Hide")),
        ("delete", _("Delete")),
        ("split", _("Split into a new topic")),
        ("move", _("Move to another topic")),
    )
    action = forms.ChoiceField(choices=ACTIONS)
    post = forms.TypedMultipleChoiceField(coerce=int, required=False)
    reason = forms.CharField(required=False, max_length=REASON_MAX_LENGTH)
    title = forms.CharField(required=False, max_length=200, label=_("New topic's title"))
    category = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    to = forms.CharField(required=False, max_length=500, label=_("Topic (its number or link)"))

    def __init__(self, data, *, post_ids, categories):
        super().__init__(data)
        self.fields["post"].choices = [(pk, pk) for pk in post_ids]
        self.fields["category"].choices = [(c.pk, c.name) for c in categories]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "split" and not data.get("category"):
            self.add_error("category", _("Choose the new topic's category."))
        if action == "move":
            data["to"] = topic_id_of(data.get("to", ""))
            if data["to"] is None:
                self.add_error("to", _("Give the topic's number, or paste a link to it."))
        return data


class SuspendForm(forms.Form):
    reason = forms.CharField(max_length=REASON_MAX_LENGTH, label=_("Reason (the member sees it)"))
    days = forms.IntegerField(min_value=1, max_value=365, initial=7, label=_("For how many days"))


class HideMemberPostsForm(forms.Form):
    reason = forms.CharField(
        required=False, max_length=REASON_MAX_LENGTH, label=_("Reason (shown to moderators)")
    )
