"""Which importer reads a file: by its name, else by its first bytes."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

from ..errors import MechgraphError
from .imported import Imported

#: format name -> (module, importer function)
IMPORTERS = {
    "sbgn": ("sbgn", "from_sbgn"),
    "gpml": ("gpml", "from_gpml"),
    "bel": ("bel", "from_bel"),
    "cx2": ("cx2", "from_cx2"),
    "sif": ("tables", "from_sif"),
    "table": ("tables", "from_table"),
}
SUFFIXES = {".sbgn": "sbgn", ".sbgnml": "sbgn", ".gpml": "gpml", ".bel": "bel", ".cx2": "cx2",
            ".cx": "cx2", ".sif": "sif", ".tsv": "table", ".csv": "table"}


def detect(path: str | Path, head: bytes | None = None) -> str:
    """The format of a file, from its suffix or, failing that, its first bytes."""
    suffix = Path(str(path)).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if head is None:
        try:
            with open(path, "rb") as f:
                head = f.read(4096)
        except OSError as e:
            raise MechgraphError(f"cannot read: {e.strerror}", path=str(path)) from None
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if "libsbgn" in text:
        return "sbgn"
    if "pathvisio.org/GPML" in text:
        return "gpml"
    if text.startswith("[") and "CXVersion" in text:
        return "cx2"
    first = text.split("\n", 1)[0].lower()
    if "source" in first and "target" in first:
        return "table"
    if any(w in text for w in ("SET Citation", "SET DOCUMENT", "p(HGNC:", "directlyIncreases")):
        return "bel"
    if text.strip():
        return "sif"
    raise MechgraphError("cannot tell the format of an empty file", path=str(path))


def import_file(path: str | Path, fmt: str | None = None, **options: Any) -> Imported:
    """Read any supported file into an :class:`Imported` (``fmt``: one of IMPORTERS)."""
    fmt = fmt or detect(path)
    if fmt not in IMPORTERS:
        raise MechgraphError(f"unknown import format {fmt!r}; known: {', '.join(IMPORTERS)}")
    module, name = IMPORTERS[fmt]
    if fmt not in ("sif", "table"):
        options.pop("id_prefix", None)
    return getattr(import_module(f".{module}", __package__), name)(path, **options)


__all__ = ["IMPORTERS", "detect", "import_file"]
