"""What a preview server remembers between builds: compiled templates by their source. An edit
between two builds is always seen by the second."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from plugins.theme.bytecode import MemoryBytecodeCache


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
