from django import template

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
