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

The ASGI and WSGI applications (config/asgi.py, config/wsgi.py) call `prepare()`; so does the
benchmark process (bench/run.py), so that it measures pages served the way a worker serves them.
"""

from __future__ import annotations

import gc

from django.urls import get_resolver


def prepare() -> None:
    """Import the views and freeze the start-up objects; safe to call more than once."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - importing the URLconf imports every view module
    resolver.reverse_dict  # noqa: B018 - builds the reverse lookup tables once, here
    gc.collect()
    gc.freeze()
