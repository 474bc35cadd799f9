"""Login by NIP (spaces allowed, as printed on documents) or by an administrator's username."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


def normalise_username(username: str) -> str:
    """A NIP typed with spaces ("19860926 201505 1 001") becomes its 18 digits."""
    compact = "".join(username.split())
    return compact if compact.isdigit() else username.strip()


class NipOrUsernameBackend(ModelBackend):
    """ModelBackend that accepts a spaced NIP and refuses locked accounts."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ):
        if username is None or password is None:
            return None
        user = super().authenticate(
            request, username=normalise_username(username), password=password, **kwargs
        )
        if user is not None and user.is_locked():
            return None
        return user
