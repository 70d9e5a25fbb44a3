"""How a signed-in user is loaded on each request."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from .models import User


class RoleAwareModelBackend(ModelBackend):
    """Django's ModelBackend, which also reads the user's roles in the same query.

    Every page's navigation asks whether the user is an owner (a member of a
    business) and whether they are a consultant: two more queries on every
    request otherwise. The query is written out because it runs on every
    request, and the ORM took five times longer to build it (two EXISTS
    annotations) than the database took to answer. The flags describe the
    user as loaded for this request; permissions never rely on them
    (accounts.permissions asks the database).
    """

    SQL = (
        "SELECT u.*,"
        " EXISTS (SELECT 1 FROM accounts_membership m WHERE m.user_id = u.id)"
        " AS has_memberships,"
        " EXISTS (SELECT 1 FROM accounts_firmmembership f WHERE f.user_id = u.id)"
        " AS has_firm_memberships"
        " FROM accounts_user u WHERE u.id = %s"
    )

    def get_user(self, user_id):
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = next(iter(User._default_manager.raw(self.SQL, [user_id])), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        # SQLite answers 0/1 for EXISTS; the navigation wants booleans.
        user.has_memberships = bool(user.has_memberships)
        user.has_firm_memberships = bool(user.has_firm_memberships)
        return user
