from django import forms

# The services validate (so the API and the forms share one set of rules); these forms only
# carry the text back to the page, untouched, when a service refuses it.


class PostForm(forms.Form):
    body = forms.CharField(required=False, strip=False, widget=forms.Textarea)


class TopicForm(PostForm):
    title = forms.CharField(required=False, max_length=400)
    field_order = ["title", "body"]
