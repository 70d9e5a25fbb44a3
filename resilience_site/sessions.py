"""Database sessions, read with written-out SQL (SESSION_ENGINE = "resilience_site.sessions").

Every signed-in request reads its session first. Django's database backend
builds that query with the ORM each time, which took three times longer
than the database took to answer; this store writes the same query out
(resilience_site/sql.py) and changes nothing else: the same table, the
same expiry rule, the same writes.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

from .sql import JoinedModels

_SESSION_ROW = JoinedModels((Session, "s"))


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        using = router.db_for_read(Session)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {_SESSION_ROW.columns(using)} FROM {Session._meta.db_table} s"  # noqa: S608
                " WHERE s.session_key = %s AND s.expire_date > %s",
                [
                    self.session_key,
                    connection.ops.adapt_datetimefield_value(timezone.now()),
                ],
            )
            row = cursor.fetchone()
        if row is None:
            # As Django's store does: an unknown or expired key is forgotten,
            # so saving the session creates a new key rather than reusing it.
            self._session_key = None
            return None
        return _SESSION_ROW.read(row, using)[0]
