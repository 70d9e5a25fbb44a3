"""Rate limits count every request, one after another or all at once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts import throttle
from accounts.models import RequestCount


@pytest.mark.django_db
def test_a_key_is_allowed_its_limit_in_an_hour_then_refused():
    answers = [throttle.allow("signup", limits={"10.0.0.1": 3}) for _ in range(5)]
    assert answers == [True, True, True, False, False]


@pytest.mark.django_db
def test_a_new_hour_starts_the_count_again():
    for _ in range(4):
        throttle.allow("signup", limits={"10.0.0.1": 3})
    RequestCount.objects.update(started_at=timezone.now() - timedelta(hours=1, seconds=1))
    assert throttle.allow("signup", limits={"10.0.0.1": 3})


@pytest.mark.django_db
def test_one_key_over_its_limit_refuses_the_request_and_the_others_still_count():
    for _ in range(3):
        throttle.allow("signup", limits={"10.0.0.1": 3, "a@example.com": 10})
    assert not throttle.allow("signup", limits={"10.0.0.1": 3, "a@example.com": 10})
    assert sorted(RequestCount.objects.values_list("count", flat=True)) == [4, 4]


@pytest.mark.django_db
def test_counters_of_hours_long_past_are_forgotten():
    throttle.allow("signup", limits={"10.0.0.1": 3})
    RequestCount.objects.update(started_at=timezone.now() - timedelta(hours=3))
    throttle.allow("signup", limits={"10.0.0.2": 3})
    assert RequestCount.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_twenty_requests_at_once_from_one_address_let_five_through():
    start = threading.Barrier(20)
    answers = []

    def ask():
        start.wait()
        try:
            answers.append(throttle.allow("signup", limits={"10.0.0.9": 5}))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(answers) == 20
    assert answers.count(True) == 5
