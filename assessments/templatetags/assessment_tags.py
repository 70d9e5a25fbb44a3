from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.filter
def percent_of(part, whole) -> int:
    """Whole-number percentage; 0 when there is nothing to count."""
    try:
        return round(100 * int(part) / int(whole)) if int(whole) else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def width_class(percent) -> str:
    """A CSS class for a bar's width, so no inline style is needed (strict CSP)."""
    try:
        value = max(0, min(100, round(float(percent))))
    except (TypeError, ValueError):
        value = 0
    return f"w-pct-{value}"


@register.filter
def field_id(bound_field) -> str:
    return bound_field.auto_id


QUESTION_CARD_TEMPLATE = "partials/assessments/_question.html"
# Printed cards kept per question; past this many different states, start over.
QUESTION_CARDS_KEPT = 32


@register.simple_tag
def question_card(row) -> str:
    """One question of a section page, printed once per state and then reused.

    A card depends only on its question and on the values it shows: the
    choice, the note and the hidden revision, choice and note the page was
    loaded with. A question in use never changes (its framework version is
    frozen), so the printed HTML is kept on the question object, which comes
    from the per-process questionnaire cache and lives exactly as long as it.
    A fresh assessment's cards are the same for every owner, and an owner's
    page after an autosave prints only the card that changed. Cards with
    errors (a posted page sent back) are always printed afresh.
    """
    question = row["question"]
    if row["errors"] or row["note_errors"]:
        return render_to_string(QUESTION_CARD_TEMPLATE, {"row": row})
    printed = question.__dict__.setdefault("_printed_cards", {})
    key = (row["choice"], row["note_value"], *(value for _, value in row["hidden"]))
    html = printed.get(key)
    if html is None:
        if len(printed) >= QUESTION_CARDS_KEPT:
            printed.clear()
        html = printed[key] = render_to_string(QUESTION_CARD_TEMPLATE, {"row": row})
    return html
