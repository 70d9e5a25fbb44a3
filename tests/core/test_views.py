"""service_call: a refused service shows its message where the person reads it."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from core.errors import ServiceError
from core.views import service_call


class InviteForm(forms.Form):
    email = forms.EmailField()


def refuse(*, field=None):
    raise ServiceError("That address already works for the firm.", field)


@pytest.fixture
def request_():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_result_comes_back_when_the_service_agrees(request_):
    assert service_call(request_, lambda **kw: kw["n"] * 2, n=21) == (True, 42)


def test_without_a_form_the_refusal_is_a_message_on_the_page(request_):
    assert service_call(request_, refuse) == (False, None)
    assert [str(m) for m in get_messages(request_)] == ["That address already works for the firm."]


def test_a_refusal_about_a_field_stands_beside_that_field(request_):
    form = InviteForm({"email": "a@example.test"})
    form.is_valid()
    service_call(request_, refuse, form=form, field="email")
    assert form.errors["email"] == ["That address already works for the firm."]


def test_a_refusal_about_no_known_field_stands_at_the_top_of_the_form(request_):
    form = InviteForm({"email": "a@example.test"})
    form.is_valid()
    service_call(request_, refuse, form=form, field="nonsense")
    assert form.non_field_errors() == ["That address already works for the firm."]
