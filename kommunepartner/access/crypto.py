"""Keys: the site secret and each partner's key derived from it (HKDF-SHA256)."""

from __future__ import annotations

import base64
import os
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kommunepartner.base.config import Config
from kommunepartner.base.errors import ConfigError

SECRET_ENV = "KOMMUNEPARTNER_SECRET"
MIN_SECRET_CHARS = 32


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_secret(config: Config) -> bytes:
    """The site secret: $KOMMUNEPARTNER_SECRET, else the secret file.

    Development settings create the file with a fresh random secret when it is missing;
    production settings (KP_REQUIRE_SECRET) stop with a clear error instead.
    """
    value = os.environ.get(SECRET_ENV, "").strip()
    source = f"${SECRET_ENV}"
    if not value and config.secret_file and config.secret_file.is_file():
        value = config.secret_file.read_text(encoding="utf-8").strip()
        source = str(config.secret_file)
    if not value:
        if config.require_secret or not config.secret_file:
            raise ConfigError(
                f"no site secret: set {SECRET_ENV} (at least {MIN_SECRET_CHARS} random"
                " characters, e.g. from `python3 -c 'import secrets;"
                " print(secrets.token_urlsafe(32))'`) or create the secret file"
                f" {config.secret_file or 'named in KP_SECRET_FILE'}",
                "secret",
            )
        value = secrets.token_urlsafe(32)
        config.secret_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(config.secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(value + "\n")
        source = str(config.secret_file)
    if len(value) < MIN_SECRET_CHARS:
        raise ConfigError(
            f"the site secret in {source} is {len(value)} characters long — use at least"
            f" {MIN_SECRET_CHARS} random characters",
            "secret",
        )
    return value.encode("utf-8")


def partner_key(secret: bytes, partner_id: str, key_version: int) -> bytes:
    """A partner's 256-bit key = HKDF-SHA256(site secret, info = partner id + key_version)."""
    info = f"kommunepartner/partner/{partner_id}/v{key_version}".encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def unlock_token(secret: bytes, partner_id: str, key_version: int) -> str:
    """What follows `#k=` in a partner's unlock link: `<partner id>.<key, base64url>`."""
    return f"{partner_id}.{b64u(partner_key(secret, partner_id, key_version))}"
