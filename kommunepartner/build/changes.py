"""What changed state since the previous build of the same output: the lines `build` prints.

The state (outputs/sitestate.py) of each build is kept in the state folder, one file per output
folder, and written only once the build is swapped in.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from kommunepartner.build.context import BuildContext
from kommunepartner.outputs.sitestate import SiteState, changes, site_state

FOLDER = "builds"


@dataclass(frozen=True)
class StateChanges:
    """This build's state, what changed since the previous one, and where the state is kept."""

    path: Path
    data: str
    lines: tuple[str, ...]

    def remember(self) -> None:
        """Keep this build's state for the next build (atomically: a crash keeps the old one)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(self.data, encoding="utf-8")
        os.replace(tmp, self.path)


def state_path(ctx: BuildContext, output: Path) -> Path:
    key = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return ctx.config.state_dir / FOLDER / f"{key}.json"


def state_changes(ctx: BuildContext, output: Path) -> StateChanges:
    now = site_state(
        ctx.site.items, ctx.access, ctx.published_keys, ctx.registry.partners, ctx.config.now
    )
    path = state_path(ctx, output)
    data = json.dumps(
        {"output": str(output), "built_for": ctx.config.now.isoformat(), **now.to_json()},
        ensure_ascii=False,
        sort_keys=True,
    )
    try:
        before = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return StateChanges(path, data, ())  # the first build of this output: nothing to compare
    lines = changes(SiteState.from_json(before), now, ctx.site.by_key())
    if lines:
        lines.insert(0, f"Changed state since the build for {before.get('built_for', '?')[:16]}:")
    return StateChanges(path, data, tuple(lines))
