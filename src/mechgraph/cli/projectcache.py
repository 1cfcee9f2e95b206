"""The ``mechgraph`` program's memory of projects it has loaded without error.

A command reads and checks the whole project before it does anything else, so that what
``check`` refuses no command accepts. When the same files, byte for byte, are loaded
again (from the same working folder, with the same arguments, by the same mechgraph),
the check would give the same answer and build the same project: the program keeps the
project it built and reads it back instead of reading the YAML again. That saves a cold
command most of its loading (the YAML library and the checks are not even imported).

Only a load that succeeded is kept, so a project with any error is loaded, and refused,
on every run, with the same messages. What is compared is every byte of every file under
the given folders (not only ``*.yaml``: whatever the loader may read), the given files,
the working folder (messages name files relative to it), ``--strict``, the Python version,
and the size and time of every module the loader runs (mechgraph's and the YAML
library's). Warnings are part of the project, so they are
printed as before.

The projects live in ``$XDG_CACHE_HOME/mechgraph`` (default ``~/.cache/mechgraph``), one
file per working folder and arguments (the last ``KEEP`` of them), readable and writable
by the user alone; a folder or file that others could have written is ignored. ``MECHGRAPH_NO_CACHE=1`` turns the
memory off. Library calls (``mg.load``) and click's test runner never use it: only the
program does (see :mod:`mechgraph.cli`).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

try:  # the BLAKE2 module alone: hashlib would load OpenSSL's too, a cold command's 1.5 ms
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b

if TYPE_CHECKING:
    from ..model import Project

MAGIC = b"mechgraph project 1\n"
#: files larger than this in all are not worth remembering (hashing them would cost
#: about what loading does) and are loaded every time
MAX_BYTES = 64 << 20
#: modules whose code decides what a load gives (package-relative paths)
LOADER_CODE = ("__init__.py", "errors.py", "model.py", "gcpause.py", "language")


def folder() -> Path | None:
    """Where projects are kept, or None when the memory is off."""
    if os.environ.get("MECHGRAPH_NO_CACHE", "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    return Path(base) / "mechgraph"


def load(paths: tuple[Path, ...], strict: bool, loader: Callable[[], Project]) -> Project:
    """``loader()``'s project: read back when these files were loaded before, else loaded
    now and kept. ``loader`` raises on any problem; then nothing is kept."""
    where = folder()
    key = _key(paths, strict) if where is not None else None
    if where is None or key is None:
        return loader()
    slot, digest = key
    found = _read(where / f"{slot}.pickle", digest)
    if found is not None:
        return found
    project = loader()
    if _key(paths, strict) == key:  # no file changed while it was read: keep what was read
        _write(where, f"{slot}.pickle", digest, project)
    return project


def _key(paths: tuple[Path, ...], strict: bool) -> tuple[str, bytes] | None:
    """(file name for these arguments, digest of everything the load depends on), or None
    when the arguments name something that is neither a folder nor a file (the load will
    say so) or too much to hash."""
    cwd = os.getcwd()
    args = [str(p) for p in paths]
    slot = blake2b(repr((cwd, args, strict, sys.version)).encode(), digest_size=16)
    h = blake2b(digest_size=32)
    h.update(repr((cwd, args, strict, sys.version)).encode())
    package = Path(__file__).resolve().parent.parent
    code = [f for name in LOADER_CODE
            for f in ((sorted((package / name).rglob("*.py")) if (package / name).is_dir()
                       else [package / name]))]
    code += _yaml_files()
    for f in code:
        st = f.stat()
        h.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    total = 0
    for path in paths:
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.is_file())
        elif path.is_file():
            files = [path]
        else:
            return None
        h.update(f"\1{path}\n".encode())
        for f in files:
            try:
                data = f.read_bytes()
            except OSError:
                return None
            total += len(data)
            if total > MAX_BYTES:
                return None
            h.update(f"{f}\0{len(data)}\n".encode())
            h.update(data)
    return slot.hexdigest(), h.digest()


def _yaml_files() -> list[Path]:
    """The files of the YAML library the loader would import (found as the import
    system would, without importing it): an upgrade of it loads projects again."""
    for entry in sys.path:
        folder = Path(entry or ".") / "yaml"
        if (folder / "__init__.py").is_file():
            return sorted(f for f in folder.iterdir() if f.is_file())
    return []


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else."""
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(path: Path, digest: bytes) -> Project | None:
    try:
        if not (_private(os.stat(path.parent)) and _private(os.stat(path))):
            return None
        with open(path, "rb") as fh:
            head = fh.read(len(MAGIC) + len(digest))
            if head != MAGIC + digest:
                return None
            data = fh.read()
    except OSError:
        return None
    from ..gcpause import gc_paused
    from ..model import Project

    try:
        project = gc_paused(_pickle().loads)(data)
    except Exception:  # a damaged file: load the project again
        return None
    return project if isinstance(project, Project) else None


def _write(where: Path, name: str, digest: bytes, project: Project) -> None:
    pickle = _pickle()
    tmp = where / f".{name}.{os.getpid()}.tmp"
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(os.stat(where)):
            return
        data = pickle.dumps(project, protocol=PROTOCOL)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + digest + data)
            os.replace(tmp, where / name)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _prune(where)
    except (OSError, pickle.PicklingError, RecursionError):
        pass  # a project not kept is loaded again next time


PROTOCOL = 5
#: projects kept at most (one per working folder and arguments); the least recently
#: written go first
KEEP = 32


def _prune(where: Path) -> None:
    kept = [(f.stat().st_mtime_ns, f) for f in where.glob("*.pickle")]
    for _, f in sorted(kept, reverse=True)[KEEP:]:
        f.unlink(missing_ok=True)


def _pickle():  # type: ignore[no-untyped-def]
    """The pickle functions: the C module itself where there is one (``import pickle``
    costs a cold command more than the whole read-back)."""
    try:
        import _pickle

        return _pickle
    except ImportError:  # pragma: no cover - an interpreter without the C module
        import pickle

        return pickle
