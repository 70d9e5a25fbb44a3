"""What every app's views share: calling a service and showing why it refused."""

from django.contrib import messages

from .errors import ServiceError


def service_call(request, service, /, *, form=None, **kwargs) -> tuple[bool, object]:
    """Call ``service(**kwargs)``: ``(True, its result)``, or ``(False, None)`` if it refused.

    A refusal's message goes where the person will read it: beside the
    form's field that it names, at the top of ``form``, or, with no form,
    into the page's messages.
    """
    try:
        return True, service(**kwargs)
    except ServiceError as exc:
        show_refusal(request, exc, form=form)
        return False, None


def show_refusal(request, exc: ServiceError, *, form=None) -> None:
    """Show a service's refusal where it is read (for a view that also acts on its kind)."""
    if form is None:
        messages.error(request, exc.message)
    else:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
