"""Small formatting filters for the workspace's dense tables."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

NO_SCORE = mark_safe(  # noqa: S308 - a constant, no user data
    '<span aria-hidden="true">—</span><span class="visually-hidden">no score</span>'
)


@register.filter
def score(value):
    """A 0–100 score with one decimal; a dash (read as "no score") when there is none.

    A filter rather than an included template: the dashboard shows hundreds of
    scores a page, and an include per cell costs more than the query.
    """
    if value is None:
        return NO_SCORE
    return f"{value:.1f}"
