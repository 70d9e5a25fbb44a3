"""Sending one email to one person, from a pair of templates."""

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage
from django.template.loader import render_to_string


class EmailNotSent(Exception):
    """The mail server refused the message (or could not be reached)."""


def email_send(*, to: str, subject_template: str, body_template: str, context: dict) -> None:
    """Render and send one message to one recipient; raise ``EmailNotSent`` if it failed.

    One recipient per message, so a caller sending to many can go on past a
    failure; the caller logs a failure with what it knows (whose email it was).
    The subject is folded onto one line: text a person typed (a business
    name) may carry a line break, which a mail header cannot.
    """
    subject = " ".join(render_to_string(subject_template, context).split())
    body = render_to_string(body_template, context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    try:
        message.send()
    except (OSError, BadHeaderError) as exc:  # smtplib.SMTPException is an OSError
        raise EmailNotSent(str(exc)) from exc
