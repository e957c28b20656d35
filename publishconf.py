"""Production settings: the real address, and a build without a site secret stops."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

SITEURL = "https://kommunepartner.example.org"
KP_REQUIRE_SECRET = True  # KOMMUNEPARTNER_SECRET, or KP_SECRET_FILE, must be set
# Never the development .kp-secret: $KOMMUNEPARTNER_SECRET, or name a file kept outside the repo.
KP_SECRET_FILE = None
KP_UNSUBSCRIBE_URL = "https://kommunepartner.example.org/avmelding/"
