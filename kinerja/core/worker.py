"""What a server worker does once, after Django is set up and before its first request.

1. **Import every view** (the URLconf and the modules it names). Django imports them lazily, on
   the first request, which then takes most of a second; a worker that has just started should
   not make a user wait for that.
2. **Freeze what is loaded** (`gc.freeze()`): the modules, classes, functions and settings built
   at start-up live as long as the process, but the garbage collector's full (generation 2)
   collections walk all of them every time. Measured on the 10k directory page (docs/
   PERFORMANCE.md, "The directory's cold p95 and the garbage collector"): a full collection took
   40–60 ms inside one request of every few dozen; after freezing the start-up objects none
   took more than 4 ms. Frozen objects are never collected, which is right for objects that
   live as long as the process anyway; anything created by requests is collected as before.
3. **Compile every template first** (into Django's cached loader, which keeps them for the
   life of the process), so that they are frozen with the rest. Compiled lazily, the 239
   templates came to 76,500 objects that every later full collection walked: 44 ms per
   collection on the reference machine, once a worker had served its pages, and the first
   request to each page paid its compilation (docs/PERFORMANCE.md, eighth session). Compiling
   them all takes about 0.3 s of the worker's start.
4. **Leave the caller's context variables as they were.** asgiref's `Local` keeps its values in
   context variables, and building the URL resolvers sets one for each resolver (its
   `populating` flag; 39 with our URLconf). Set in the main thread's context at a worker's
   start, they were inherited by the task of every request, and asgiref (3.13) carries every
   variable of the context across each of a request's sync/async hops (12 for a page, in
   `_restore_context`), re-homing each `Local` storage as it goes: about 550 needless steps a
   request, 0.8 ms of CPU of a `/healthz` that took 3.3 ms in-process on the reference machine
   (docs/PERFORMANCE.md, ninth session). So the work runs in a context of its own.

The ASGI and WSGI applications (config/asgi.py, config/wsgi.py) call `prepare()`; so does the
benchmark process (bench/run.py), so that it measures pages served the way a worker serves them.
"""

from __future__ import annotations

import contextvars
import gc
import logging
from collections.abc import Iterator
from pathlib import Path

from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.urls import get_resolver

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt")


def prepare() -> None:
    """Import the views, compile the templates and freeze the start-up objects; safe to call
    more than once. The caller's context variables are left as they were (point 4 above)."""
    contextvars.Context().run(_prepare)


def _prepare() -> None:
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - importing the URLconf imports every view module
    resolver.reverse_dict  # noqa: B018 - builds the reverse lookup tables once, here
    compile_templates()
    gc.collect()
    gc.freeze()


def compile_templates() -> int:
    """Load every template that the Django engines' loaders can find (the project's and the
    installed apps'), so that the cached loader holds them compiled. Returns how many. A
    template that does not compile is logged and left for its page to report, as before."""
    compiled = 0
    for backend in engines.all():
        if not isinstance(backend, DjangoTemplates):
            continue
        for name in sorted(set(template_names(backend))):
            try:
                backend.get_template(name)
            except Exception:  # a page that uses it raises the same error at its request
                logger.warning("Template %s did not compile at start-up", name, exc_info=True)
                continue
            compiled += 1
    return compiled


def template_names(backend: DjangoTemplates) -> Iterator[str]:
    """The names of the template files in the directories of the backend's loaders."""
    for loader in backend.engine.template_loaders:
        for inner in getattr(loader, "loaders", [loader]):  # the cached loader wraps others
            for directory in inner.get_dirs():
                root = Path(directory)
                for path in root.rglob("*"):
                    if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
                        yield path.relative_to(root).as_posix()
