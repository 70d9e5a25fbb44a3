"""What the plan's forms accept and refuse: phone numbers, emails, passwords."""

import pytest

from continuity.forms import (
    ERR_LOGIN_DETAILS,
    ERR_PHONE,
    ERR_PHONE_MISSING,
    ActivityRow,
    ContactRow,
    DataForm,
    PartEditor,
    PremisesForm,
    ScenarioRow,
)


@pytest.mark.parametrize(
    "phone",
    [
        "999",
        "112",
        "+44 20 7946 0958",
        "(0161) 496-0000",
        "0161 496 0000 ext. 12",
        "+1 555.010.7788 x4",
    ],
)
def test_phone_numbers_are_accepted_and_kept_as_typed(phone):
    form = ContactRow({"role": "bank", "name": "High Street Bank", "phone": phone})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == phone


@pytest.mark.parametrize("phone", ["call Sam", "12", "0800-BAKERY", "+44 20 7946 0958 0958 0958 1"])
def test_what_is_not_a_phone_number_is_refused_with_an_example(phone):
    form = ContactRow({"role": "bank", "name": "High Street Bank", "phone": phone})
    assert not form.is_valid()
    assert form.errors["phone"] == [ERR_PHONE]


def test_a_named_contact_needs_a_phone_number():
    form = ContactRow({"role": "landlord", "name": "Mrs Patel"})
    assert not form.is_valid()
    assert form.errors["phone"] == [ERR_PHONE_MISSING]


def test_an_email_address_is_checked():
    form = ContactRow({"role": "it", "name": "Fixit", "phone": "0161 496 0000", "email": "fixit"})
    assert not form.is_valid()
    assert "email" in form.errors


ISSUE_24_SECRETS = [
    "Wi-Fi password for the router: harbourguest",
    "login: admin pw: sunshine",
    "Backup encryption key = 7f3a9c2e",
    "Router login admin / Harbour2024",
]
DATA_FIELDS = {
    "backups": "Where the backups are",
    "restore": "How to restore",
    "passwords": "Who holds the passwords",
    "recovery_point": "How much recent work you can afford to lose",
}


@pytest.mark.parametrize("field", DATA_FIELDS)
@pytest.mark.parametrize("text", ISSUE_24_SECRETS)
def test_every_field_of_the_data_part_refuses_a_secret_and_names_itself(field, text):
    form = DataForm({field: text})

    assert not form.is_valid()
    [message] = form.errors[field]
    assert message.startswith(f"“{DATA_FIELDS[field]}” looks like it holds a password or key")
    assert "write where they are kept, e.g. “in the password manager”" in message


def test_the_refusal_says_where_the_secret_starts_without_repeating_it():
    form = DataForm({"passwords": "login: admin pw: sunshine"})

    [message] = form.errors["passwords"]
    assert message == ERR_LOGIN_DETAILS.format(
        field="Who holds the passwords", near=" (after “pw:”)"
    )
    assert "sunshine" not in message


@pytest.mark.parametrize(
    "text",
    [
        "the password manager holds the router login",
        "In the password manager; Sam and Priya can open it",
        "Passwords are in 1Password, the owner's account",
        "https://backup.example.com/restore-guide and \\\\nas01\\backups",
        "Pin the evacuation map by the door",
    ],
)
def test_the_data_part_accepts_where_passwords_are_kept(text):
    assert DataForm({"passwords": text}).is_valid()


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (ContactRow, {"role": "bank", "phone": "0161 496 0000"}, "reference"),
        (PremisesForm, {}, "alternate_site"),
        (PremisesForm, {}, "shutoffs"),
        (ScenarioRow, {"disruption": "Power cut"}, "first_hour"),
        (ActivityRow, {"activity": "Baking"}, "workaround"),
    ],
)
def test_other_parts_refuse_a_secret_where_one_could_be_typed(form_class, data, field):
    form = form_class({**data, field: "Key safe code = 2580"})

    assert not form.is_valid()
    assert "looks like it holds a password or key" in form.errors[field][0]


def test_rows_left_empty_are_dropped():
    editor = PartEditor(
        "contacts",
        {},
        {
            "rows-TOTAL_FORMS": "2",
            "rows-INITIAL_FORMS": "0",
            "rows-0-role": "bank",
            "rows-0-name": "High Street Bank",
            "rows-0-phone": "0161 496 0000",
            "rows-1-role": "insurer",
        },
    )
    assert editor.is_valid()
    assert [row["name"] for row in editor.content()["rows"]] == ["High Street Bank"]
