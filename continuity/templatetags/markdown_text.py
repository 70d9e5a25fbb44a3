"""``md``: a person's text made inert inside the Markdown export."""

import re

from django import template

register = template.Library()

# What Markdown (CommonMark) or HTML could read as markup anywhere in a line, backslash-escaped:
# a typed "# heading", "[link](javascript:…)", "<script>" or "*bold*" stays text. Brackets
# escaped, "(…)" and "!" can no longer make a link or an image, so they stay as typed.
MARKUP = re.compile(r"([\\`*_\[\]#<>&|~])")
# What makes a list item only at the start of a line: "- ", "+ ", "1. ".
LIST_MARKER = re.compile(r"^(\s*)([-+]|\d+[.)])")


@register.filter
def md(value) -> str:
    """Escape ``value`` for the Markdown export; its line breaks stay within one paragraph."""
    lines = str(value if value is not None else "").splitlines()
    escaped = (LIST_MARKER.sub(r"\1\\\2", MARKUP.sub(r"\\\1", line)) for line in lines)
    return "  \n".join(escaped)
