"""Pelican plugin: partners-only bodies never reach the output in plaintext."""

from __future__ import annotations

from pelican import signals

from plugins.site.context import context_of


def protect_body(content) -> None:
    """Replace a partners-only body before anything can read (and memoize) it."""
    access = content.metadata.get("kp_access")
    if access is None or not access.partners_only:
        return
    context_of(content.settings)
    # Until the body is encrypted, it is left out entirely: only the teaser is published.
    content._content = ""


def register() -> None:
    # content_object_init: runs right after reading, before .content or .summary is memoized.
    signals.content_object_init.connect(protect_body)
