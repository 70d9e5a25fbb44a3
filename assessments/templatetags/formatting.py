"""How numbers print on every page and in the PDF: scores, percentages, bar widths."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

NO_SCORE = mark_safe(  # noqa: S308 - a constant, no user data
    '<span aria-hidden="true">—</span><span class="visually-hidden">no score</span>'
)


@register.filter
def score(value, digits=1):
    """A 0-100 score with one decimal; a dash (read as "no score") when there is none."""
    if value is None or value == "":
        return NO_SCORE
    return f"{float(value):.{int(digits)}f}"


@register.filter
def percent(value):
    """A percentage without decimals unless it needs one: 95%, 87.5%."""
    if value is None:
        return "–"
    value = round(float(value), 1)
    text = f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return f"{text}%"


@register.filter
def width_class(percent) -> str:
    """A CSS class for a bar's width, so no inline style is needed (strict CSP)."""
    try:
        value = max(0, min(100, round(float(percent))))
    except (TypeError, ValueError):
        value = 0
    return f"w-pct-{value}"


@register.filter
def signed(value, digits=1):
    """A change in score with its sign (+6.5, −2.0, ±0.0); a dash when there is none."""
    if value is None or value == "":
        return NO_SCORE
    value = round(float(value), int(digits))
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{abs(value):.{int(digits)}f}"


@register.filter
def zip_with(first, second):
    """Pairs two lists of the same length for one loop: ``pillars|zip_with:row.pillars``."""
    return list(zip(first, second, strict=True))
