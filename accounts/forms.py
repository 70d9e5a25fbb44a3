from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from core.text import one_line

from .models import ERR_MAIN_SITE_NEEDED, PROFILE_ANSWERS, Organization, Sites, User

# The business profile's questions, as the profile page and sign-up ask them.
PROFILE_FIELDS = ("sites", "main_site", *PROFILE_ANSWERS)

ERR_LOGIN_TOO_LONG = "That is longer than any email address we have."
ERR_PASSWORD_MISMATCH = "The two passwords do not match."  # noqa: S105 (a message)


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "sector", "size_band", "region", *PROFILE_FIELDS]
        help_texts = {
            "sector": "Your action plan is written for this sector. Choose “Other” if none fits.",
            "region": "For example: Wales, Ontario, Bavaria.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "region": forms.TextInput(attrs={"autocomplete": "country-name"}),
            "sites": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "Choose your sector")] + list(
            self.fields["sector"].choices
        )[1:]
        self.fields["size_band"].choices = [("", "Choose a size")] + list(
            self.fields["size_band"].choices
        )[1:]
        # The model's rule as a form rule too: the sign-up form borrows these fields.
        self.fields["name"].validators.append(one_line)
        # The radio starts on "one site", so a browser always sends it; a post without it
        # (a script, an older page) means the model's default, one site, as before.
        self.fields["sites"].required = False
        self.fields["main_site"].widget.attrs["autocomplete"] = "off"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset("Your business", "name", "sector", "size_band", "region"),
            profile_fieldset(""),
        )
        self.helper.add_input(Submit("save", "Save business profile"))

    def clean(self):
        cleaned = super().clean()
        cleaned["sites"] = cleaned.get("sites") or Sites.ONE
        if cleaned["sites"] != Sites.SEVERAL:
            cleaned["main_site"] = ""
        return cleaned


def clean_sites(form: forms.Form, prefix: str = "") -> None:
    """Several sites need the most important one named; one site or none keeps no name.

    ``Organization.clean`` holds the same rule; a ModelForm gets its error from there.
    """
    cleaned = form.cleaned_data
    if f"{prefix}sites" in cleaned and not cleaned[f"{prefix}sites"]:
        cleaned[f"{prefix}sites"] = Sites.ONE
    if cleaned.get(f"{prefix}sites") != Sites.SEVERAL:
        cleaned[f"{prefix}main_site"] = ""
    elif not cleaned.get(f"{prefix}main_site") and f"{prefix}main_site" not in form.errors:
        form.add_error(f"{prefix}main_site", ERR_MAIN_SITE_NEEDED)


def profile_fieldset(prefix: str) -> Fieldset:
    """The profile questions: which questions apply to the business and which advice fits."""
    return Fieldset(
        "How your business works",
        HTML(
            '<p class="form-text mt-0">A few facts beside the sector, so you are not asked '
            "about things you do not have and the advice fits your kind of work. "
            "You can change them later.</p>"
        ),
        f"{prefix}sites",
        f"{prefix}main_site",
        HTML('<p class="mb-1 mt-3">Tick what is true of your business:</p>'),
        *(f"{prefix}{name}" for name in PROFILE_ANSWERS),
    )


class YourNameForm(forms.ModelForm):
    """The owner's own name: the printed continuity plan names them (and its reviewers) by it."""

    class Meta:
        model = User
        fields = ["first_name", "last_name"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["first_name"].error_messages["required"] = "Enter your first name."
        for field in self.fields.values():
            field.validators.append(one_line)
        self.helper = FormHelper()
        self.helper.form_id = "your-name"
        self.helper.add_input(Submit("save_name", "Save your name"))


class SignupForm(forms.Form):
    """An owner's account and their business profile, in one step."""

    email = forms.EmailField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The business fields are OrganizationForm's, so both forms validate alike.
        for name, field in OrganizationForm().fields.items():
            self.fields[f"org_{name}"] = field
        self.fields["org_name"].label = "Business name"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset("Your account", "email", "password1", "password2"),
            Fieldset("Your business", "org_name", "org_sector", "org_size_band", "org_region"),
            profile_fieldset("org_"),
        )
        self.helper.add_input(Submit("signup", "Create account"))

    def clean_email(self):
        # Whether the address has an account is not said here: see services.signup_request.
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        clean_sites(self, "org_")
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", ERR_PASSWORD_MISMATCH)
        elif p1:
            try:
                password_validation.validate_password(p1, User(email=cleaned.get("email", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def organization_data(self) -> dict:
        return {
            name: self.cleaned_data[f"org_{name}"]
            for name in ("name", "sector", "size_band", "region", *PROFILE_FIELDS)
        }


class SignupAfreshForm(SignupForm):
    """Sign-up again from a confirmation link: the address is the link's, so no email field."""

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["email"]
        self.email = email
        self.helper.layout = Layout(
            Fieldset("Your password", "password1", "password2"),
            Fieldset("Your business", "org_name", "org_sector", "org_size_band", "org_region"),
            profile_fieldset("org_"),
        )
        self.helper.inputs = []
        self.helper.add_input(Submit("afresh", "Start afresh"))

    def clean(self):
        self.cleaned_data["email"] = self.email  # for the password validators
        return super().clean()


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, labelled for email addresses."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "type": "email"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.helper = FormHelper()
        self.helper.add_input(Submit("login", "Log in"))

    def clean_username(self):
        # Django only sets maxlength on the widget; a longer value posted by
        # hand would reach the lockout log, whose column holds 255 characters.
        username = self.cleaned_data["username"].strip().lower()
        if len(username) > User._meta.get_field("email").max_length:
            raise forms.ValidationError(ERR_LOGIN_TOO_LONG)
        return username


class SignInLinkForm(forms.Form):
    """Where to email a sign-in link: the address typed on the login page."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class CodeForm(forms.Form):
    """One field for either kind of code: six digits from the app, or a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6 digits your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, submit_label: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("verify", submit_label))


class SetupCodeForm(CodeForm):
    """Confirming the app: only its six digits will do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, submit_label="Turn on two-step login", **kwargs)
        self.fields["code"].label = "Code from the app"
        self.fields["code"].help_text = "The 6 digits the app shows for SMB Resilience."
        self.fields["code"].widget.attrs["inputmode"] = "numeric"
