"""Text pasted from other programs, made safe to print and to export."""

import re

from django.core.validators import RegexValidator

# Control characters other than tab and line breaks. Text pasted from Word brings
# \x0b (a manual line break): no font has a glyph for it, so the PDF printed a
# .notdef glyph, and XLSX cannot store it at all (openpyxl refuses the file).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

ERR_LINE_BREAK = "Keep this on one line: it goes into email subjects and page titles."

# A name is written on one line: it stands in email subjects, where a line break would
# start a new header (Django refuses such a message) and in page and PDF titles.
one_line = RegexValidator(
    r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", ERR_LINE_BREAK, inverse_match=True
)
