"""The output folder: refuse dangerous paths, build beside it, swap it in only when complete."""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kommunepartner.base.errors import InputError, Problem, shown_path

MARKER = ".kommunepartner-output"
_deleting: dict[Path, subprocess.Popen] = {}  # replaced outputs that a child process deletes
_RENAME_EXCHANGE = 2


def guard_output(output: Path, project_root: Path, content_dir: Path) -> Path:
    """Refuse `/`, the home folder, the repository, the content folder, and anything holding them."""
    out = output.expanduser().resolve()
    protected = {
        Path("/"): "the file-system root",
        Path.home().resolve(): "your home folder",
        project_root.resolve(): "the repository",
        content_dir.resolve(): "the content folder",
    }
    for path, what in protected.items():
        if out == path:
            raise InputError(_refusal(output, f"it is {what}"))
        if path != Path("/") and path.is_relative_to(out):
            raise InputError(_refusal(output, f"it contains {what}"))
    if out.is_relative_to(content_dir.resolve()):
        raise InputError(_refusal(output, "it is inside the content folder"))
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise InputError(
            _refusal(
                output, "it holds files that no build of ours wrote — choose an empty or new folder"
            )
        )
    return out


def _refusal(output: Path, why: str) -> Problem:
    return Problem(
        shown_path(output.expanduser()),
        message=f"refusing to build into this folder: {why}"
        " — pass --output with a folder of its own, e.g. --output output",
    )


class Unfinished:
    """A build being made in `tmp` beside `out`; the process holding it holds the output's lock.

    Made by `begin`; ended by `swap_in` (success) or `abandon` (failure), each of which releases
    the lock. `hand_over` lets another process (the one `exec` starts) end it: the lock is held
    by the open file, which survives `exec`.
    """

    def __init__(self, out: Path, tmp: Path, fd: int) -> None:
        self.out, self.tmp, self.fd = out, tmp, fd

    @classmethod
    def begin(cls, out: Path) -> Unfinished:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = _acquire(out)
        try:
            _clean_leftovers(out)
            tmp = Path(tempfile.mkdtemp(prefix=f".build-{out.name}-", dir=out.parent))
        except BaseException:
            os.close(fd)
            raise
        return cls(out, tmp, fd)

    def swap_in(self, on_swapped: Callable[[], None] | None = None, later: bool = False) -> None:
        """Swap tmp in as the output and release the lock; on any failure, delete tmp."""
        try:
            (self.tmp / MARKER).write_text(
                "Built by Kommunepartner; replaced whole by the next build.\n"
            )
            os.chmod(self.tmp, 0o755)
            _swap(self.tmp, self.out)
            if on_swapped is not None:
                on_swapped()
            if later:
                delete_aside(self.tmp)  # it now holds the replaced output
            else:
                shutil.rmtree(self.tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise
        finally:
            os.close(self.fd)

    def abandon(self) -> None:
        """The build failed: delete tmp, keep the output as it was, release the lock."""
        try:
            shutil.rmtree(self.tmp, ignore_errors=True)
        finally:
            os.close(self.fd)

    def hand_over(self) -> dict:
        """What the process that ends this build needs (the lock's file stays open across exec)."""
        os.set_inheritable(self.fd, True)
        return {"out": str(self.out), "tmp": str(self.tmp), "fd": self.fd}

    @classmethod
    def taken_over(cls, spec: dict) -> Unfinished:
        return cls(Path(spec["out"]), Path(spec["tmp"]), int(spec["fd"]))


@contextmanager
def fresh_output(
    out: Path, on_swapped: Callable[[], None] | None = None, later: bool = False
) -> Iterator[Path]:
    """Yield a temporary folder beside `out`; on success swap it in, on any failure delete it.

    `on_swapped` runs right after the swap, still holding the output's lock. With `later`, the
    replaced output is deleted by a child process (a preview rebuild need not wait for it; what
    it has not deleted when the next build starts, that build's clean-up deletes).
    """
    build = Unfinished.begin(out)
    try:
        yield build.tmp
    except BaseException:
        build.abandon()
        raise
    build.swap_in(on_swapped, later)


def delete_aside(folder: Path) -> None:
    """Delete a folder in a low-priority child process (a thread would hold the GIL meanwhile)."""
    try:
        proc = subprocess.Popen(
            ["nice", "-n", "19", "rm", "-rf", "--", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    _deleting[folder] = proc

    def reap() -> None:
        proc.wait()
        _deleting.pop(folder, None)

    threading.Thread(target=reap, name="kp-clean", daemon=True).start()


def _swap(new: Path, out: Path) -> None:
    """Exchange new and out atomically (renameat2) where the kernel allows, else rename twice."""
    if out.exists():
        libc = ctypes.CDLL(None, use_errno=True)
        fn = getattr(libc, "renameat2", None)
        if fn is not None and fn(-100, bytes(new), -100, bytes(out), _RENAME_EXCHANGE) == 0:
            return  # `new` now holds the old output and is deleted by the caller
        old = out.with_name(f".build-{out.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(out, old)
        os.rename(new, out)
        os.rename(old, new)
    else:
        os.rename(new, out)


def replace_inside(out: Path, name: str, new: Path, still: Callable[[], bool]) -> bool:
    """Swap `new` in as `out/name` (whole folder, atomically) if `still()` holds under the lock."""
    with _lock(out):
        if not still() or not out.is_dir():
            return False
        target = out / name
        if target.exists():
            _swap(new, target)  # `new` now holds the old folder; the caller deletes it
        else:
            os.rename(new, target)
        return True


def locked(out: Path):
    """Hold the output folder's build lock (no build starts or swaps meanwhile)."""
    return _lock(out)


def _acquire(out: Path) -> int:
    """One build at a time per output folder: a lock on the parent folder, no lock file left.

    Closing the returned file releases the lock.
    """
    fd = os.open(out.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def _lock(out: Path) -> Iterator[None]:
    fd = _acquire(out)
    try:
        yield
    finally:
        os.close(fd)


def _clean_leftovers(out: Path) -> None:
    """Remove temporary folders of builds that were killed; restore output lost mid-swap."""
    old = out.with_name(f".build-{out.name}-old")
    if not out.exists() and old.exists():
        os.rename(old, out)
    for leftover in out.parent.glob(f".build-{out.name}-*"):
        if leftover.is_dir() and leftover not in _deleting:  # not one `rm` is deleting now
            shutil.rmtree(leftover, ignore_errors=True)
