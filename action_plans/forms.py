from django import forms
from django.utils.text import Truncator

from .models import ActionItem
from .selectors import TARGET_LABELS


class DateInput(forms.DateInput):
    """The browser's date picker; a phone shows its own."""

    input_type = "date"


class ItemForm(forms.Form):
    """An item's status and details: one plain form per item, so the page needs no JavaScript."""

    status = forms.ChoiceField(label="Status", choices=ActionItem.Status.choices)
    assignee = forms.CharField(
        label="Who does it", required=False, max_length=100, help_text="A name is enough."
    )
    due_date = forms.DateField(label="Due", required=False, widget=DateInput)
    reason = forms.CharField(label="Why not (for “won't do”)", required=False, max_length=500)
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=ActionItem.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, item: ActionItem, **kwargs):
        # Ids unique on a page that holds one form per item.
        kwargs.setdefault("auto_id", f"item-{item.pk}-%s")
        kwargs.setdefault(
            "initial",
            {
                "status": item.status,
                "assignee": item.assignee,
                "due_date": item.due_date,
                "reason": item.reason,
                "note": item.note,
                "revision": item.revision,
            },
        )
        super().__init__(*args, **kwargs)


class StatusForm(forms.Form):
    """The plan page's quick status change (its select is written in the template)."""

    status = forms.ChoiceField(choices=ActionItem.Status.choices)
    revision = forms.IntegerField(min_value=0)


class ActionAddForm(forms.Form):
    title = forms.CharField(label="Action", max_length=ActionItem.TITLE_MAX_LENGTH)
    due_date = forms.DateField(label="Due", required=False, widget=DateInput)
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=ActionItem.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "add-%s")
        super().__init__(*args, **kwargs)


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Comment",
        max_length=ActionItem.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, item: ActionItem, **kwargs):
        kwargs.setdefault("auto_id", f"comment-{item.pk}-%s")
        super().__init__(*args, **kwargs)
        self.item_pk = item.pk
        # One comment box per action on the page: each label names its action.
        self.fields["text"].label = f"Comment on “{Truncator(item.title).words(6)}”"


class TargetsForm(forms.Form):
    """A target level per pillar and one date; defaults come from the view."""

    target_date = forms.DateField(label="Target date", required=False, widget=DateInput)

    def __init__(self, *args, pillars, **kwargs):
        super().__init__(*args, **kwargs)
        self.pillar_keys = [p.key for p in pillars]
        for pillar in pillars:
            self.fields[f"target_{pillar.key}"] = forms.TypedChoiceField(
                label=pillar.name,
                coerce=int,
                choices=list(TARGET_LABELS.items()),
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        self.order_fields([f"target_{k}" for k in self.pillar_keys] + ["target_date"])

    def levels(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"target_{key}"] for key in self.pillar_keys}
