"""The weekly digest of due and overdue actions, and its unsubscribe link."""

import smtplib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from action_plans import services
from action_plans.models import ActionItem, PlanReminder
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

BASE_URL = "https://resilience.example.com/"


def due(item, days):
    ActionItem.objects.filter(pk=item.pk).update(due_date=date.today() + timedelta(days=days))


def test_owners_get_overdue_and_due_this_week_items_once_a_week(items, owner):
    due(items["OP-F-01"], -2)
    due(items["FI-F-01"], 3)
    due(items["TE-A-01"], 30)
    call_command("send_plan_reminders", base_url=BASE_URL)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "1 overdue, 1 due this week" in message.subject
    assert items["OP-F-01"].title in message.body and items["FI-F-01"].title in message.body
    assert items["TE-A-01"].title not in message.body
    assert f"{BASE_URL}plan/reminders/stop/" in message.body
    call_command("send_plan_reminders", base_url=BASE_URL)
    assert len(mail.outbox) == 1, "a second digest within the week"
    PlanReminder.objects.update(last_sent_at=timezone.now() - timedelta(days=8))
    call_command("send_plan_reminders", base_url=BASE_URL)
    assert len(mail.outbox) == 2


def test_nothing_is_sent_when_nothing_is_due(items):
    due(items["OP-F-01"], 30)
    ActionItem.objects.filter(pk=items["FI-F-01"].pk).update(
        due_date=date.today(), status="done", done_at=timezone.now()
    )
    call_command("send_plan_reminders", base_url=BASE_URL)
    assert mail.outbox == []


def test_the_signed_link_unsubscribes_after_a_confirmation_post(client, items, owner):
    due(items["OP-F-01"], -1)
    url = reverse("action_plan:reminders_unsubscribe", args=[services.unsubscribe_token(owner)])
    assert "Stop the reminders" in client.get(url).content.decode()
    assert not PlanReminder.objects.filter(unsubscribed_at__isnull=False).exists()
    assert client.post(url).status_code == 200
    call_command("send_plan_reminders", base_url=BASE_URL)
    assert mail.outbox == []


def test_a_changed_unsubscribe_link_answers_404(client, owner):
    url = reverse("action_plan:reminders_unsubscribe", args=[f"{owner.pk}:forged"])
    response = client.post(url)
    assert response.status_code == 404
    assert not PlanReminder.objects.exists()


def test_one_refused_recipient_does_not_stop_the_others_and_the_run_fails_at_the_end(
    items, organization, owner, monkeypatch
):
    partner = MembershipFactory(organization=organization, role="owner").user
    due(items["OP-F-01"], -2)
    real_send = EmailMessage.send

    def send(message, fail_silently=False):
        if owner.email in message.to:
            raise smtplib.SMTPRecipientsRefused({owner.email: (550, b"mailbox unavailable")})
        return real_send(message, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", send)
    with pytest.raises(CommandError, match="1 plan reminder could not be sent"):
        call_command("send_plan_reminders", base_url=BASE_URL)
    assert [m.to for m in mail.outbox] == [[partner.email]]
    # The refused owner is tried again on the next run, not marked as reminded.
    assert not PlanReminder.objects.filter(user=owner, last_sent_at__isnull=False).exists()


def test_a_line_break_in_the_business_name_still_sends_the_digest(items, organization, owner):
    organization.name = "Corner\nBakery"
    organization.save()
    due(items["OP-F-01"], -2)
    call_command("send_plan_reminders", base_url=BASE_URL)
    (message,) = mail.outbox
    assert message.subject.startswith("Corner Bakery: 1 overdue")
