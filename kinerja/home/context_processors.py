from typing import Any

from django.http import HttpRequest

from kinerja.core.notifications import unread_count
from kinerja.organisation import access


def kinerja(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: the regency's name and the menu entries this user may use."""
    from kinerja.organisation.services import regency_get_cached

    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "regency": regency_get_cached(),
        "nav": {
            "directory": authenticated,
            "units": authenticated,
            "import": access.can_manage_organisation(user),
            "audit": access.can_read_audit(user),
            "admin": bool(authenticated and user.is_staff),
            "team": authenticated and access.is_supervisor(user),
            "unread": unread_count(user) if authenticated else 0,
            "regency_dashboard": access.can_view_regency_dashboard(user),
            "adoption": access.can_view_adoption(user),
        },
    }
