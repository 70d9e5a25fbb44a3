"""Row locks serialise submitting and saving: no answer lands after submission.

``services._lock_assessment`` takes ``SELECT ... FOR UPDATE`` on the
assessment row in every save and in submit. These tests hold that lock open
in one thread and show another waiting behind it, so they need a database
with real row locks: PostgreSQL (CI runs the suite on it; see .ci/run).
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from assessments.models import Answer, Assessment, Question
from assessments.selectors import assessment_result
from assessments.services import (
    AnswerInput,
    AssessmentReadOnly,
    StaleAnswer,
    answer_save,
    answers_save,
    assessment_start,
    assessment_submit,
)
from tests.factories import MembershipFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]

BLOCKED_FOR = 0.5  # seconds a waiter must stay blocked to count as "waiting on the lock"


class Worker(threading.Thread):
    """A thread with its own database connection that keeps its outcome or exception."""

    def __init__(self, job):
        super().__init__(daemon=True)
        self.job = job
        self.result = None
        self.error = None

    def run(self):
        try:
            self.result = self.job()
        except Exception as exc:  # noqa: BLE001 - inspected by the test
            self.error = exc
        finally:
            connections.close_all()


@pytest.fixture
def owner(mini_framework):
    return MembershipFactory(organization__name="Lock & Key Ltd").user


@pytest.fixture
def assessment(owner):
    return assessment_start(organization=owner.memberships.get().organization, user=owner)


def codes(assessment) -> list[str]:
    return list(
        Question.objects.filter(framework=assessment.framework_id)
        .order_by("position")
        .values_list("code", flat=True)
    )


def answer(assessment, user, items: dict[str, str]):
    answers_save(
        assessment=assessment,
        answers=[AnswerInput(code, choice) for code, choice in items.items()],
        user=user,
    )


def test_a_submit_waits_for_a_save_in_flight_and_includes_its_answer(owner, assessment):
    """The last answer is being saved when the owner presses submit in another tab."""
    *first, last = codes(assessment)
    answer(assessment, owner, dict.fromkeys(first, "2"))
    locked, release = threading.Event(), threading.Event()

    def slow_save():
        with transaction.atomic():
            answer_save(assessment=assessment, data=AnswerInput(last, "4"), user=owner)
            locked.set()
            release.wait(10)  # the row lock is held until this transaction commits

    saver = Worker(slow_save)
    saver.start()
    assert locked.wait(10)
    submitter = Worker(lambda: assessment_submit(assessment=assessment, user=owner))
    submitter.start()
    submitter.join(BLOCKED_FOR)
    assert submitter.is_alive(), "submit did not wait for the save holding the row lock"

    release.set()
    saver.join(10)
    submitter.join(10)

    assert saver.error is None and submitter.error is None, (saver.error, submitter.error)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.coverage == 100.0  # the last answer was counted, not missed
    assert assessment.result == assessment_result(assessment).to_dict()


def test_a_save_waiting_behind_a_submit_is_refused_and_changes_nothing(owner, assessment):
    answer(assessment, owner, dict.fromkeys(codes(assessment), "2"))
    locked, release = threading.Event(), threading.Event()

    def slow_submit():
        with transaction.atomic():
            assessment_submit(assessment=assessment, user=owner)
            locked.set()
            release.wait(10)

    submitter = Worker(slow_submit)
    submitter.start()
    assert locked.wait(10)
    saver = Worker(
        lambda: answer_save(assessment=assessment, data=AnswerInput("OP-F-01", "4"), user=owner)
    )
    saver.start()
    saver.join(BLOCKED_FOR)
    assert saver.is_alive(), "the save did not wait for the submit holding the row lock"

    release.set()
    submitter.join(10)
    saver.join(10)

    assert submitter.error is None
    assert isinstance(saver.error, AssessmentReadOnly)
    stored = Answer.objects.get(assessment=assessment, question__code="OP-F-01")
    assert (stored.value, stored.revision) == (2, 1)


def test_autosaves_racing_a_submit_never_land_after_it(owner, assessment):
    """Six tabs keep autosaving while the owner submits: the frozen result is the final word."""
    all_codes = codes(assessment)
    answer(assessment, owner, dict.fromkeys(all_codes, "2"))
    stop = threading.Event()
    refused = []

    def keep_saving(offset):
        choices = ["0", "2", "4"]
        n = offset
        while not stop.is_set():
            code = all_codes[n % len(all_codes)]
            try:
                answer_save(
                    assessment=assessment,
                    data=AnswerInput(code, choices[n % 3], note=f"tab {offset}"),
                    user=owner,
                )
            except AssessmentReadOnly:
                refused.append(offset)
                return
            n += 1

    savers = [Worker(lambda i=i: keep_saving(i)) for i in range(6)]
    for saver in savers:
        saver.start()
    time.sleep(0.3)
    submitted = assessment_submit(assessment=assessment, user=owner)
    time.sleep(0.2)
    stop.set()
    for saver in savers:
        saver.join(10)

    assert [s.error for s in savers] == [None] * 6
    assert sorted(refused) == list(range(6)), "every tab is told the assessment is submitted"
    latest = Answer.objects.filter(assessment=assessment).latest("updated_at")
    assert latest.updated_at <= submitted.submitted_at
    # The frozen result is the score of exactly the answers stored now.
    assessment.refresh_from_db()
    assert assessment.result == assessment_result(assessment).to_dict()


def test_tabs_racing_to_answer_a_new_question_from_the_same_page_one_wins(owner, assessment):
    """Four tabs loaded the page at revision 0 and choose different answers at the same time."""
    barrier = threading.Barrier(4)

    def choose(choice):
        barrier.wait(10)
        return answer_save(
            assessment=assessment, data=AnswerInput("OP-F-01", choice, revision=0), user=owner
        )

    tabs = [Worker(lambda c=c: choose(c)) for c in ("0", "2", "4", "dont_know")]
    for t in tabs:
        t.start()
    for t in tabs:
        t.join(10)

    winners = [t for t in tabs if t.error is None]
    assert len(winners) == 1
    assert all(isinstance(t.error, StaleAnswer) for t in tabs if t is not winners[0])
    stored = Answer.objects.get(assessment=assessment, question__code="OP-F-01")
    assert stored.revision == 1
    assert (stored.kind, stored.value) == (winners[0].result.kind, winners[0].result.value)
