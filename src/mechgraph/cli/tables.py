"""Documents -> table, JSON or CSV text.

The table and the CSV are made from the document (see :mod:`.report`), so the three
never disagree.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Callable, Iterable, Sequence

from ..gcpause import gc_paused
from .columns import table
from .report import EXPLAINED, FORMATS, Doc

# -- text -----------------------------------------------------------------------------


@gc_paused  # a large answer's cells and lines: many small objects, no cycles
def format_doc(doc: Doc, fmt: str = "table") -> str:
    """A document as ``table`` (for people), ``json`` or ``csv`` text."""
    if fmt == "json":
        return dumps(doc)
    if fmt == "csv":
        from ..formats.cells import inert  # the one rule for every CSV cell we write

        header, rows = _ROWS[doc["query"]](doc)
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow([inert(c) for c in header])
        w.writerows([inert(c) for c in row] for row in rows)
        return out.getvalue()
    if fmt == "table":
        query = doc["query"]
        if query in _OWN_TABLES:  # laid out from the document, not from the CSV's rows
            return _OWN_TABLES[query](doc)
        header, rows = _ROWS[query](doc)
        return _TABLES.get(query, _plain)(doc, header, rows)
    raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")


def dumps(doc: Any) -> str:
    """``json.dumps(doc, indent=2, ensure_ascii=False) + "\\n"``, the same text, written
    by one recursive pass instead of the standard library's generators (which it uses
    whenever there is an indent: a large answer's JSON took longer than its query)."""
    out: list[str] = []
    try:
        _write(doc, out, "\n")
    except TypeError:  # keys other than text, or values json writes its own way
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    out.append("\n")
    return "".join(out)


_string = json.encoder.encode_basestring  # the C encoder json.dumps uses for ensure_ascii=False
_float = float.__repr__
_int = int.__repr__


def _write(value: Any, out: list[str], newline: str) -> None:
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(_int(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        lead = "{" + inner
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"keys must be str here, not {type(k).__name__}")
            if type(v) is str:  # the common case: one piece for the whole line
                out.append(f"{lead}{_string(k)}: {_string(v)}")
            else:
                out.append(f"{lead}{_string(k)}: ")
                _write(v, out, inner)
            lead = "," + inner
        out.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        lead = "[" + inner
        for v in value:
            if type(v) is str:
                out.append(lead + _string(v))
            else:
                out.append(lead)
                _write(v, out, inner)
            lead = "," + inner
        out.append(newline + "]")
    elif isinstance(value, float):
        out.append(json.dumps(value))  # nan, infinity and repr as json writes them
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _plain(doc: Doc, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    return table(header, rows) if rows else "(nothing)\n"


def _p(d: Doc | None) -> str:
    return d["text"] if d else ""


def _ev(d: Doc | None) -> str | None:
    return d["weakest_evidence"] if d else None


def _effect_rows(doc: Doc) -> tuple[list[str], list[list]]:
    header = ["node", "effect", "signs", "hops", "evidence", "relation", "provenance", "path"]
    rows = [[r["label"], r["effect"] + (" (truncated)" if r["truncated"] else ""),
             " ".join(r["signs"]), r["distance"], _ev(r["paths"][0] if r["paths"] else None),
             r["relation"], r["provenance"] or "",
             " | ".join(p["text"] for p in r["paths"])] for r in doc["results"]]
    return header, rows


def _effect_table(doc: Doc, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    what = doc.get("drug") or ", ".join(doc.get("nodes", []))
    title = {"effect": f"net effect of {what}", "upstream": f"upstream of {what}",
             "downstream": f"downstream of {what}"}[doc["query"]]
    if doc.get("stated"):
        title += " (stated only)"
    if doc.get("knockout"):
        title += f" without {', '.join(doc['knockout'])}"
    text = f"{title}\n\n" + (table(header, rows) if rows else "(nothing)\n")
    for n in doc.get("unreached", []):
        text += f"{n['label']}: not reached\n"
    return text


def _paths_rows(doc: Doc) -> tuple[list[str], list[list]]:
    return (["#", "sign", "hops", "evidence", "relation", "provenance", "path"],
            [[n + 1, p["sign"], p["length"], p["weakest_evidence"], p["relation"],
              p["provenance"] or "", p["text"]]
             for n, p in enumerate(doc["results"])])


def _shared_cells(r: Doc) -> list[str]:
    return [s["effect"] or "(in pathway)" for s in r["sources"]]


def _shared_rows(doc: Doc) -> tuple[list[str], list[list]]:
    header = ["node", "source", "kind", "effect", "signs", "evidence", "concordant", "relation",
              "provenance", "path"]
    rows = [[r["label"], s["source"], s["kind"], s["effect"], " ".join(s["signs"]),
             s["evidence"], r["concordant"], s["relation"], s["provenance"], _p(s["path"])]
            for r in doc["results"] for s in r["sources"]]
    return header, rows


def _concord(v: bool | None) -> str:
    return {True: "yes", False: "NO", None: "?"}[v]


def _shared_block(rows: Sequence[Doc], names: Sequence[str]) -> str:
    if not rows:
        return "(nothing)\n"
    if len(names) <= 4:
        header = ["node", *names, "concordant", "evidence", "provenance"]
        body = []
        for r in rows:
            by = {s["source"]: s for s in r["sources"]}
            body.append([r["label"], *[_cell(by[n]) if n in by else "" for n in names],
                         _concord(r["concordant"]), r["evidence"], r["provenance"]])
    else:
        header = ["node", "sources", "effects", "concordant", "evidence", "provenance"]
        body = [[r["label"], r["count"], _tally(_shared_cells(r)), _concord(r["concordant"]),
                 r["evidence"], r["provenance"]] for r in rows]
    return table(header, body)


def _cell(s: Doc) -> str:
    """A source's effect, marked when only a summary explains it or it is inferred."""
    marks = [m for m in (s["relation"] == "summary" and "summary",
                         s["provenance"] == "inferred" and "inferred") if m]
    return (s["effect"] or "(in pathway)") + (f" ({', '.join(marks)})" if marks else "")


def _tally(effects: Iterable[str]) -> str:
    counts: dict[str, int] = {}
    for e in effects:
        counts[e] = counts.get(e, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))


def _explain(rows: Sequence[Doc], width: int = EXPLAINED) -> str:
    lines = []
    for r in rows:
        lines.append(f"{r['label']}:")
        for s in r["sources"][:width]:
            marks = [m for m in (s["relation"] == "summary" and "summary",
                                 s["provenance"] == "inferred" and "inferred") if m]
            lines.append(f"  {s['source']}: {_p(s['path']) or '(in pathway)'}"
                         + (f"  [{', '.join(marks)}]" if marks else ""))
        if len(r["sources"]) > width:
            lines.append(f"  ... and {len(r['sources']) - width} more")
    return "\n".join(lines) + "\n" if lines else ""


def _shared_table(doc: Doc) -> str:
    names = [s["name"] for s in doc["sources"]]
    title = f"nodes shared by {', '.join(names) if len(names) <= 4 else f'{len(names)} sources'}"
    if doc.get("stated"):
        title += ", stated only"
    return (f"{title} (by {doc['by']})\n\n" + _shared_block(doc["results"], names)
            + ("\npaths\n" + _explain(doc["results"]) if doc["results"] else ""))


def _compare_rows(doc: Doc) -> tuple[list[str], list[list]]:
    header = ["part", "node", "drug", "effect", "signs", "evidence", "relation", "provenance",
              "path"]
    rows = [[part, r["label"], s["source"], s["effect"], " ".join(s["signs"]), r["evidence"],
             s["relation"], s["provenance"], _p(s["path"])]
            for part in ("shared", "only_a", "only_b") for r in doc[part] for s in r["sources"]]
    return header, rows


def _compare_table(doc: Doc) -> str:
    a, b = doc["a"], doc["b"]
    text = f"{a} and {b} share {len(doc['shared'])} nodes (by {doc['by']})\n\n"
    text += _shared_block(doc["shared"], [a, b])
    for part, who in (("only_a", a), ("only_b", b)):
        text += f"\nonly {who} ({len(doc[part])})\n"
        by_effect: dict[str, list[str]] = {}
        for r in doc[part]:
            by_effect.setdefault(r["sources"][0]["effect"] or "(in pathway)", []).append(r["label"])
        for effect in sorted(by_effect, key=_EFFECT_ORDER.get):
            text += _wrap(f"  {effect}: ", sorted(by_effect[effect], key=str.casefold))
        if not doc[part]:
            text += "  (nothing)\n"
    return text


_EFFECT_ORDER = {"increases": 0, "decreases": 1, "discordant": 2, "unknown": 3, "(in pathway)": 4}


def _wrap(lead: str, words: Sequence[str], width: int = 100) -> str:
    lines, line = [], lead
    for n, w in enumerate(words):
        piece = w + ("," if n < len(words) - 1 else "")
        if len(line) + len(piece) > width and line.strip() != lead.strip():
            lines.append(line.rstrip())
            line = " " * len(lead)
        line += piece + " "
    lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


def _knockout_rows(doc: Doc) -> tuple[list[str], list[list]]:
    header = ["node", "status", "before", "after", "knockout alone", "path"]
    rows = [[r["label"], r["status"], r["before"]["effect"],
             r["after"]["effect"] if r["after"] else _requires(r["blocked_by"]),
             r["alone"]["effect"] if r["alone"] else "",
             _p((r["alone"] if r["status"] == "mimicked" else r["after"] or r["before"])["path"])]
            for r in doc["results"]]
    return header, rows


def _requires(nodes: Sequence[str]) -> str:
    return f"(needs {', '.join(nodes)})" if nodes else "(no path)"


def _knockout_table(doc: Doc, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    counts = {s: sum(r["status"] == s for r in doc["results"])
              for s in ("lost", "reversed", "changed", "mimicked", "kept")}
    text = (f"{doc['drug']} with {', '.join(doc['removed'])} held off: "
            + ", ".join(f"{n} {s}" for s, n in counts.items()) + "\n\n")
    return text + (table(header, rows) if rows else "(the drug reaches nothing)\n")


def _experiments_rows(doc: Doc) -> tuple[list[str], list[list]]:
    header = ["experiment", "drug", "knockout", "target", "expect", "observed", "status",
              "independently", "conflicts with"]
    rows = [[r["id"], r["drug"], ", ".join(r["knockout"]), r["target"], r["expect"],
             r["observed"] + (" " + _requires(r["blocked_by"]) if r["observed"] == "lost" else ""),
             r["status"], _INDEPENDENCE[r["independence"]], ", ".join(r["conflicts_with"])]
            for r in doc["results"]]
    return header, rows


_INDEPENDENCE = {"independent": "reproduced (independent)",
                 "own-edges-only": "reproduced only by its own edges",
                 "not-reproduced": "not reproduced"}


def _experiments_table(doc: Doc, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    text = table(header, rows) if rows else "(no experiments)\n"
    results = doc["results"]
    n = sum(r["independence"] == "independent" for r in results)
    text += f"\n{n} of {len(results)} reproduced independently of the edges written from their own seed place\n"
    notes = []
    for r in results:
        if r["independence"] == "own-edges-only":
            notes.append(f"{r['id']}: reproduced only by edges its own seed place alone "
                         f"supports ({len(r['own_edges'])}); without them the graph gives "
                         f"{r['observed_without']}")
        if r["status"] == "contested":
            notes.append(f"{r['id']}: the seeds disagree ({', '.join(r['conflicts_with'])}); "
                         f"the graph gives {r['observed']}, as the other seed reports")
        elif r["status"] == "failed":
            notes.append(f"{r['id']}: expected {r['expect']}, the graph gives {r['observed']}"
                         + ("" if r["before"] else " (the drug never reaches the target)"))
    return text + ("\n" + "\n".join(notes) + "\n" if notes else "")


_ROWS: dict[str, Callable[[Doc], tuple[list[str], list[list]]]] = {
    "effect": _effect_rows, "upstream": _effect_rows, "downstream": _effect_rows,
    "paths": _paths_rows, "shared": _shared_rows, "compare": _compare_rows,
    "knockout": _knockout_rows, "experiments": _experiments_rows,
}
_TABLES: dict[str, Callable[[Doc, Sequence[str], Sequence[Sequence[Any]]], str]] = {
    "effect": _effect_table, "upstream": _effect_table, "downstream": _effect_table,
    "knockout": _knockout_table, "experiments": _experiments_table,
}
#: tables that read only the document (a shared answer has a row per source and node)
_OWN_TABLES: dict[str, Callable[[Doc], str]] = {"shared": _shared_table,
                                                 "compare": _compare_table}
