"""Compiled templates kept in memory for the life of the process.

Pelican makes a new Jinja environment for every build, so a preview server would compile every
template again on each rebuild. Jinja's bytecode cache hands a new environment the code compiled
before, checked against the hash of the template's source: an edited template is compiled afresh.
"""

from __future__ import annotations

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket


def compile_settings(env: Environment) -> tuple:
    """What Jinja reads from the environment while compiling, besides the source.

    The syntax, the extensions, autoescape and finalize; and the filters and tests by name, kind
    and function (the compiler checks they exist, how they take arguments, and folds constants).
    """

    def named(funcs: dict) -> tuple:
        return tuple(
            sorted(
                (
                    name,
                    getattr(f, "__module__", ""),
                    getattr(f, "__qualname__", type(f).__qualname__),
                    str(getattr(f, "jinja_pass_arg", "")),
                )
                for name, f in funcs.items()
            )
        )

    return (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        tuple(sorted(env.extensions)),
        env.optimized,
        env.is_async,
        env.autoescape,  # a bool, or a function: then only that very function matches
        env.finalize,
        env.code_generator_class,
        named(env.filters),
        named(env.tests),
    )


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates by name, file and compile settings; a changed source is compiled again."""

    def __init__(self) -> None:
        self._code: dict[tuple, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename, source: str) -> Bucket:
        key = (self.get_cache_key(name, filename), compile_settings(environment))
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # dropped by Jinja when the source's hash differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


COMPILED = MemoryBytecodeCache()
