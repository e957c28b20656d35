"""The pages' security policy, written once: the CSP meta tag of every page and the HTTP headers
that `hosting nginx|caddy|headers` configure. Any script on a page could read a stored partner
key, so scripts and styles come from the site itself only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from kommunepartner.base.config import Config

REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(),"
    " magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()"
)
HSTS = "max-age=31536000"  # a year; add includeSubDomains once every subdomain is https


def origin(url: str) -> str:
    """`https://host[:port]` of a URL; '' for an empty or relative one."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(config: Config, *, header: bool = True) -> str:
    """The CSP: only this site's scripts, styles, pictures and connections; forms post to the
    site or its service. `frame-ancestors` works only as a header (a meta tag may not carry it).
    """
    forms = ["'self'"]
    service = origin(config.service_url)
    if service and service != origin(config.site_url):
        forms.append(service)
    directives = [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",  # Pagefind's search runs WebAssembly
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        f"form-action {' '.join(forms)}",
        "frame-src 'none'",
    ]
    if header:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def security_headers(config: Config) -> list[tuple[str, str]]:
    """The headers every response of the site carries (HSTS when the site is https)."""
    headers = [
        ("Content-Security-Policy", content_security_policy(config)),
        ("Referrer-Policy", REFERRER_POLICY),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if urlsplit(config.site_url).scheme == "https":
        headers.append(("Strict-Transport-Security", HSTS))
    return headers
