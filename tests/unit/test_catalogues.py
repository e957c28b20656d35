"""The nynorsk and bokmål catalogues define the same keys, with non-empty text."""

from kommunepartner.base.i18n import catalogue


def test_both_written_standards_have_the_same_keys():
    nn, nb = catalogue("nn"), catalogue("nb")
    assert set(nn) == set(nb), set(nn) ^ set(nb)
    assert all(isinstance(v, str) and v.strip() for v in [*nn.values(), *nb.values()])
