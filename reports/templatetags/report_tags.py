"""Number formatting shared by the results page and the PDF."""

from django import template

register = template.Library()


@register.filter
def score(value, digits=1):
    """A 0-100 score with one decimal, or "no score" when nothing could be scored."""
    if value is None or value == "":
        return "no score"
    return f"{float(value):.{int(digits)}f}"


@register.filter
def percent(value):
    """A percentage without decimals unless it needs one: 95 %, 87.5 %."""
    if value is None:
        return "–"
    value = round(float(value), 1)
    text = f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return f"{text}%"
