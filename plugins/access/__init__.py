"""Pelican plugin: partners-only bodies are sealed (encrypted) before anything can read them.

Other plugins seal a single field the same way: `seal_html(settings, "events/x#online_url", html)`
gives a payload; templates embed it with `{{ kp_sealed(payload) }}`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from markupsafe import Markup
from pelican import signals

from kommunepartner.access.envelope import embed, part_of, seal
from kommunepartner.access.policy import content_security_policy
from kommunepartner.base.i18n import catalogue
from kommunepartner.build.context import context_of

log = logging.getLogger(__name__)


def seal_html(settings: Mapping, item_id: str, html: str) -> dict:
    """Seal an HTML fragment for this build's partners in good standing, bound to item + build."""
    ctx = context_of(settings)
    return seal(html, item_id, ctx.seal_id, ctx.readers, ctx.secret)


def sealed_markup(payload: dict, slot_id: str | None = None, tag: str = "div") -> Markup:
    """Jinja global `kp_sealed`: the slot element plus the inert JSON payload, as trusted HTML."""
    slot = slot_id or f"kp-{part_of(payload['item']) or 'body'}".replace("_", "-")
    return Markup(embed(payload, slot, tag))


def require_secret(pelican) -> None:
    """Read the site secret at the start of every build, so production without one stops."""
    context_of(pelican.settings).secret  # noqa: B018 (the read is the check)


def seal_body(content) -> None:
    """Replace a partners-only body by its sealed payload before .content is ever memoized."""
    access = content.metadata.get("kp_access")
    if access is None or not access.partners_only:
        return
    item = content.metadata["kp_item"]
    payload = seal_html(content.settings, item.key, content._content)
    # One copy of the sealed markup: _locked.html renders it, and it is the body Pelican sees
    # (a str(...) copy would hold the ciphertext twice, ~15 KB per partners-only item).
    content.kp_sealed_html = content._content = sealed_markup(payload)
    if "summary" not in content.metadata:
        # Pelican would cut a summary from the (sealed) content; the teaser is the preheader.
        content._summary = item.meta.get("preheader", "")
        content.metadata["summary"] = content._summary
    log.debug("sealed %s for %d partners", item.key, len(payload["keys"]))


def access_text(lang: str) -> dict[str, str]:
    """The page script's messages in one written standard (catalogue keys access_js_*)."""
    prefix = "access_js_"
    return {k[len(prefix) :]: v for k, v in catalogue(lang).items() if k.startswith(prefix)}


def add_globals(generator) -> None:
    generator.env.globals["kp_sealed"] = sealed_markup
    generator.env.globals["kp_access_text"] = access_text
    ctx = context_of(generator.settings)
    generator.env.globals["kp_build_id"] = ctx.seal_id
    # Quotes stay quotes in the attribute (the policy is ours; only `"` and `&` need escaping).
    csp = content_security_policy(ctx.config, header=False)
    generator.env.globals["kp_csp"] = Markup(csp.replace("&", "&amp;").replace('"', "&quot;"))


def register() -> None:
    # initialized: fail before rendering anything when a production build has no secret.
    signals.initialized.connect(require_secret)
    # content_object_init: runs right after reading, before .content or .summary is memoized.
    signals.content_object_init.connect(seal_body)
    # generator_init: templates embed sealed payloads, the page's build id and the policy.
    signals.generator_init.connect(add_globals)
