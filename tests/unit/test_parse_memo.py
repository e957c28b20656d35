"""The preview server's parse memo: an unchanged file is not re-validated, anything else is."""

from __future__ import annotations

import pytest

from kommunepartner.base.errors import InputError
from kommunepartner.content.items import ParseMemo, load_content

BRIEF = """---
title: "Havvind og kommunane"
date: 2026-03-02
summary: "Kort samandrag."
---

{body}
"""


@pytest.fixture
def content(tmp_path):
    (tmp_path / "briefs").mkdir()
    return tmp_path


def write(content, name, text):
    (content / "briefs" / name).write_text(text, encoding="utf-8")


def test_unchanged_files_give_the_same_item_and_changed_files_a_new_one(content):
    memo = ParseMemo()
    write(content, "a.md", BRIEF.format(body="Fyrste."))
    write(content, "b.md", BRIEF.format(body="Andre."))
    first = {i.slug: i for i in load_content(content, content, memo=memo).items}
    write(content, "b.md", BRIEF.format(body="Endra."))
    second = {i.slug: i for i in load_content(content, content, memo=memo).items}
    assert second["a"] is first["a"]
    assert second["b"] is not first["b"] and second["b"].body.strip() == "Endra."


def test_a_file_with_problems_is_reported_every_time_and_never_remembered(content):
    memo = ParseMemo()
    write(content, "a.md", BRIEF.format(body="x").replace('title: "Havvind og kommunane"\n', ""))
    for _ in range(2):
        with pytest.raises(InputError, match="title: is required"):
            load_content(content, content, memo=memo)
    write(content, "a.md", BRIEF.format(body="x"))
    assert [i.slug for i in load_content(content, content, memo=memo).items] == ["a"]


def test_cross_file_rules_still_run_on_remembered_items(content):
    memo = ParseMemo()
    write(content, "a.md", BRIEF.format(body="x"))
    load_content(content, content, memo=memo)
    write(content, "b.md", BRIEF.format(body="y").replace("---\ntitle", "---\nslug: a\ntitle"))
    with pytest.raises(InputError, match="'a' is also used by"):
        load_content(content, content, memo=memo)


def test_the_memo_forgets_deleted_files(content):
    memo = ParseMemo()
    write(content, "a.md", BRIEF.format(body="x"))
    load_content(content, content, memo=memo)
    (content / "briefs" / "a.md").unlink()
    assert load_content(content, content, memo=memo).items == []
    assert memo._items == {}
