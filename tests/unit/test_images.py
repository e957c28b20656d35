"""Responsive pictures: scaled copies never wider than the original, heights kept in proportion."""

from kommunepartner.outputs.images import plan_picture


def test_a_wide_picture_gets_every_width_below_its_own_plus_the_original():
    pic = plan_picture("images/havvind.jpg", 1600, 900, "Vindturbinar")
    assert [(v.path, v.width, v.height) for v in pic.variants] == [
        ("images/havvind-480w.jpg", 480, 270),
        ("images/havvind-960w.jpg", 960, 540),
        ("images/havvind-1440w.jpg", 1440, 810),
        ("images/havvind.jpg", 1600, 900),
    ]
    assert (pic.width, pic.height, pic.alt) == (1600, 900, "Vindturbinar")
    assert pic.src.path == "images/havvind-1440w.jpg"


def test_a_small_picture_is_only_offered_as_itself():
    pic = plan_picture("images/logo.png", 300, 120, "Logo")
    assert [(v.path, v.width) for v in pic.variants] == [("images/logo.png", 300)]
    assert pic.src.path == "images/logo.png"


def test_heights_round_and_never_reach_zero():
    pic = plan_picture("a/b.jpg", 3000, 1, "", widths=(480,))
    assert [(v.width, v.height) for v in pic.variants] == [(480, 1), (3000, 1)]
    assert plan_picture("x.jpg", 1000, 333, "", widths=(480,)).variants[0].height == 160
