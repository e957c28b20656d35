"""Safe YAML: plain YAML 1.2 scalars, no tags or aliases, every position known."""

from __future__ import annotations

import pytest

from kommunepartner.base.errors import InputError
from kommunepartner.base.yamlfile import REJECTED, load_yaml, read_text


def messages(text: str, **kw) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_yaml(text, "f.yaml", **kw)
    return [str(p) for p in exc.value.problems]


def test_plain_scalars_follow_yaml_1_2():
    data = load_yaml(
        "a: no\nb: 10:00\nc: 0460\nd: 4601\ne: 1.5\nf: true\ng: ~\nh: 2026-01-01\ni: yes\nj: on\n",
        "f.yaml",
    ).data
    assert data == {
        "a": "no",
        "b": "10:00",
        "c": "0460",
        "d": 4601,
        "e": 1.5,
        "f": True,
        "g": None,
        "h": "2026-01-01",
        "i": "yes",
        "j": "on",
    }


def test_positions_of_keys_values_and_list_items_are_1_based_and_offset():
    loc = load_yaml("title: x\ntopics:\n  - energi\n  - havvind\n", "f.md", line_offset=1)
    assert loc.at(("title",), key=True) == (2, 1)
    assert loc.at(("title",)) == (2, 8)
    assert loc.at(("topics", 1)) == (5, 5)
    assert loc.at(("topics", 7)) == (4, 3)  # missing: the nearest enclosing value (the list)
    assert loc.problem(("topics", 1), "bad").field == "topics[1]"


def test_tags_are_reported_never_constructed(tmp_path):
    marker = tmp_path / "ran"
    text = f'a: !!python/object/apply:os.system ["touch {marker}"]\nb: !!binary aGk=\n'
    assert messages(text) == [
        "f.yaml:1:4: a: the YAML tag !!python/object/apply:os.system is not allowed"
        " — delete it, write a plain list",
        "f.yaml:2:4: b: the YAML tag !!binary is not allowed — delete it, write a plain value",
    ]
    assert not marker.exists()


def test_keep_going_collects_structural_problems_and_marks_values():
    loc = load_yaml("a: 1\na: 2\nb: &x [1]\nc: *x\nd: !!set {}\n", "f.yaml", keep_going=True)
    assert loc.data == {"a": 1, "b": [1], "c": REJECTED, "d": REJECTED}
    assert [str(p) for p in loc.problems] == [
        "f.yaml:2:1: a: duplicate key (first given on line 1) — keep one of them",
        "f.yaml:4:1: c: aliases (*name) are not allowed — write the value out in full",
        "f.yaml:5:4: d: the YAML tag !!set is not allowed — delete it, write a plain mapping",
    ]


def test_a_billion_laughs_is_refused_not_expanded():
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    problems = messages(lol)
    assert len(problems) == 8 * 9
    assert all("aliases (*name) are not allowed" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a:\n\tb: 1\n", "f.yaml:2:1: a tab character — indent YAML with spaces, never tabs"),
        (
            'a: "open\nb: 2\n',
            "f.yaml:1:4: invalid YAML: the quoted text that starts here is never closed"
            ' — close the quotes, or write \\" for a quote inside',
        ),
        (
            "a: {b: 1\nc: 2\n",
            "f.yaml:2:2: invalid YAML: expected ',' or '}', but got ':' (while parsing a flow"
            " mapping at line 1, column 4) — close the mapping with '}' on the same line",
        ),
        (
            "a: b: c\n",
            "f.yaml:1:5: a ': ' inside a value — put the whole value in quotes,"
            ' e.g. title: "Havvind: kva no?"',
        ),
        (
            "a: \x07\n",
            "f.yaml:1:4: the invisible control character U+0007 is not allowed — delete it",
        ),
        (
            "- a\nb: 1\n",
            "f.yaml:2:1: invalid YAML: expected <block end>, but found '?' (while parsing a block"
            " collection at line 1, column 1) — each line is 'field: value', indented like the"
            " lines around it",
        ),
    ],
)
def test_syntax_errors_point_at_the_line_and_say_how_to_fix(text, expected):
    assert messages(text) == [expected]


def test_read_text_refuses_bom_and_non_utf8_and_normalises_crlf(tmp_path):
    path = tmp_path / "x.md"
    path.write_bytes(b"a\r\nb\r\n")
    assert read_text(path, "x.md") == "a\nb\n"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    with pytest.raises(InputError, match=r"x.md:1:1: the file starts with a byte-order mark"):
        read_text(path, "x.md")
    path.write_bytes("a: 1\nb: Bjørn\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"x.md:2:6: byte 0xf8 is not UTF-8"):
        read_text(path, "x.md")
    with pytest.raises(InputError, match=r"d.md:1:1: cannot be read \(Is a directory\)"):
        read_text(tmp_path, "d.md")
