"""Markdown of help articles and announcements, rendered by markdown-it-py with raw HTML
switched off and then sanitised by nh3 (Ammonia): only the tags and attributes below survive,
links keep only http(s), mailto and site-relative targets, and no script, style, event
handler or javascript: link ever reaches a page."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.enable("table")


def render_markdown(text: str) -> SafeString:
    """Safe HTML of `text` (headings start at h2: the page has its own h1)."""
    html = _parser.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)


def plain_excerpt(text: str, length: int = 160) -> str:
    """A short plain-text excerpt (for lists and search results)."""
    words = " ".join(
        line.lstrip("#>-*0123456789. ").strip() for line in (text or "").splitlines()
    ).split()
    excerpt = " ".join(words)
    return excerpt if len(excerpt) <= length else excerpt[: length - 1].rstrip() + "…"
