"""Benchmark settings: ours without PDFs, so the build compares like with like against Pelican
and Hugo (which make none). PDFs are made once per brief and then come from the cache
(kommunepartner/outputs/pdf.py); their cost is measured in the closing note of issue 17."""

import os

from pelicanconf import *  # noqa: F403

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PATH = os.path.join(ROOT, "content")  # paths in a settings file are relative to its folder
THEME = os.path.join(ROOT, "themes", "kommunepartner")
KP_PDF = False
