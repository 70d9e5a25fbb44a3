"""What the plan's forms accept and refuse: phone numbers, emails, passwords."""

import pytest

from continuity.forms import (
    ERR_LOGIN_DETAILS,
    ERR_PHONE,
    ERR_PHONE_MISSING,
    ContactRow,
    DataForm,
    PartEditor,
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


@pytest.mark.parametrize(
    "text",
    [
        "password: Tr0ub4dor",
        "Admin pwd = hunter2",
        "Alarm PIN 4821",
        "Login is sam@shop.example / Xk9#mQ2$vL7pZ",
        "NAS key K7dP9sQ2xW4mZ8vL",
    ],
)
def test_the_data_part_refuses_anything_that_looks_like_a_password(text):
    form = DataForm({"passwords": text})
    assert not form.is_valid()
    assert form.errors["passwords"] == [ERR_LOGIN_DETAILS]


@pytest.mark.parametrize(
    "text",
    [
        "In the password manager; Sam and Priya can open it",
        "Passwords are in 1Password, the owner's account",
        "https://backup.example.com/restore-guide and \\\\nas01\\backups",
        "Pin the evacuation map by the door",
    ],
)
def test_the_data_part_accepts_where_passwords_are_kept(text):
    assert DataForm({"passwords": text}).is_valid()


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
