"""Markdown for guidelines, fields and answers: rendered, then sanitised (never trust input)."""

import nh3
from markdown_it import MarkdownIt

# Raw HTML in the source is escaped, and nh3 strips anything that slips through
# (scripts, event handlers, javascript: URLs).
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str | None) -> str:
    if not text:
        return ""
    return nh3.clean(_renderer.render(text), link_rel="noopener noreferrer nofollow")
