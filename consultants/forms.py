from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from accounts.forms import SignupForm
from accounts.models import FirmMembership, Sector
from reports.models import REVIEW_COMMENT_MAX_LENGTH

from .selectors import MATURITY_CHOICES, PLAN_CHOICES, DashboardQuery, Status, is_valid_sort

SEARCH_MAX_LENGTH = 100


class DashboardForm(forms.Form):
    """The dashboard's query string. Values it does not understand are ignored, never fatal."""

    q = forms.CharField(label="Search by name", required=False, max_length=SEARCH_MAX_LENGTH)
    sector = forms.ChoiceField(
        label="Sector", required=False, choices=[("", "All sectors"), *Sector.choices]
    )
    maturity = forms.ChoiceField(
        label="Maturity", required=False, choices=[("", "Any maturity"), *MATURITY_CHOICES]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Status.CHOICES]
    )
    plan = forms.ChoiceField(
        label="Action plan", required=False, choices=[("", "Any plan"), *PLAN_CHOICES]
    )

    def __init__(self, data, *, pillar_keys: list[str]):
        super().__init__(data)
        self.pillar_keys = pillar_keys

    def query(self) -> DashboardQuery:
        """The checked query; anything invalid falls back to "no filter" and is listed."""
        self.is_valid()
        ignored = [self.fields[name].label for name in self.errors]
        cleaned = self.cleaned_data
        sort = (self.data.get("sort") or "").strip()
        if sort and not is_valid_sort(sort, self.pillar_keys):
            ignored.append("Sort order")
            sort = ""
        return DashboardQuery(
            q=(cleaned.get("q") or "").strip(),
            sector=cleaned.get("sector") or "",
            maturity=cleaned.get("maturity") or "",
            status=cleaned.get("status") or "",
            plan=cleaned.get("plan") or "",
            sort=sort or DashboardQuery.sort,
            ignored=tuple(ignored),
        )


class ClientInvitationForm(forms.Form):
    email = forms.EmailField(
        label="Client's email address",
        help_text="They receive a link that works once, for 14 days.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ConsultantEmailForm(forms.Form):
    """The email and firm role of a consultant to invite."""

    email = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(
        label="Role", choices=FirmMembership.Role.choices, initial=FirmMembership.Role.CONSULTANT
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ClientSignupForm(SignupForm):
    """Sign-up through a client invitation: the address is the one the invitation went to."""

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, initial={"email": email}, **kwargs)
        self.fields["email"].disabled = True
        self.fields["email"].help_text = "The invitation was sent to this address."
        self.helper.inputs = []
        self.helper.add_input(Submit("signup", "Create account and share with the firm"))


class ConsultantSignupForm(SignupForm):
    """Sign-up through a consultant invitation: an account, no business profile."""

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, initial={"email": email}, **kwargs)
        for name in [n for n in self.fields if n.startswith("org_")]:
            del self.fields[name]
        self.fields["email"].disabled = True
        self.fields["email"].help_text = "The invitation was sent to this address."
        self.helper = FormHelper()
        self.helper.layout = Layout(Fieldset("Your account", "email", "password1", "password2"))
        self.helper.add_input(Submit("signup", "Create account and join the firm"))


class ReviewCommentForm(forms.Form):
    assessment = forms.TypedChoiceField(label="Assessment", coerce=int)
    pillar_key = forms.ChoiceField(label="About", required=False)
    text = forms.CharField(
        label="Comment",
        max_length=REVIEW_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The client sees this in their report under “Consultant comments”.",
    )

    def __init__(self, *args, assessments, pillars, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].choices = [
            (a.pk, f"Submitted {date_format(timezone.localtime(a.submitted_at), 'j M Y')}")
            for a in assessments
        ]
        self.fields["pillar_key"].choices = [("", "Overall"), *((p.key, p.name) for p in pillars)]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
