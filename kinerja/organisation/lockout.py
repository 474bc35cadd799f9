"""The two small pieces that both the authentication layer (auth.py) and the account services
need, in a module of their own so that neither imports the other."""

from __future__ import annotations

from axes.models import AccessAttempt


def normalise_username(username: str) -> str:
    """A NIP typed with spaces ("19860926 201505 1 001") becomes its 18 digits."""
    compact = "".join(username.split())
    return compact if compact.isdecimal() else username.strip()


def unlock(username: str) -> int:
    """Forget the failures of an account from every address (an administrator's reset)."""
    return int(AccessAttempt.objects.filter(username=normalise_username(username)).delete()[0])
