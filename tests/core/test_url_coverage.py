"""Every named URL of the project — all namespaces, the API's too — has a row in some access
matrix (tests/access.py MATRICES). A URL added without one fails here, whichever app it joins.

The Django admin site is the one exception: it is guarded as a whole (staff superusers only,
kinerja.core.admin), and its row `admin:index` in tests/core/test_access_matrix.py stands for
its model pages.
"""

from __future__ import annotations

from tests.access import MATRICES, covered_url_names, matrix_routes, project_url_names

GUARDED_AS_A_WHOLE = ("admin:",)


def test_every_named_url_is_in_an_access_matrix() -> None:
    names = {n for n in project_url_names() if not n.startswith(GUARDED_AS_A_WHOLE)}
    missing = sorted(names - covered_url_names())
    assert not missing, f"URLs in no access matrix (add a Route to one): {missing}"


def test_every_row_names_a_url_that_exists() -> None:
    """A row whose URL was renamed or removed would otherwise cover nothing unnoticed."""
    known = project_url_names()
    stale = sorted(covered_url_names() - known)
    assert not stale, f"matrix rows name URLs that do not exist: {stale}"


def test_the_walk_sees_every_namespace_of_the_project() -> None:
    names = project_url_names()
    namespaces = {n.split(":", 1)[0] for n in names if ":" in n}
    assert set(MATRICES.values()) <= namespaces
    assert {"api", "home", "organisation", "admin"} <= namespaces
    assert "set_language" in names and "api:get_plan" in names


def test_every_matrix_has_rows() -> None:
    for module in MATRICES:
        assert matrix_routes(module), f"{module} has no Route rows"
