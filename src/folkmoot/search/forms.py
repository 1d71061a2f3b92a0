from datetime import date, datetime, time, timedelta

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .backends import Filters
from .syntax import QUERY_MAX_LENGTH, QueryError, parse

# The browser's date picker where there is one; typed ISO dates (2024-05-31) everywhere. The
# range keeps a date's start and the day after its end within what datetimes can hold.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_RANGE_MESSAGE = _("Pick a date between the years 1900 and 9000.")
DATE_VALIDATORS = [
    MinValueValidator(date(1900, 1, 1), message=DATE_RANGE_MESSAGE),
    MaxValueValidator(date(9000, 12, 31), message=DATE_RANGE_MESSAGE),
]


class SearchForm(forms.Form):
    """The search page's GET parameters. Everything but the words is optional; a value that
    makes no sense (a category that does not exist, a date like 2024-13-45) is an error shown
    beside its field, never a 500."""

    ORDERS = (("relevance", _("Most relevant")), ("newest", _("Newest")))

    q = forms.CharField(label=_("Search for"), required=False, strip=False)
    category = forms.TypedChoiceField(
        label=_("In category"), required=False, coerce=int, empty_value=None
    )
    author = forms.CharField(label=_("By author"), required=False, max_length=150)
    since = forms.DateField(
        label=_("From"), required=False, widget=DATE_INPUT, validators=DATE_VALIDATORS
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=DATE_INPUT, validators=DATE_VALIDATORS
    )
    titles = forms.BooleanField(label=_("Titles only"), required=False)
    attachments = forms.BooleanField(label=_("Has attachments"), required=False)
    order = forms.ChoiceField(label=_("Order"), choices=ORDERS, required=False)
    topic = forms.IntegerField(
        required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput
    )

    def __init__(self, data, *, categories):
        super().__init__(data)
        self.fields["category"].choices = [("", _("Any category"))] + [
            (category.pk, category.name) for category in categories
        ]
        # Long queries are refused with a message, not cut silently by the browser.
        self.fields["q"].widget.attrs.update(
            {"type": "search", "autocomplete": "off", "data-max": QUERY_MAX_LENGTH}
        )

    def clean_q(self):
        text = self.cleaned_data["q"]
        try:
            self.cleaned_data["query"] = parse(text)
        except QueryError as error:
            raise forms.ValidationError(str(error), code="query") from None
        return text

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the date range comes before its start."))
        return data

    def filters(self, *, author_id: int | None) -> Filters:
        data = self.cleaned_data
        category = data.get("category")
        return Filters(
            category_ids=(category,) if category else None,
            author_id=author_id,
            topic_id=data.get("topic"),
            since=_start_of(data.get("since")),
            until=_start_of(data["until"] + timedelta(days=1)) if data.get("until") else None,
            titles_only=bool(data.get("titles")),
            has_attachments=bool(data.get("attachments")),
        )


def _start_of(day) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))
