"""The forms of the plan: one per part, with a formset for the parts made of rows.

A part's stored content is exactly what its forms clean: the fields of
``fields_form`` and, for the parts made of rows, ``{"rows": [...]}``. Rows
left empty are dropped, so a blank row is how a row is removed; a stored
(drafted or saved) row dropped that way is named back to the owner, never lost unsaid.
"""

import re
from dataclasses import dataclass
from functools import partial

from django import forms
from django.core.exceptions import ValidationError

from .credentials import find_credential
from .models import PART_TEXT_MAX, ROWS_PER_PART_MAX, PlanExercise, PlanPart

SHORT, LONG = 200, 2000

ERR_TOO_MANY_ROWS = (
    "This part holds at most {limit} rows. Empty the rows you no longer need (an empty row is "
    "removed) and save again."
)
ERR_PART_TOO_LONG = (
    "A part holds at most {limit:,} characters, and this one has {length:,}. Shorten some "
    "rows or fields and save again: what you typed is still below."
)

ERR_PHONE = (
    "Enter a phone number as you would dial it: digits, spaces, +, - and brackets, "
    "such as +44 20 7946 0958, 0161 496 0000 ext. 12, or 999."
)
ERR_PHONE_MISSING = "Add a phone number: the plan is for calling people when the computer is down."
ERR_LOGIN_DETAILS = (
    "“{field}” looks like it holds a password or key{near}. Don't write passwords or keys in "
    "the plan: write where they are kept, e.g. “in the password manager”."
)

# Digits, spaces, +, -, dots and brackets, then an optional extension; 3 to 15 digits
# (999 and 112 are numbers too; international numbers have at most 15).
_PHONE = re.compile(r"^\+?[\d\s().-]+?(?:\s*(?:ext\.?|x)\s*\d{1,6})?$", re.IGNORECASE)


def validate_phone(value: str) -> None:
    extension = re.split(r"(?i)ext\.?|x", value)[0]
    digits = sum(c.isdigit() for c in extension)
    if not _PHONE.match(value) or not 3 <= digits <= 15:
        raise ValidationError(ERR_PHONE, code="phone")


def validate_no_secret(value: str, field: str = "This text") -> None:
    """Refuse text that holds a password, PIN or key (``continuity.credentials`` says how).

    The message names the field and what introduces the secret, never the secret.
    """
    found = find_credential(value)
    if found is not None:
        near = f" (after “{found.label}”)" if found.label else ""
        raise ValidationError(ERR_LOGIN_DETAILS.format(field=field, near=near), code="secret")


def _text(label, *, long=False, required=False, help_text="", validators=()):
    widget = forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput
    return forms.CharField(
        label=label,
        max_length=LONG if long else SHORT,
        required=required,
        widget=widget,
        help_text=help_text,
        validators=list(validators),
    )


def _secret_free(label, **kwargs):
    """A text field that refuses passwords and keys: the plan is printed and kept off-site."""
    return _text(label, validators=[partial(validate_no_secret, field=label)], **kwargs)


class ActivityRow(forms.Form):
    activity = _text("Activity")
    downtime = _text(
        "Longest it can stop", help_text="Before you lose customers or money, e.g. “4 hours”."
    )
    # Where a secret could be typed, the field refuses it ("use the spare laptop, pw: ...");
    # names, times and phone numbers are left alone.
    needs = _secret_free(
        "What it needs", long=True, help_text="People, premises, equipment, IT, suppliers."
    )
    workaround = _secret_free("Workaround", long=True)


class ContactRow(forms.Form):
    ROLES = [
        ("staff", "Staff (call tree)"),
        ("emergency", "Emergency services"),
        ("landlord", "Landlord"),
        ("insurer", "Insurer"),
        ("bank", "Bank"),
        ("it", "IT support"),
        ("utility", "Utility (power, water, gas, internet)"),
        ("other", "Other"),
    ]
    role = forms.ChoiceField(label="Role", choices=ROLES)
    name = _text("Name")
    phone = _text("Phone", validators=[validate_phone])
    email = forms.EmailField(label="Email", required=False, max_length=SHORT)
    reference = _secret_free("Policy, account or claim number")
    calls = _text("Calls next", help_text="Call tree: whom this person calls.")

    def clean(self):
        data = super().clean()
        named = data.get("name") or data.get("reference")
        if named and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", ERR_PHONE_MISSING)
        return data


class PartnerRow(forms.Form):
    kind = forms.ChoiceField(
        label="Supplier or customer", choices=[("supplier", "Supplier"), ("customer", "Customer")]
    )
    name = _text("Name")
    phone = _text("Phone", validators=[validate_phone])
    depends = _text("What depends on them", long=True)
    # An ordering portal's login could land here.
    alternate = _secret_free("The alternate", long=True, help_text="Who you would turn to instead.")


class DataForm(forms.Form):
    # Every field: this part is about backups and passwords, where secrets are typed most.
    backups = _secret_free("Where the backups are", long=True)
    restore = _secret_free("How to restore", long=True)
    passwords = _secret_free(
        "Who holds the passwords",
        long=True,
        help_text="Who can reach them and where they are kept; never the passwords themselves.",
    )
    recovery_point = _secret_free(
        "How much recent work you can afford to lose", help_text="For example: one day."
    )


class PremisesForm(forms.Form):
    # Key safe, alarm and door codes are typed next to where things are.
    evacuation_point = _secret_free("Evacuation point", long=True)
    shutoffs = _secret_free(
        "Where the shut-offs are", long=True, help_text="Water, gas, electricity."
    )
    alternate_site = _secret_free("Alternate place to work", long=True)


class ScenarioRow(forms.Form):
    disruption = _text("Disruption")
    # Steps such as "log in to the backup laptop" invite the login itself.
    first_hour = _secret_free("First hour", long=True, help_text="One step per line.")
    first_day = _secret_free("First day", long=True, help_text="One step per line.")
    first_week = _secret_free("First week", long=True, help_text="One step per line.")


class CommunicationsForm(forms.Form):
    # Staff may be told how to reach systems from home; customers and suppliers are not.
    staff = _secret_free("Message to staff", long=True)
    customers = _text("Message to customers", long=True)
    suppliers = _text("Message to suppliers", long=True)


@dataclass(frozen=True)
class PartForms:
    intro: str
    fields_form: type[forms.Form] | None = None
    row_form: type[forms.Form] | None = None
    row_label: str = ""


PART_FORMS = {
    PlanPart.Key.ACTIVITIES: PartForms(
        "What the business must keep doing, how long each can stop, and how you would cope.",
        row_form=ActivityRow,
        row_label="Activity",
    ),
    PlanPart.Key.CONTACTS: PartForms(
        "Everyone you would call, each with a phone number: the call tree (staff, by name), "
        "emergency services, landlord, insurer, bank, IT support and utilities.",
        row_form=ContactRow,
        row_label="Contact",
    ),
    PlanPart.Key.SUPPLIERS: PartForms(
        "The suppliers and customers you depend on, and the alternate for each.",
        row_form=PartnerRow,
        row_label="Supplier or customer",
    ),
    PlanPart.Key.DATA: PartForms(
        "Where the backups are, how to restore them, who holds the passwords, and how much "
        "work you could lose.",
        fields_form=DataForm,
    ),
    PlanPart.Key.PREMISES: PartForms(
        "Where to meet outside, where the shut-offs are, and where else you could work.",
        fields_form=PremisesForm,
    ),
    PlanPart.Key.CHECKLISTS: PartForms(
        "What to do in the first hour, day and week of the three most likely disruptions.",
        row_form=ScenarioRow,
        row_label="Disruption",
    ),
    PlanPart.Key.COMMUNICATIONS: PartForms(
        "Short messages to send staff, customers and suppliers; fill the brackets on the day.",
        fields_form=CommunicationsForm,
    ),
}

EXTRA_ROWS = 2


def part_text_length(content: dict) -> int:
    """The characters a part's content holds: every field of every row."""
    rows = content.get("rows", [])
    values = [v for k, v in content.items() if k != "rows"] + [
        v for row in rows for v in row.values()
    ]
    return sum(len(v) for v in values if isinstance(v, str))


class RowsFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": ERR_TOO_MANY_ROWS.format(limit=ROWS_PER_PART_MAX),
    }


class PartEditor:
    """A part's form and formset together, bound to a POST or showing the stored content."""

    def __init__(self, key: str, content: dict, data=None):
        spec = PART_FORMS[key]
        self.spec = spec
        self.form = spec.fields_form(data, initial=content) if spec.fields_form else None
        self.rows = None
        self.errors: list[str] = []  # about the part as a whole
        if spec.row_form:
            formset = forms.formset_factory(
                spec.row_form,
                formset=RowsFormSet,
                extra=EXTRA_ROWS,
                max_num=ROWS_PER_PART_MAX,
                validate_max=True,
            )
            self.rows = formset(data, initial=content.get("rows", []), prefix="rows")

    def is_valid(self) -> bool:
        forms_ = [f for f in (self.form, self.rows) if f is not None]
        self.errors = []
        if not all([f.is_valid() for f in forms_]):
            return False
        length = part_text_length(self.content())
        if length > PART_TEXT_MAX:
            self.errors.append(ERR_PART_TOO_LONG.format(limit=PART_TEXT_MAX, length=length))
        return not self.errors

    def content(self, *, keep_stored_rows: bool = False) -> dict:
        """The cleaned content, empty rows left out; call after ``is_valid``.

        ``keep_stored_rows``: an autosave keeps the stored rows left empty (only the spare
        rows go), so rows vanish only on an explicit save, whose message names them.
        """
        content = dict(self.form.cleaned_data) if self.form else {}
        if self.rows is not None:
            content["rows"] = [
                # A row left as it was stored is not cleaned (the formset skips unchanged
                # rows), so it is kept as stored.
                row.cleaned_data or dict(row.initial)
                for row in self.rows
                if not _is_empty(row) or (keep_stored_rows and row.initial)
            ]
        return content

    def removed_rows(self) -> list[str]:
        """The stored rows this save removes because they were left empty, by name.

        Only rows that were there before: the spare empty rows at the end go unmentioned.
        """
        if self.rows is None:
            return []
        return [
            _row_name(row, self.spec.row_label, number)
            for number, row in enumerate(self.rows, start=1)
            if row.initial and _is_empty(row)
        ]

    def error_summary(self) -> list[tuple[str, str, str]]:
        """Each failed field as (where, message, the id of its input), in the page's order."""
        summary = []
        if self.form is not None:
            summary += _field_errors(self.form, "")
        if self.rows is not None:
            for number, row in enumerate(self.rows, start=1):
                summary += _field_errors(row, f"{self.spec.row_label} {number}, ")
        return summary


# Choice fields always hold a value, so they alone never make a row worth keeping.
_ROW_KINDS = ("role", "kind")


def _is_empty(row: forms.Form) -> bool:
    return not any(v for k, v in row.cleaned_data.items() if k not in _ROW_KINDS)


def _row_name(row: forms.Form, row_label: str, number: int) -> str:
    """What the owner would call the row: its name, or its role, or its number."""
    for name in ("name", "activity", "disruption"):
        if row.initial.get(name):
            return row.initial[name]
    for name in _ROW_KINDS:
        if row.initial.get(name) and name in row.fields:
            return dict(row.fields[name].choices).get(row.initial[name], row.initial[name])
    return f"{row_label} {number}"


def _field_errors(form: forms.Form, where: str) -> list[tuple[str, str, str]]:
    return [
        (f"{where}{form[name].label}", message, form[name].auto_id)
        for name in form.fields
        for message in form.errors.get(name, [])
    ]


class ExerciseForm(forms.ModelForm):
    class Meta:
        model = PlanExercise
        fields = ["held_on", "participants", "lessons"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "lessons": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"participants": "Names, separated by commas."}


class PlanCommentForm(forms.Form):
    part_key = forms.ChoiceField(label="Part of the plan", choices=PlanPart.Key.choices)
    text = forms.CharField(
        label="Comment", max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
