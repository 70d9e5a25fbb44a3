from django.utils.functional import SimpleLazyObject


def roles(request):
    """What the navigation offers: computed only when a template asks."""
    user = request.user

    # RoleAwareModelBackend loads both flags with the user; other ways in
    # (a user object built by hand) fall back to a query.
    def is_owner():
        flag = getattr(user, "has_memberships", None)
        return flag if flag is not None else user.is_authenticated and user.memberships.exists()

    def is_consultant():
        flag = getattr(user, "has_firm_memberships", None)
        if flag is not None:
            return flag
        return user.is_authenticated and user.firm_memberships.exists()

    return {
        "is_owner": SimpleLazyObject(is_owner),
        "is_consultant": SimpleLazyObject(is_consultant),
    }
