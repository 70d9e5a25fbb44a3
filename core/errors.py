"""The one error a service raises when a request breaks a business rule."""


class ServiceError(Exception):
    """A request that breaks a rule; nothing was written.

    ``message`` is for people, shown as it is. ``field`` names the form field
    it concerns (None: the form as a whole), and ``status`` is the HTTP status
    of a page that reports it. Subclasses carry what a view needs to say more
    (the newer version of a row, the questions left unanswered).
    """

    status = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
