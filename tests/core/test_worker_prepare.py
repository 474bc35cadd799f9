"""kinerja.core.worker.prepare: what a server worker does before its first request."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from django.conf import settings


def _run(code: str) -> str:
    """Run `code` in a fresh interpreter with Django set up (prepare() changes process state:
    the frozen generation and the imported views must not leak into this test process)."""
    script = textwrap.dedent(
        """
        import os, sys, gc
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django
        django.setup()
        """
    ) + textwrap.dedent(code)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        env={**os.environ, "SECRET_KEY": "k" * 50, "DEBUG": "1"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_prepare_imports_the_views_and_freezes_the_start_up_objects() -> None:
    out = _run(
        """
        before = set(sys.modules)
        assert gc.get_freeze_count() == 0
        from kinerja.core import worker
        worker.prepare()
        imported = set(sys.modules) - before
        print(gc.get_freeze_count() > 10000, "kinerja.monitoring.views" in imported,
              "kinerja.performance.views.realisations" in sys.modules)
        # The templates are compiled in the cached loader, so they were frozen with the rest.
        from django.template import engines
        loader = engines["django"].engine.template_loaders[0]
        while not hasattr(loader, "get_template_cache"):  # template_partials wraps the cache
            loader = loader.loaders[0]
        cached = loader.get_template_cache
        print("performance/team_plans.html" in cached, "base/base.html" in cached,
              "admin/base.html" in cached, len(cached) > 200)
        worker.prepare()  # a second call is harmless
        print(gc.isenabled())
        """
    )
    assert out.split() == ["True"] * 8


def test_the_asgi_application_is_prepared() -> None:
    out = _run(
        """
        import config.asgi
        print(gc.get_freeze_count() > 10000, "kinerja.monitoring.views" in sys.modules)
        """
    )
    assert out.split() == ["True", "True"]


def test_start_up_leaves_no_context_variables_for_the_requests_to_carry() -> None:
    """Every request's task inherits the context that loaded the application, and asgiref
    carries each of its variables across every sync/async hop: loading the ASGI application
    and prepare() add none to it. The control: the same work run in the caller's context leaves
    one variable per URL resolver there."""
    out = _run(
        """
        import contextvars
        from django.urls import clear_url_caches
        before = set(contextvars.copy_context())
        import config.asgi
        print(set(contextvars.copy_context()) == before)
        from kinerja.core import worker
        clear_url_caches()  # resolvers built afresh, as at a worker's start
        worker.prepare()
        print(set(contextvars.copy_context()) == before)
        clear_url_caches()
        worker._prepare()
        print(len(set(contextvars.copy_context()) - before) > 20)
        """
    )
    assert out.split() == ["True", "True", "True"]


def test_freezing_keeps_collecting_what_requests_create() -> None:
    """Objects made after prepare() are still collected (only the start-up ones are frozen)."""
    out = _run(
        """
        import weakref
        from kinerja.core import worker
        worker.prepare()
        class Node:
            pass
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the collector frees it
        probe = weakref.ref(a)
        del a, b
        gc.collect()
        print(probe() is None)
        """
    )
    assert out.split() == ["True"]


def test_every_template_is_compiled_and_a_broken_one_is_reported(  # type: ignore[no-untyped-def]
    tmp_path, settings, caplog
) -> None:
    """compile_templates loads each template file of the loaders' directories (HTML and text
    mails, nothing else); one that does not compile is logged by name and the rest still are."""
    from django.template import engines

    from kinerja.core import worker

    (tmp_path / "surat").mkdir()
    (tmp_path / "halaman.html").write_text("<p>{{ nama }}</p>")
    (tmp_path / "surat" / "undangan.txt").write_text("Yth. {{ nama }}")
    (tmp_path / "rusak.html").write_text("{% if %}")
    (tmp_path / "catatan.md").write_text("{% if %}")
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [tmp_path],
            "APP_DIRS": False,
        }
    ]
    with caplog.at_level("WARNING", logger="kinerja.core.worker"):
        assert worker.compile_templates() == 2
    assert "rusak.html" in caplog.text and "catatan.md" not in caplog.text
    loader = engines["django"].engine.template_loaders[0]
    while not hasattr(loader, "get_template_cache"):
        loader = loader.loaders[0]
    assert {"halaman.html", "surat/undangan.txt"} <= set(loader.get_template_cache)
