"""Two-step login: who must use it, and the second factors that give it (django-otp).

A second factor is an authenticator app (a django-otp ``TOTPDevice``) and
ten single-use recovery codes (a ``StaticDevice``; each token is deleted
when used). A session is *verified* once ``django_otp.login`` has recorded
the device that proved it, which ``OTPMiddleware`` turns into
``request.user.is_verified()``.

Consultants, firm admins and site admins see many businesses' data, so with
``TWO_FACTOR_REQUIRED`` on they must be verified before any page but the
set-up (``accounts.middleware``). Owners choose: once they turn it on, every
sign-in goes through the code step (``accounts.sign_in``).
"""

import logging

import django_otp
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import ServiceError

logger = logging.getLogger("resilience.accounts")

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
CODES_DEVICE_NAME = "Recovery codes"

ERR_WRONG_CODE = (
    "That code is not right. Type the 6 digits your authenticator app shows now, "
    "or one of your recovery codes."
)
# At set-up there are no recovery codes yet: only the app's code can be meant.
ERR_WRONG_SETUP_CODE = (
    "That code is not right. Type the 6 digits your authenticator app shows now for "
    "SMB Resilience; if it keeps failing, check that the phone's clock is set automatically."
)
ERR_REQUIRED = (
    "Two-step login is required for consultants and site administrators, "
    "so it cannot be turned off."
)
ERR_NOT_ON = "Two-step login is not turned on for your account."


def required_for(user) -> bool:
    """Whether the user must be verified by a second factor before seeing anything."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # RoleAwareModelBackend loads the flag with the user: no query on an owner's request.
    flag = getattr(user, "has_firm_memberships", None)
    return flag if flag is not None else user.firm_memberships.exists()


def satisfied(user) -> bool:
    """Whether the signed-in user may go on: verified, or not required to be."""
    return not required_for(user) or user.is_verified()


def has_device(user) -> bool:
    """Whether the user has set up an authenticator app (and so must pass the code step)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_setup(user) -> TOTPDevice | None:
    """The app being set up: its key is shown until a code from it confirms it."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def setup_start(*, user) -> TOTPDevice:
    """A new key for the user's authenticator app, unconfirmed until a code from it comes back."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def setup_confirm(*, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app with a code it shows; it replaces any earlier app. The new recovery codes.

    The codes are returned to be shown once; they are stored as django-otp
    static tokens, each deleted when used.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
    if not device.verify_token(_normalized(code)):
        raise ServiceError(ERR_WRONG_SETUP_CODE, field="code")
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    logger.info("user %s set up two-step login", device.user_id)
    return _recovery_codes_replace(device.user)


@transaction.atomic
def recovery_codes_new(*, user) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not has_device(user):
        raise ServiceError(ERR_NOT_ON)
    logger.info("user %s made new recovery codes", user.pk)
    return _recovery_codes_replace(user)


def verify(user, code: str):
    """The confirmed device that accepts ``code`` (and spends it), or None.

    Six digits are tried against the app; anything else as a recovery code,
    which is deleted once used. Each device refuses a code it accepted before.
    """
    code = _normalized(code)
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True):
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


@transaction.atomic
def turn_off(*, user, code: str) -> None:
    """The user turns their second factor off, proving it with a code; not if it is required."""
    if required_for(user):
        raise ServiceError(ERR_REQUIRED)
    if not has_device(user):
        raise ServiceError(ERR_NOT_ON)
    if verify(user, code) is None:
        raise ServiceError(ERR_WRONG_CODE, field="code")
    remove_all(user=user)
    logger.info("user %s turned two-step login off", user.pk)


def remove_all(*, user) -> None:
    """Delete every second factor of the user (a reset): they set one up again to sign in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=CODES_DEVICE_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _normalized(code: str) -> str:
    """As people type codes: with spaces or a dash, in either case."""
    return "".join(code.split()).replace("-", "").lower()
