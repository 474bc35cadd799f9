"""Login by NIP (spaces allowed, as printed on documents) or by an administrator's username, with
failure counting and lockout in the authentication layer itself, so that every login path (the
login page, /admin/login/, anything that calls ``authenticate``) is covered.

Failures are recorded by django-axes (its AccessAttempt table, visible in the Django admin) and
audited here for existing accounts. The rules (settings LOGIN_MAX_FAILURES,
LOGIN_LOCKOUT_MINUTES, LOGIN_MAX_FAILURES_PER_ADDRESS):

- After LOGIN_MAX_FAILURES wrong passwords in a row for one account from one address, that
  account is refused from that address for LOGIN_LOCKOUT_MINUTES, even with the right password.
  Someone elsewhere cannot keep another person's account locked: the lock holds for the address
  that failed, not for the person's own computer.
- An address with LOGIN_MAX_FAILURES_PER_ADDRESS failures over any accounts within
  LOGIN_LOCKOUT_MINUTES is refused for all of them (guessing many accounts from one place).
- Unknown usernames are counted and locked exactly like existing ones, and every attempt runs
  the password hasher (for an unknown account too, as Django's ModelBackend does) before the
  lock is checked: a locked, an unknown and a wrong-password login take the same time and get
  the same answer, so NIPs cannot be enumerated.
- An administrator's password reset unlocks the account at once (every address).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.backends import ModelBackend
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone

from .lockout import normalise_username

if TYPE_CHECKING:  # the models load after this module (it is named in the settings)
    from .models import User

# --- django-axes configuration callables (config/settings.py names them) --------------------


def attempt_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The username an attempt counts against: the NIP without spaces, as the backend sees it."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    return normalise_username(str(raw or ""))


def failure_limit(request: HttpRequest | None, credentials: Any = None) -> int:
    return int(settings.LOGIN_MAX_FAILURES)


def lockout_period(request: HttpRequest | None = None) -> timedelta:
    return timedelta(minutes=int(settings.LOGIN_LOCKOUT_MINUTES))


class LoginAttemptHandler(AxesDatabaseHandler):
    """axes' database handler, plus the per-address limit over all accounts."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return address_failures(request) >= int(settings.LOGIN_MAX_FAILURES_PER_ADDRESS)


def _recent(request: Any) -> Any:
    since = timezone.now() - lockout_period(request)
    return AccessAttempt.objects.filter(attempt_time__gte=since)


def address_failures(request: Any) -> int:
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    total = _recent(request).filter(ip_address=address).aggregate(n=Sum("failures_since_start"))
    return int(total["n"] or 0)


def locked_until(request: HttpRequest, username: str) -> datetime | None:
    """When a refused login may try again from this address (the end of the cool-off that
    follows the last counted failure), or None when nothing is locked."""
    AxesProxyHandler.update_request(request)
    address = getattr(request, "axes_ip_address", None)
    recent = _recent(request).filter(ip_address=address)
    last = None
    mine = recent.filter(username=normalise_username(username)).aggregate(
        n=Sum("failures_since_start"), last=Max("attempt_time")
    )
    if (mine["n"] or 0) >= failure_limit(request):
        last = mine["last"]
    everywhere = recent.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    if (everywhere["n"] or 0) >= int(settings.LOGIN_MAX_FAILURES_PER_ADDRESS):
        last = max(filter(None, [last, everywhere["last"]]))
    return last + lockout_period(request) if last else None


class NipOrUsernameBackend(AxesStandaloneBackend, ModelBackend):
    """ModelBackend that accepts a spaced NIP and refuses locked logins (after hashing)."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ):
        if username is None or password is None:
            return None
        username = normalise_username(username)
        # The hasher runs first, whatever the outcome (ModelBackend hashes the password of an
        # unknown account too): locked, unknown and wrong all cost the same time.
        user = ModelBackend.authenticate(
            self, request, username=username, password=password, **kwargs
        )
        if request is None or not settings.AXES_ENABLED:
            return user  # not an HTTP login (e.g. a management command, Client.login)
        if not AxesProxyHandler.is_allowed(request, {"username": username}):
            # Refused while locked: not counted again (the lock keeps its end time) and not
            # audited again; authenticate() reports the failure to axes, which stops there.
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.kinerja_refused_while_locked = True  # type: ignore[attr-defined]
            raise AxesBackendPermissionDenied("locked")
        return user

    def get_user(self, user_id: Any) -> Any:
        """The session's user with their employee in the same query: every page that asks
        what the user may see reads the employee (their reporting path), so ModelBackend's
        user query was followed by an employee query on almost every request."""
        from .models import User

        try:
            user = User._default_manager.select_related("employee").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """user_login_failed, after axes has counted the failure: record and audit it on the
    account, when the account exists (a failure refused while already locked is neither)."""
    from . import services
    from .models import User

    if request is None or getattr(request, "kinerja_refused_while_locked", False):
        return
    username = attempt_username(request, credentials)
    account = User.objects.filter(username=username, is_active=True).first()
    if account is None:
        return
    until = None
    if getattr(request, "axes_locked_out", False):
        until = locked_until(request, username)
    services.account_login_failed(user=account, locked_until=until)


# --- Signing in ---------------------------------------------------------------------------


class LoginRefused(Exception):
    """Why a login was refused: ``"locked"`` (too many failures; ``until`` says when to try
    again), ``"inactive"`` (the right password of an inactive account) or ``"invalid"``."""

    def __init__(self, code: str, until: datetime | None = None) -> None:
        super().__init__(code)
        self.code, self.until = code, until


def login_authenticate(*, request: HttpRequest | None, username: str, password: str) -> User:
    """The account of a username (or NIP typed with spaces) and password, for the login page.

    Counting failures, the lockout and their audit records happen in the authentication layer
    (kinerja.organisation.auth, django-axes), for this page and every other login path alike;
    this only tells the refusals apart. Only someone who knows the password learns that an
    account is inactive. Raises :class:`LoginRefused`.
    """
    from .models import User

    username = normalise_username(username)
    user = authenticate(request, username=username, password=password)
    if isinstance(user, User):
        return user
    if getattr(request, "axes_locked_out", False) and request is not None:
        raise LoginRefused("locked", locked_until(request, username) or timezone.now())
    inactive = User.objects.filter(username=username, is_active=False).first()
    if inactive is not None and inactive.check_password(password):
        raise LoginRefused("inactive")
    raise LoginRefused("invalid")
