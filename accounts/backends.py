"""How a signed-in user is loaded on each request."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef

from .models import FirmMembership, Membership, User


class RoleAwareModelBackend(ModelBackend):
    """Django's ModelBackend, which also reads the user's roles in the same query.

    Every page's navigation asks whether the user is an owner (a member of a
    business) and whether they are a consultant; loading both flags with the
    user saves two queries on every request. The flags describe the user as
    loaded for this request; permissions never rely on them
    (accounts.permissions asks the database).
    """

    def get_user(self, user_id):
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        try:
            user = User.objects.annotate(
                has_memberships=Exists(Membership.objects.filter(user=OuterRef("pk"))),
                has_firm_memberships=Exists(FirmMembership.objects.filter(user=OuterRef("pk"))),
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
