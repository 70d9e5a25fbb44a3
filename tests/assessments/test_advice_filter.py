"""Advice written as bullets prints as a list; a paragraph prints as before; text is escaped."""

from assessments.templatetags.advice import advice

BULLETS = """- This month, list the three disruptions most likely to stop you.
- Print two copies & keep one <away> from the premises.
Done when: every staff member has read the plan."""


def test_bullets_print_as_a_list_and_done_when_as_its_own_line():
    html = advice(BULLETS)
    assert html.startswith('<ul class="advice"><li>This month, list the three')
    assert html.count("<li>") == 2
    done = '<span class="advice-done">Done when: every staff member has read the plan.</span>'
    assert html.endswith(done)


def test_a_paragraph_prints_as_one_paragraph():
    assert advice("Write the plan.\nDone when: it is written.") == (
        "Write the plan. Done when: it is written."
    )


def test_the_text_is_escaped():
    assert "&amp; keep one &lt;away&gt;" in advice(BULLETS)
    assert "<away>" not in advice(BULLETS)
