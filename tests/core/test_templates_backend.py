"""kinerja.core.templates: a rendered template lets go of its context, so the page's objects
are freed by reference counting instead of waiting for the garbage collector."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.template.backends import django as django_backend
from django.test import RequestFactory

pytestmark = pytest.mark.django_db  # the context processors read the database


class Marker:
    def __str__(self) -> str:
        return "penanda"


@pytest.fixture
def without_collector() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _rendered_then_alive(render: Callable[[dict[str, Any], Any], str]) -> tuple[str, bool]:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    marker = Marker()
    probe = weakref.ref(marker)
    html = render({"penanda": marker, "baris": [marker] * 3}, request)
    del marker
    return html, probe() is not None


def test_the_project_backend_frees_the_context_after_rendering(without_collector: None) -> None:
    backend = engines["django"]
    assert type(backend).__module__ == "kinerja.core.templates"
    template = backend.from_string("{% for b in baris %}{{ b }} {% endfor %}{{ penanda }}")
    html, alive = _rendered_then_alive(template.render)
    assert html == "penanda penanda penanda penanda"
    assert not alive


def test_djangos_own_template_keeps_it_in_a_cycle(without_collector: None) -> None:
    """What the backend mends: the same template through Django's own wrapper leaves its
    context for the collector."""
    backend = engines["django"]
    compiled = backend.engine.from_string("{{ penanda }}")
    template = django_backend.Template(compiled, backend)
    html, alive = _rendered_then_alive(template.render)
    assert html == "penanda" and alive
    gc.collect()


def test_templates_are_found_and_missing_ones_reported_as_before() -> None:
    from django.template import TemplateDoesNotExist
    from django.template.loader import render_to_string

    backend = engines["django"]
    assert backend.get_template("base/base.html").origin.template_name == "base/base.html"
    with pytest.raises(TemplateDoesNotExist) as raised:
        backend.get_template("tidak/ada.html")
    assert raised.value.backend is backend
    # A partial of django-template-partials still resolves through the same engine.
    job = SimpleNamespace(pk=1, status="gagal", error="Berkas rusak.", is_finished=True)
    html = render_to_string("core/export_status.html#status", {"job": job})
    assert 'id="export-status"' in html and "Berkas rusak." in html and "<h1>" not in html
