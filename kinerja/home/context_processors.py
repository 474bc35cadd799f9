from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kinerja.core.notifications import unread_count
from kinerja.organisation import access


def kinerja(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: the regency's name and the menu entries this user may use."""
    from kinerja.organisation.services import regency_get_cached

    user = getattr(request, "user", None)

    def nav() -> dict[str, Any]:
        authenticated = bool(user and user.is_authenticated)
        return {
            "directory": authenticated,
            "units": authenticated,
            "import": access.can_manage_organisation(user),
            "audit": access.can_read_audit(user),
            "admin": bool(authenticated and user.is_staff),
            "team": authenticated and access.is_supervisor(user),
            "unread": unread_count(user) if authenticated else 0,
            "regency_dashboard": access.can_view_regency_dashboard(user),
            "adoption": access.can_view_adoption(user),
        }

    # The menu is read only when a template uses it: its queries (is the user a supervisor,
    # how many unread notifications) are not run for an answer without the menu, such as the
    # realisation grid's htmx save, which swaps only the page's <main>.
    return {"regency": regency_get_cached(), "nav": SimpleLazyObject(nav)}
