"""A brief's `image:` becomes a responsive, lazy picture; a missing file stops the build."""

from __future__ import annotations

import io

from PIL import Image


def jpeg(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (20, 80, 100)).save(buf, "JPEG")
    return buf.getvalue()


BRIEF = """
---
title: "Havvind"
date: 2026-03-02
summary: "Kort samandrag."
image: {image}
image_alt: "Flytande vindturbinar"
---

Tekst.
"""


def test_a_brief_picture_has_srcset_width_height_and_lazy_loading(site):
    site.write(
        {
            "briefs/havvind.md": BRIEF.format(image="images/havvind.jpg"),
            "images/havvind.jpg": jpeg(1200, 600),
        }
    )
    site.build()
    page = (site.output / "notat/havvind/index.html").read_text(encoding="utf-8")
    base = "../../images/havvind"  # relative to the page: the site works under any address
    assert f'srcset="{base}-480w.jpg 480w, {base}-960w.jpg 960w, {base}.jpg 1200w"' in page
    assert 'width="1200" height="600" alt="Flytande vindturbinar" loading="lazy"' in page
    for name, size in [("havvind-480w.jpg", (480, 240)), ("havvind-960w.jpg", (960, 480))]:
        with Image.open(site.output / "images" / name) as img:
            assert img.size == size


def test_a_missing_picture_names_the_file_line_and_the_fix(site):
    site.write({"briefs/havvind.md": BRIEF.format(image="images/finst-ikkje.jpg")})
    message = (
        "content/briefs/havvind.md:5:8: image: 'images/finst-ikkje.jpg' is not a file in the"
        " content folder"
    )
    assert message in site.build(expect=2).output
    checked = site.cli("check", "--content", site.content, "--partners", site.partners)
    assert checked.exit_code == 2 and message in checked.output  # check finds it without building
