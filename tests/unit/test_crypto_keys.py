"""Site secret and partner keys: where the secret comes from, and how keys rotate."""

from __future__ import annotations

import stat
from datetime import datetime

import pytest

from kommunepartner.access.crypto import SECRET_ENV, load_secret, partner_key, unb64u, unlock_token
from kommunepartner.base.config import config_from_settings
from kommunepartner.base.errors import ConfigError
from kommunepartner.base.schema import OSLO

SECRET = b"s" * 40


def config(tmp_path, require: bool, secret_file: str | None = ".kp-secret"):
    settings = {"KP_PROJECT_ROOT": str(tmp_path), "KP_REQUIRE_SECRET": require}
    if secret_file:
        settings["KP_SECRET_FILE"] = secret_file
    return config_from_settings(settings, now=datetime(2026, 6, 1, tzinfo=OSLO))


def test_development_creates_a_private_secret_file_once(tmp_path):
    cfg = config(tmp_path, require=False)
    first = load_secret(cfg)
    assert len(first) >= 32 and first == load_secret(cfg)
    mode = stat.S_IMODE((tmp_path / ".kp-secret").stat().st_mode)
    assert mode == 0o600


def test_production_without_a_secret_stops_with_a_clear_message(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_secret(config(tmp_path, require=True))
    assert f"no site secret: set {SECRET_ENV}" in str(err.value)
    assert not (tmp_path / ".kp-secret").exists()


def test_the_environment_wins_over_the_file(tmp_path, monkeypatch):
    (tmp_path / ".kp-secret").write_text("f" * 40 + "\n")
    monkeypatch.setenv(SECRET_ENV, "e" * 40)
    assert load_secret(config(tmp_path, require=True)) == b"e" * 40
    monkeypatch.delenv(SECRET_ENV)
    assert load_secret(config(tmp_path, require=True)) == b"f" * 40


def test_a_short_secret_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "too-short")
    with pytest.raises(ConfigError, match="is 9 characters long — use at least 32"):
        load_secret(config(tmp_path, require=False))


def test_keys_differ_per_partner_version_and_secret_and_are_stable():
    k = partner_key(SECRET, "4601", 1)
    assert len(k) == 32 and k == partner_key(SECRET, "4601", 1)
    others = {partner_key(SECRET, "4601", 2), partner_key(SECRET, "4602", 1)}
    others.add(partner_key(SECRET + b"x", "4601", 1))
    assert k not in others and len(others) == 3


def test_unlock_token_is_partner_id_dot_key():
    token = unlock_token(SECRET, "46", 3)
    pid, key = token.split(".")
    assert pid == "46" and unb64u(key) == partner_key(SECRET, "46", 3) and len(key) == 43
