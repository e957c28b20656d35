"""Benchmark settings: ours without PDFs, so the build compares like with like against Pelican
and Hugo (which make none). PDFs are made once per brief and then come from the cache
(kommunepartner/outputs/pdf.py); their cost is measured in the closing note of issue 17."""

from pelicanconf import *  # noqa: F403

KP_PDF = False
