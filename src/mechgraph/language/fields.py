"""The vocabulary of checks the loader is made of: each reads one YAML node into one
value, or records a diagnostic that names the place, the bad value and what is allowed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping, TypeVar

from ..errors import Diagnostic
from ..model import Evidence, Grade, Location, PathwayKind, Relation, SeedRef, Source, Table
from . import parse as p
from .curie import check_curie

E = TypeVar("E")

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
SEED_PATTERN = re.compile(r"([A-Za-z0-9_.-]+):(\d+)(?:\s*-\s*(\d+))?")
TABLE_KEYS = ("title", "seed", "columns", "rows")
MAX_NAME = 120
ARROW = re.compile(r"(->|-\||=>|~>|>>|--)")
GRADES = {g.value: g for g in Grade}
RELATIONS = {r.value: r for r in Relation}
BOOLEANS = {"true": True, "false": False, "yes": True, "no": False}
# Trojan-source characters: they make text read differently from what it is.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# A figure's text is broken into lines at spaces; Graphviz refuses a line of a label
# over 16,384 bytes, which a word of MAX_WORD characters never reaches once escaped.
MAX_WORD = 1000
_LONG_WORD = re.compile(r"[^ \n\t]{%d,}" % (MAX_WORD + 1))
# Characters XML 1.0 forbids even as references (a YAML "\uFFFE" escape can make them).
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹", "01234567890123456789")


def numbers(name: str) -> list[str]:
    """The numbers in a name, sub- and superscripts read as digits: '5-HT₂A' -> ['5', '2']."""
    return re.findall(r"\d+", name.translate(_DIGITS))


def near(word: str, choices: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` or ``""``.

    Only a spelling slip is suggested: a name whose numbers differ (5-HT1A against
    5-HT₂A, D1 against D2) is another thing, not a typo.
    """
    import difflib  # only when a name is unknown: not imported by every load

    digits = numbers(word)
    choices = [c for c in choices if numbers(c) == digits]
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        folded = {c.casefold(): c for c in choices}
        close = [folded[n] for n in difflib.get_close_matches(word.casefold(), list(folded), n=1,
                                                              cutoff=0.6)]
    return f" (did you mean '{close[0]}'?)" if close else ""


def _quote_hint(node: p.Node) -> str:
    """Text holding ': ' reads as a one-key mapping: show it quoted."""
    if isinstance(node, p.Map) and len(node.items) == 1:
        [(key, (_, value))] = node.items.items()
        if isinstance(value, p.Scalar) and not value.is_null and len(key) + len(value.value) < 120:
            return f' (a \': \' inside text starts a key: put the text in quotes, "{key}: {value.value}")'
    return ""


class Fields:
    """Diagnostics collected per file; ``path`` is the file being read."""

    def __init__(self, diags: list[Diagnostic], strict: bool = False) -> None:
        self.diags = diags
        self.strict = strict
        self.warnings: list[Diagnostic] = []
        self.path = "<string>"
        self.sources: dict[str, Source] = {}

    # -- reporting -----------------------------------------------------------------
    def error(self, line: int | None, message: str) -> None:
        self.diags.append(Diagnostic(self.path, line, message))

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(Diagnostic(self.path, line, message, "warning"))

    # -- generic shape checks --------------------------------------------------------
    def keys(self, node: p.Map, allowed: tuple[str, ...], what: str,
             required: tuple[str, ...] = ()) -> None:
        for key, (kscalar, _) in node.items.items():
            if key not in allowed:
                self.error(kscalar.line, f"unknown key {key!r} in {what}{near(key, allowed)}; "
                                         f"allowed: {', '.join(allowed)}")
        for key in required:
            if key not in node.items or (isinstance(v := node.get(key), p.Scalar) and v.is_null):
                self.error(node.line, f"{what} is missing {key!r}")

    def mapping(self, node: p.Node, what: str) -> p.Map | None:
        if isinstance(node, p.Map):
            return node
        self.error(node.line, f"{what} must be a mapping (key: value lines), not {p.kind_name(node)}")
        return None

    def records(self, node: p.Node, what: str, keys: tuple[str, ...],
                required: tuple[str, ...] = ()) -> Iterator[tuple[str, p.Scalar, p.Map]]:
        """The entries of a ``what: {id: {key: value}}`` section with a valid id and shape."""
        section = self.mapping(node, f"'{what}s'")
        for rid, (key, body) in (section.items.items() if section else ()):
            if self.identifier(key, f"{what} id") is None:
                continue
            record = self.mapping(body, f"{what} {rid!r}")
            if record is not None:
                self.keys(record, keys, f"{what} {rid!r}", required=required)
                yield rid, key, record

    def text(self, node: p.Node | None, what: str, *, name: bool = False) -> str | None:
        """A scalar's text; ``name`` refuses control and format characters and newlines."""
        if node is None:
            return None
        if type(node) is p.Scalar:  # the common case: printable ASCII, short, not null
            value = node.value
            if value.isascii() and value.isprintable() and \
                    len(value) <= (MAX_NAME if name else MAX_WORD) and \
                    not (node.plain and value in p.NULLS):
                return value.strip()  # what the checks below would return
        if not isinstance(node, p.Scalar):
            self.error(node.line, f"{what} must be text, not {p.kind_name(node)}{_quote_hint(node)}")
            return None
        if node.is_null:
            return None
        value = node.value.strip()
        # isprintable() is False for every Cc and Cf character: the slow scan runs only then
        bad = [] if value.isprintable() else [ch for ch in value if (unicodedata.category(ch) in ("Cc", "Cf") if name
                                      else (ch in BIDI or (unicodedata.category(ch) == "Cc"
                                                           and ch not in "\n\t")))]
        if bad:
            self.error(node.line, f"{what} {value!r} holds the control or formatting character "
                                  f"U+{ord(bad[0]):04X}; {'names and labels' if name else 'text'} "
                                  f"may not hold {'control or invisible formatting' if name else 'control or bidirectional'} characters")
            return None
        if (bad := _NOT_XML.search(value)) is not None:
            self.error(node.line, f"{what} holds U+{ord(bad.group()):04X}, which no SVG or XML file "
                                  "may contain; remove it")
            return None
        if not name and len(value) > MAX_WORD and (long := _LONG_WORD.search(value)):
            self.error(node.line, f"{what} holds a word of {len(long.group()):,} characters "
                                  f"without a space ({long.group()[:20]!r}...); at most "
                                  f"{MAX_WORD:,}, so that a figure can break it into lines")
            return None
        if name and len(value) > MAX_NAME:
            self.error(node.line, f"{what} is {len(value)} characters long; at most {MAX_NAME} allowed")
            return None
        return value

    def texts(self, node: p.Node | None, what: str, *, name: bool = False) -> list[tuple[str, int]]:
        """A scalar or a list of scalars -> [(text, line)]."""
        if node is None:
            return []
        items = node.items if isinstance(node, p.Seq) else [node]
        out = []
        for item in items:
            value = self.text(item, what, name=name)
            if value:
                out.append((value, item.line))
        return out

    def enum(self, node: p.Node | None, what: str, table: Mapping[str, E]) -> E | None:
        value = self.text(node, what)
        if value is None:
            return None
        found = table.get(value) or table.get(value.lower())
        if found is None:
            allowed = ", ".join(table)
            self.error(node.line, f"unknown {what} {value!r}{near(value, table)}; "  # type: ignore[union-attr]
                                  f"expected one of: {allowed}")
        return found

    def identifier(self, node: p.Node | None, what: str) -> str | None:
        value = self.text(node, what, name=True)
        if value is not None and not ID_PATTERN.fullmatch(value):
            foreign = next((ch for ch in value if not ch.isascii()), None)
            why = f"{foreign!r} is not ASCII; ids use" if foreign else "use"
            self.error(node.line, f"{what} {value!r} is not a valid id: {why} ASCII letters, "  # type: ignore[union-attr]
                                  "digits, '-', '_' and '.', starting with a letter or digit"
                                  + ("; a label may hold any letter" if foreign else ""))
            return None
        return value

    def curies(self, node: p.Node | None, what: str = "citation") -> tuple[str, ...]:
        out = []
        for value, line in self.texts(node, what):
            curie, problem = check_curie(value)
            if problem:
                self.error(line, problem)
            elif curie not in out:
                out.append(curie)
        return tuple(out)

    def seed(self, node: p.Node | None) -> SeedRef | None:
        value = self.text(node, "seed place")
        if value is None:
            return None
        m = SEED_PATTERN.fullmatch(value)
        if not m:
            self.error(node.line, f"seed place {value!r} must be source:line or "  # type: ignore[union-attr]
                                  "source:first-last (for example cureus:45 or cureus:45-47)")
            return None
        source, first = m.group(1), int(m.group(2))
        last = int(m.group(3) or first)
        if source not in self.sources:
            known = ", ".join(sorted(self.sources)) or "none defined"
            self.error(node.line, f"unknown source {source!r} in seed place {value!r}"  # type: ignore[union-attr]
                                  f"{near(source, self.sources)}; sources: {known} "
                                  "(define sources under 'sources:' in a catalog)")
            return None
        if first < 1 or last < first:
            self.error(node.line, f"seed place {value!r}: lines must be 1 or more, first <= last")  # type: ignore[union-attr]
            return None
        return SeedRef(source, first, last)

    def refs(self, node: p.Node | None) -> tuple[str, ...]:
        out = []
        for value, line in self.texts(node, "reference number"):
            if not value.isdigit():
                self.error(line, f"reference number {value!r} must be a whole number as printed "
                                 "in the source (for example 16)")
            else:
                out.append(str(int(value)))
        return tuple(out)

    def read_tables(self, node: p.Node | None) -> tuple[Table, ...]:
        if node is None:
            return ()
        if not isinstance(node, p.Seq):
            self.error(node.line, f"'tables' must be a list, not {p.kind_name(node)}")
            return ()
        out = []
        for item in node.items:
            m = self.mapping(item, "a table")
            if m is None:
                continue
            self.keys(m, TABLE_KEYS, "table", required=("title", "columns", "rows"))
            columns = tuple(t for t, _ in self.texts(m.get("columns"), "column"))
            rows = []
            rnode = m.get("rows")
            for row in (rnode.items if isinstance(rnode, p.Seq) else []):
                if not isinstance(row, p.Seq):
                    self.error(row.line, f"a table row must be a list of cells, not {p.kind_name(row)}")
                    continue
                cells = tuple(self.text(c, "cell") or "" for c in row.items)
                if len(cells) != len(columns):
                    self.error(row.line, f"table row has {len(cells)} cells; the table has "
                                         f"{len(columns)} columns")
                    continue
                rows.append(cells)
            if rnode is not None and not isinstance(rnode, p.Seq):
                self.error(rnode.line, f"'rows' must be a list of rows, not {p.kind_name(rnode)}")
            out.append(Table(self.text(m.get("title"), "title") or "", columns, tuple(rows),
                             self.seed(m.get("seed")), Location(self.path, m.line)))
        return tuple(out)

    def read_evidence(self, attrs: Mapping[str, p.Node], defaults: "Defaults",
                      line: int, kind: PathwayKind, what: str = "edge") -> tuple[Evidence, ...]:
        grade = (self.enum(attrs["evidence"], "evidence grade", GRADES) if "evidence" in attrs
                 else defaults.grade)
        seed = self.seed(attrs["seed"]) if "seed" in attrs else defaults.seed
        cites = self.curies(attrs["cite"]) if "cite" in attrs else defaults.cites
        refs = self.refs(attrs.get("ref"))
        note = self.text(attrs.get("note"), "note")
        if self.strict and kind is PathwayKind.SIGNALING:
            if "evidence" not in attrs and not defaults.has_grade:
                self.error(line, f"{what} has no evidence grade (strict: give 'evidence:' on the "
                                 f"{what} or in 'defaults:')")
            if "seed" not in attrs and not defaults.has_seed:
                self.error(line, f"{what} has no seed place (strict: give 'seed:' on the {what} "
                                 "or in 'defaults:')")
        if grade is None and seed is None and not cites and not refs and note is None:
            return ()
        return (_evidence(grade, cites, seed, refs, note),)


@dataclass(frozen=True)
class Defaults:
    """A pathway's ``defaults:``, read once and shared by all its edges."""

    grade: Grade | None = None
    seed: SeedRef | None = None
    cites: tuple[str, ...] = ()
    has_grade: bool = False
    has_seed: bool = False
    relation: Relation | None = None
    via: "p.Node | None" = None  # read per edge: names resolve in the edge's pathway


T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """A fast ``cls(...)`` for a frozen dataclass with slots, taking every field by
    position: a plain class with the same slots fills them without the frozen class's
    checked assignment of each, then the object becomes a ``cls`` (the memory layout is
    the same, so Python allows the change). A large project makes hundreds of thousands
    of edges; the object is exactly the one ``cls(...)`` makes."""
    names = cls.__slots__  # type: ignore[attr-defined]
    body = "".join(f"    self.{n} = {n}\n" for n in names)
    scope: dict = {"cls": cls}
    exec(f"def __init__(self, {', '.join(names)}):\n{body}    self.__class__ = cls\n", scope)
    return type(f"_Make{cls.__name__}", (), {"__slots__": names, "__init__": scope["__init__"]})


_evidence = maker(Evidence)
