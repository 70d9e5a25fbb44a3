"""One email helper: one message per recipient, a subject on one line, failures raised."""

import smtplib

import pytest
from django.core import mail

from core.email import EmailNotSent, email_send


def send_invitation_email(to, name):
    email_send(
        to=to,
        subject_template="emails/invitation_subject.txt",
        body_template="emails/email_confirm.txt",
        context={"firm": {"name": name}, "url": "https://example.test/x", "valid_days": 3},
    )


def test_a_line_break_typed_into_a_name_does_not_break_the_subject(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_invitation_email("owner@example.test", "Harbour\nResilience")
    (message,) = mail.outbox
    assert "\n" not in message.subject
    assert "Harbour Resilience" in message.subject
    assert message.to == ["owner@example.test"]


def test_a_refused_message_raises_email_not_sent(monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPRecipientsRefused({"a@example.test": (550, b"no such user")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(EmailNotSent):
        send_invitation_email("a@example.test", "Firm")
