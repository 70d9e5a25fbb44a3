"""Text pasted from other programs, made safe to print and to export."""

import re

# Control characters other than tab and line breaks. Text pasted from Word brings
# \x0b (a manual line break): no font has a glyph for it, so the PDF printed a
# .notdef glyph, and XLSX cannot store it at all (openpyxl refuses the file).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
