"""How a signed-in user is loaded on each request."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from resilience_site.sql import JoinedModels

from .models import FirmMembership, Membership, User


class RoleAwareModelBackend(ModelBackend):
    """Django's ModelBackend, which also reads the user's roles in the same query.

    Every page's navigation asks whether the user is an owner (a member of a
    business) and whether they are a consultant: two more queries on every
    request otherwise. The query is written out because it runs on every
    request, and the ORM took five times longer to build it (two EXISTS
    annotations) than the database took to answer (resilience_site/sql.py).
    The flags describe the user as loaded for this request; permissions
    never rely on them (accounts.permissions asks the database).
    """

    ROW = JoinedModels((User, "u"))

    def get_user(self, user_id):
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {self.ROW.columns()},"  # noqa: S608 - names from the models, values bound
                f" EXISTS (SELECT 1 FROM {Membership._meta.db_table} m WHERE m.user_id = u.id),"
                f" EXISTS (SELECT 1 FROM {FirmMembership._meta.db_table} f WHERE f.user_id = u.id)"
                f" FROM {User._meta.db_table} u WHERE u.id = %s",
                [user_id],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        (user,) = self.ROW.read(row[:-2])
        if not self.user_can_authenticate(user):
            return None
        # SQLite answers 0/1 for EXISTS; the navigation wants booleans.
        user.has_memberships, user.has_firm_memberships = bool(row[-2]), bool(row[-1])
        return user
