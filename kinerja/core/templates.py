"""Django's template backend, with templates that let go of their context once rendered.

Django's `make_context` pushes the view's context onto a RequestContext as a `ContextDict`,
which points back at the context it belongs to: a reference cycle. Reference counting cannot
free a cycle, so after every rendered page the whole context (the view's rows, model
instances, figures) waited for the garbage collector; a team board of 38 people left 1,695
such objects per request, and the full collections they brought on landed inside later
requests (docs/PERFORMANCE.md, eighth session). Here a template empties its context's stack
after rendering it, which breaks the cycle, so the page's objects are freed when the view
returns. The rendering itself is Django's (`Template.render` below repeats its three
statements); the test client's captured contexts are copies and keep their contents.

settings.TEMPLATES names this backend with NAME "django", the alias that
django-template-partials and `engines["django"]` expect.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.backends import django as django_backend
from django.template.context import make_context
from django.utils.safestring import SafeString


class DjangoTemplates(django_backend.DjangoTemplates):
    def from_string(self, template_code: str) -> Template:
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name: str) -> Template:
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self)


class Template(django_backend.Template):
    def render(
        self, context: dict[str, Any] | None = None, request: HttpRequest | None = None
    ) -> SafeString:
        made = make_context(context, request, autoescape=self.backend.engine.autoescape)
        try:
            rendered: SafeString = self.template.render(made)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self.backend)
        made.dicts.clear()  # breaks the context ↔ ContextDict cycle (see the module's note)
        return rendered
