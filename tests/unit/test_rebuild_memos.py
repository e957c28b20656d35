"""What a preview server remembers between builds (the registry by its text, compiled templates by
their source), and the source paths it resolves folder by folder. An edit is always seen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from kommunepartner.base.errors import InputError
from kommunepartner.build.bytecode import MemoryBytecodeCache
from kommunepartner.build.context import RegistryMemo, resolved
from tests.conftest import MINIMAL_REGISTRY, write_files


def registry_file(tmp_path: Path, text: str = MINIMAL_REGISTRY) -> Path:
    write_files(tmp_path, {"partners.yaml": text})
    return tmp_path / "partners.yaml"


def test_an_unchanged_registry_is_given_again_without_reading_it_twice(tmp_path):
    path, memo = registry_file(tmp_path), RegistryMemo()
    first = memo.load(path, "partners.yaml")
    assert memo.load(path, "partners.yaml") is first


def test_an_edit_is_read_even_with_the_same_size_and_modification_time(tmp_path):
    path, memo = registry_file(tmp_path), RegistryMemo()
    assert memo.load(path, "partners.yaml").partners[0].status == "pilot"
    before = os.stat(path)
    registry_file(tmp_path, MINIMAL_REGISTRY.replace("status: pilot", "status: ended"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (os.stat(path).st_size, os.stat(path).st_mtime_ns) == (
        before.st_size,
        before.st_mtime_ns,
    )
    assert memo.load(path, "partners.yaml").partners[0].status == "ended"


def test_a_registry_with_problems_is_never_remembered(tmp_path):
    path, memo = registry_file(tmp_path), RegistryMemo()
    good = memo.load(path, "partners.yaml")
    registry_file(tmp_path, MINIMAL_REGISTRY.replace("fee: 50000", "fee: lots"))
    for _ in range(2):
        with pytest.raises(InputError, match="partners.yaml:2:"):
            memo.load(path, "partners.yaml")
    registry_file(tmp_path)
    again = memo.load(path, "partners.yaml")
    assert again == good


def test_a_missing_registry_is_reported_as_without_the_memo(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        RegistryMemo().load(tmp_path / "nope.yaml", "nope.yaml")


class CountingEnvironment(Environment):
    compiled: list[str] = []

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        CountingEnvironment.compiled.append(name)
        return super().compile(source, name, filename, raw, defer_init)


def render(folder: Path, cache: MemoryBytecodeCache, **options) -> str:
    """A new environment, as Pelican makes for every build."""
    env = CountingEnvironment(loader=FileSystemLoader(folder), **options)
    env.bytecode_cache = cache
    return env.get_template("page.html").render(text="<b>")


def test_templates_are_compiled_once_and_again_after_an_edit(tmp_path):
    CountingEnvironment.compiled = []
    cache = MemoryBytecodeCache()
    (tmp_path / "page.html").write_text("Fyrst: {{ text }}", encoding="utf-8")
    assert render(tmp_path, cache, autoescape=True) == "Fyrst: &lt;b&gt;"
    assert render(tmp_path, cache, autoescape=True) == "Fyrst: &lt;b&gt;"
    assert CountingEnvironment.compiled == ["page.html"]
    (tmp_path / "page.html").write_text("Så: {{ text }}", encoding="utf-8")
    assert render(tmp_path, cache, autoescape=True) == "Så: &lt;b&gt;"
    assert CountingEnvironment.compiled == ["page.html", "page.html"]


def test_code_compiled_under_other_settings_is_not_used(tmp_path):
    cache = MemoryBytecodeCache()
    (tmp_path / "page.html").write_text("{{ text }}", encoding="utf-8")
    assert render(tmp_path, cache, autoescape=True) == "&lt;b&gt;"
    assert render(tmp_path, cache, autoescape=False) == "<b>"
    assert render(tmp_path, cache, autoescape=True, variable_start_string="[[") == "{{ text }}"


def test_sources_resolve_as_pathlib_does_through_linked_folders_and_files(tmp_path, monkeypatch):
    (tmp_path / "real" / "briefs").mkdir(parents=True)
    (tmp_path / "real" / "briefs" / "a.md").write_text("a", encoding="utf-8")
    (tmp_path / "elsewhere.md").write_text("b", encoding="utf-8")
    (tmp_path / "content").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "briefs" / "b.md").symlink_to(tmp_path / "elsewhere.md")
    monkeypatch.chdir(tmp_path)
    sources = [
        str(tmp_path / "content" / "briefs" / "a.md"),
        str(tmp_path / "content" / "briefs" / "b.md"),
        "content/briefs/a.md",
        "a-missing-file.md",
        str(tmp_path / "content" / "briefs" / ".." / "briefs" / "a.md"),
    ]
    folders: dict[str, str] = {}
    assert [resolved(s, folders) for s in sources] == [str(Path(s).resolve()) for s in sources]
