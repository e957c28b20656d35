"""Production settings: the real address, and a build without a site secret stops."""

from pelicanconf import *  # noqa: F403  (importable: the project is installed with pip -e)

SITEURL = "https://kommunepartner.example.org"
KP_REQUIRE_SECRET = True  # KOMMUNEPARTNER_SECRET, or KP_SECRET_FILE, must be set
# Never the development .kp-secret: $KOMMUNEPARTNER_SECRET, or name a file kept outside the repo.
KP_SECRET_FILE = None
KP_UNSUBSCRIBE_URL = "https://kommunepartner.example.org/avmelding/"
KP_SERVICE_URL = (
    "https://kommunepartner.example.org/teneste/"  # behind the same host (hosting nginx)
)
KP_PRODUCTION = True  # sends reach real readers: a plan and a confirmation come first
