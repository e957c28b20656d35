"""Parts of the output that a caller building repeatedly can remember by what they show.

A function that makes a file from parts takes `part(key, make)`, which gives what `make()` gives.
The key holds everything the part shows (times as text: equal datetimes can differ in offset),
so a caller may hand back the value of an earlier build for an equal key (kommunepartner/build/context.py).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

Part = Callable[[Hashable, Callable[[], Any]], Any]


def fresh(_key: Hashable, make: Callable[[], Any]) -> Any:
    """The `part` of a caller that remembers nothing: every part is made."""
    return make()
