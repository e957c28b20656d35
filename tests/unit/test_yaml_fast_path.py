"""The libyaml fast path of load_yaml gives exactly what the pure-Python loader gives."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import find, given, settings
from hypothesis import strategies as st

from bench.corpus import generate
from kommunepartner.base import yamlfile
from kommunepartner.base.errors import InputError
from kommunepartner.content.items import split_front_matter

TRICKY = [
    "title: x\nlang: no\ntime: 10:00\nnumber: 0460\nflag: yes\nok: true\n",
    "title: x\n\tsummary: tab\n",
    "topics: [energi, havvind\n",
    "a: &x 1\nb: *x\n",
    "a: !!python/object:os.system x\n",
    "title: a\ntitle: b\n",
    "title: 'unterminated\n",
    "? [a, b]\n: c\n",
    "title: bell \x07 here\n",
    "a: 1\n---\nb: 2\n",
    "title: æøå — «sitat»\nsummary: >\n  folded\n  text\n",
    "list:\n  - 1\n  - two\n  - {k: v}\n",
    "",
    "date: 2026-03-01\nstart: 2026-03-01 10:00\nend: 2026-03-01T12:00:00+01:00\n",
]


def outcome(text: str) -> tuple:
    """Everything load_yaml tells a caller: data and positions, or the exact problems."""
    try:
        loc = yamlfile.load_yaml(text, "f.md", 1, keep_going=True)
    except InputError as exc:
        return ("error", str(exc))
    return ("ok", repr(loc.data), loc.keys, loc.values, [str(p) for p in loc.problems])


def both(text: str, monkeypatch) -> tuple[tuple, tuple]:
    fast = outcome(text)
    with monkeypatch.context() as m:
        m.setattr(yamlfile, "_FastLoader", yamlfile._Loader)
        reference = outcome(text)
    return fast, reference


def test_fast_path_uses_libyaml():
    assert yaml.__with_libyaml__ and issubclass(yamlfile._FastLoader, yaml.CSafeLoader)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_documents_agree(text, monkeypatch):
    fast, reference = both(text, monkeypatch)
    assert fast == reference


def test_generated_front_matter_agrees(tmp_path, monkeypatch):
    corpus = generate(10, tmp_path)
    for path in sorted(corpus.content.rglob("*.md")):
        fm = split_front_matter(path.read_text(encoding="utf-8"), str(path))[0]
        fast, reference = both(fm, monkeypatch)
        assert fast == reference and fast[0] == "ok", path


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab: -[]{}'\"\n\t#&*!,?|>1.æ")), max_size=40))
def test_arbitrary_text_agrees(text):
    with pytest.MonkeyPatch.context() as m:
        fast = outcome(text)
        m.setattr(yamlfile, "_FastLoader", yamlfile._Loader)
        assert outcome(text) == fast


def plain(text: str) -> bool:
    return all(yamlfile._PLAIN_LINE.match(line) for line in text.split("\n"))


VALUE_CHARS = list("ab1 :,-\"'{}[]#?@.æ\t\\") + ["no", "10:00", "0460", "true", ": ", ", "]
LINE = st.builds(
    lambda indent, dash, key, value: " " * indent + dash + key + ":" + value,
    st.integers(0, 3),
    st.sampled_from(["", "- "]),
    st.sampled_from(["title", "topics", "a_b", "x1"]),
    st.lists(st.sampled_from(VALUE_CHARS), max_size=8).map(lambda v: " " + "".join(v) if v else ""),
)


@settings(max_examples=800, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=4).map("\n".join))
def test_front_matter_like_text_agrees(text):
    with pytest.MonkeyPatch.context() as m:
        fast = outcome(text)
        m.setattr(yamlfile, "_FastLoader", yamlfile._Loader)
        assert outcome(text) == fast


def test_the_fuzz_reaches_the_fast_path_and_the_corpus_takes_it(tmp_path):
    seen = []
    # derandomized with a large budget: find() stops as soon as 30 plain lines were drawn
    budget = settings(database=None, derandomize=True, max_examples=5000)
    find(LINE, lambda x: seen.append(plain(x)) or sum(seen) > 30, settings=budget)
    assert sum(seen) > 30  # the fuzz above compares real libyaml reads, not only fallbacks
    corpus = generate(10, tmp_path)
    for path in corpus.content.rglob("*.md"):
        assert plain(split_front_matter(path.read_text(encoding="utf-8"), str(path))[0]), path
