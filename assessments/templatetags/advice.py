"""How a recommendation prints: bullet lines as a list, "Done when:" as its own line.

From 2026.3 the framework file writes advice as short bullets ("- This month, ...")
ending with a "Done when: ..." line; older versions write one paragraph, which
prints as it always did.
"""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

BULLET = "- "


@register.filter
def advice(text):
    """The advice as HTML: a list of its bullets, then any other line as a paragraph."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not any(line.startswith(BULLET) for line in lines):
        return format_html("{}", " ".join(lines))
    bullets = [(line[len(BULLET) :],) for line in lines if line.startswith(BULLET)]
    rest = [(line,) for line in lines if not line.startswith(BULLET)]
    return format_html(
        '<ul class="advice">{}</ul>{}',
        format_html_join("", "<li>{}</li>", bullets),
        format_html_join("", '<span class="advice-done">{}</span>', rest),
    )
