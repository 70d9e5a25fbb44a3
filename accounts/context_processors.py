from django.utils.functional import SimpleLazyObject


def roles(request):
    """What the navigation offers: computed only when a template asks."""
    user = request.user

    def is_owner():
        return user.is_authenticated and user.memberships.exists()

    def is_consultant():
        return user.is_authenticated and user.firm_memberships.exists()

    return {
        "is_owner": SimpleLazyObject(is_owner),
        "is_consultant": SimpleLazyObject(is_consultant),
    }
