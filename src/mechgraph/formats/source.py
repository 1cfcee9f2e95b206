"""Reading another tool's file: text or XML with the line of every element, an id for
the pathway it becomes, and the format a file name or its first bytes say it is."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import xml.parsers.expat
from pathlib import Path

from ..errors import MechgraphError

MAX_BYTES = 256 << 20
_NOT_ID = re.compile(r"[^A-Za-z0-9_.-]+")


def read_bytes(path: str | Path) -> bytes:
    try:
        p = Path(path)
        if p.stat().st_size > MAX_BYTES:
            raise MechgraphError(f"file is {p.stat().st_size:,} bytes; at most {MAX_BYTES:,} "
                                 "can be imported", path=str(path))
        return p.read_bytes()
    except FileNotFoundError:
        raise MechgraphError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise MechgraphError("a folder, not a file", path=str(path)) from None
    except OSError as e:
        raise MechgraphError(f"cannot read: {e.strerror}", path=str(path)) from None


def read_text(path: str | Path) -> str:
    data = read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise MechgraphError(f"byte 0x{data[e.start]:02x} is not UTF-8", path=str(path),
                             line=line) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_json(path: str | Path, text: str | None = None) -> object:
    """A JSON file (or its ``text``), or a MechgraphError at the line JSON stopped."""
    text = read_text(path) if text is None else text
    try:
        return json.loads(text)
    except ValueError as e:
        raise MechgraphError(f"not JSON: {e.msg}", path=str(path),  # type: ignore[attr-defined]
                             line=e.lineno) from None  # type: ignore[attr-defined]


def pathway_id(path: str | Path) -> str:
    """A pathway id from a file name: ``WP3676.gpml`` -> ``WP3676``."""
    return _NOT_ID.sub("-", Path(str(path)).stem).strip("-.") or "imported"


class XML:
    """A parsed XML file: the root element and the line each element starts on."""

    def __init__(self, root: ET.Element, lines: dict[int, int]) -> None:
        self.root = root
        self._lines = lines

    def line(self, element: ET.Element) -> int | None:
        return self._lines.get(id(element))


def parse_xml(path: str | Path, data: bytes | None = None) -> XML:
    """Namespaces as ``{uri}tag`` (like ElementTree); no DTDs or entity declarations."""
    data = read_bytes(path) if data is None else data
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def name(tag: str) -> str:
        ns, _, local = tag.rpartition(" ")
        return f"{{{ns}}}{local}" if ns else local

    def start(tag: str, attrs: dict[str, str]) -> None:
        el = builder.start(name(tag), {name(k): v for k, v in attrs.items()})
        lines[id(el)] = parser.CurrentLineNumber

    def refuse(*_: object) -> None:
        raise MechgraphError("the file declares a DTD or entities; refusing to expand them",
                             path=str(path), line=parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        raise MechgraphError(f"not well-formed XML: {xml.parsers.expat.ErrorString(e.code)}",
                             path=str(path), line=e.lineno) from None
    return XML(builder.close(), lines)  # XML holds the root: every id stays valid


def local(tag: str) -> str:
    """``{uri}glyph`` -> ``glyph``."""
    return tag.rpartition("}")[2]


def namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""
