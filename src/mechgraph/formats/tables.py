"""Signed interaction tables: SIF with sign words, OmniPath-style and SIGNOR-style
columns (``from_sif``, ``from_table``).

A node named by a CURIE (``uniprot:P23560``, ``hgnc.symbol:BDNF``), or by a bare
UniProt or Ensembl accession, ChEBI id or HGNC id, carries it as a cross-reference;
``id_prefix`` says what the bare names of a table are (``hgnc.symbol`` for gene symbols).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ..errors import MechgraphError
from ..gcpause import gc_paused
from ..language.curie import PREFIXES, check_curie
from ..model import Effect, NodeKind
from .imported import Imported, Link, Node
from .source import read_text, pathway_id

P, N, U, C, X = (Effect.POSITIVE, Effect.NEGATIVE, Effect.UNKNOWN, Effect.CONVERSION,
                 Effect.NECESSARY)
M, S, A = "mechanism", "summary", "association"

#: the word we write for each (effect, relation kind), in SIF and in the tables' interaction
WORD = {(P, M): "activates", (N, M): "inhibits", (X, M): "necessary-for", (U, M): "modulates",
        (C, M): "converts-to", (P, S): "increases", (N, S): "decreases", (U, S): "regulates",
        (X, S): "increases", (C, S): "increases", (P, A): "correlates-positively",
        (N, A): "correlates-negatively", (U, A): "associated-with",
        (Effect.ASSOCIATED, A): "associated-with"}

#: relation words of SIF files and tables (ours, CausalPath, SIGNOR, OmniPath) -> meaning
SIGN_WORDS: dict[str, tuple[Effect, str]] = {
    **{w: (P, M) for w in ("activates", "activation", "stimulates", "stimulation",
                           "upregulates", "up-regulates", "upregulates-expression",
                           "up-regulates-activity", "up-regulates-quantity", "positive",
                           "directly-increases", "directlyincreases", "promotes", "induces",
                           "+", "1", "->", "phosphorylates-activates")},
    **{w: (N, M) for w in ("inhibits", "inhibition", "downregulates", "down-regulates",
                           "downregulates-expression", "down-regulates-activity",
                           "down-regulates-quantity", "negative", "directly-decreases",
                           "directlydecreases", "suppresses", "represses", "blocks", "-", "-1",
                           "-|", "=|")},
    **{w: (X, M) for w in ("necessary-for", "requires", "necessary", "=>")},
    **{w: (C, M) for w in ("converts-to", "conversion", ">>")},
    **{w: (U, M) for w in ("modulates", "controls-state-change-of", "unknown",
                           "controls-expression-of", "controls-transport-of",
                           "controls-phosphorylation-of", "phosphorylates", "dephosphorylates",
                           "~>", "0")},
    **{w: (P, S) for w in ("increases", "positively-regulates")},
    **{w: (N, S) for w in ("decreases", "negatively-regulates")},
    **{w: (U, S) for w in ("regulates",)},
    **{w: (P, A) for w in ("correlates-positively", "positive-correlation")},
    **{w: (N, A) for w in ("correlates-negatively", "negative-correlation")},
    **{w: (Effect.ASSOCIATED, A) for w in (
        "associated-with", "in-complex-with", "interacts-with", "binds", "form-complex",
        "association", "correlates", "--", "neighbor-of")},
}
_BARE = [
    (re.compile(r"[OPQ][0-9][A-Z0-9]{3}[0-9](?:-\d+)?|[A-NR-Z][0-9](?:[A-Z][A-Z0-9]{2}[0-9]){1,2}"),
     "uniprot"),
    (re.compile(r"ENS[A-Z]*[GPT]\d{11}"), "ensembl"),
    (re.compile(r"CHEBI:\d+", re.I), "chebi"),
    (re.compile(r"HGNC:\d+", re.I), "hgnc"),
]
_COMP = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
KINDS = {k.value: k for k in NodeKind}
_SOURCE = ("source", "source_genesymbol", "entitya", "ida", "node1", "from", "subject")
_TARGET = ("target", "target_genesymbol", "entityb", "idb", "node2", "to", "object")
_SIGN = ("interaction", "sign", "effect", "relation", "type", "consensus_direction")
_CITE = ("cite", "pmid", "references", "pubmed", "citation")


@gc_paused
def from_sif(path: str | Path, *, text: str | None = None, pathway: str | None = None,
             id_prefix: str | None = None) -> Imported:
    """A SIF file (``source relation target [target ...]``, tabs or spaces) -> Imported.

    >>> imp = from_sif("demo.sif", text="BDNF activates NTRK2\\nGSK3B inhibits CTNNB1\\n")
    >>> [(l.source, l.effect.value, l.target) for l in imp.links]
    [('BDNF', '->', 'NTRK2'), ('GSK3B', '-|', 'CTNNB1')]
    """
    text = read_text(path) if text is None else text
    imp = Imported("SIF", str(path), pathway or pathway_id(path), title=Path(str(path)).stem)
    _check_prefix(id_prefix)
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t") if "\t" in line else line.split()
        cells = [c.strip() for c in cells if c.strip()]
        if len(cells) == 1:
            imp.skip("lone nodes with no relation", f"{cells[0]} (line {lineno})")
            _node(imp, cells[0], id_prefix)
            continue
        if len(cells) < 3:
            raise MechgraphError(f"expected 'source relation target', got {raw.strip()!r}",
                                 path=str(path), line=lineno)
        word = cells[1].lower()
        if word not in SIGN_WORDS:
            imp.skip(f"relations of an unknown type {cells[1]!r}", f"line {lineno}")
            continue
        for target in cells[2:]:
            _link(imp, cells[0], target, *SIGN_WORDS[word], lineno, id_prefix)
    return imp


@gc_paused
def from_table(path: str | Path, *, text: str | None = None, pathway: str | None = None,
               id_prefix: str | None = None) -> Imported:
    """A TSV or CSV with a header: OmniPath-style (``source interaction target``, sign
    1/-1/0, or ``is_stimulation``/``is_inhibition``), SIGNOR-style (``ENTITYA``,
    ``ENTITYB``, ``EFFECT``, ``PMID``) or any table with source/target/sign columns."""
    text = read_text(path) if text is None else text
    imp = Imported("table", str(path), pathway or pathway_id(path), title=Path(str(path)).stem)
    _check_prefix(id_prefix)
    first = text.split("\n", 1)[0]
    delim = "\t" if "\t" in first else ","
    rows = csv.reader(text.splitlines(), delimiter=delim)
    header = [h.strip().lower() for h in next(rows, [])]
    col = {h: i for i, h in enumerate(header)}
    s = next((col[c] for c in _SOURCE if c in col), None)
    t = next((col[c] for c in _TARGET if c in col), None)
    if s is None or t is None:
        raise MechgraphError(f"no source and target columns in the header {first.strip()!r}; "
                             f"expected one of {', '.join(_SOURCE)} and of {', '.join(_TARGET)}",
                             path=str(path), line=1)
    sign = next((col[c] for c in _SIGN if c in col), None)
    stim, inh = col.get("is_stimulation", col.get("consensus_stimulation")), \
        col.get("is_inhibition", col.get("consensus_inhibition"))
    cite = next((col[c] for c in _CITE if c in col), None)
    if sign is None and stim is None:
        raise MechgraphError("no sign column: expected one of "
                             f"{', '.join(_SIGN)}, or is_stimulation and is_inhibition",
                             path=str(path), line=1)
    for lineno, row in enumerate(rows, 2):
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) <= max(s, t):
            imp.skip("rows too short to hold a source and a target", f"line {lineno}")
            continue
        if sign is not None and sign < len(row):
            word = row[sign].strip().lower().replace(" ", "-")
            if word not in SIGN_WORDS:
                imp.skip(f"relations of an unknown type {row[sign].strip()!r}", f"line {lineno}")
                continue
            effect, relation = SIGN_WORDS[word]
        else:
            up = stim is not None and stim < len(row) and row[stim].strip() in ("1", "True", "true")
            down = inh is not None and inh < len(row) and row[inh].strip() in ("1", "True", "true")
            if up and down:
                imp.skip("relations marked both stimulating and inhibiting", f"line {lineno}")
                continue
            effect, relation = (P if up else N if down else U), M
        cites = _cites(imp, row[cite]) if cite is not None and cite < len(row) else ()
        cell = lambda name: row[col[name]].strip() if name in col and col[name] < len(row) else ""  # noqa: E731
        ends = []
        for side, idx, letter in (("source", s, "a"), ("target", t, "b")):
            comp = cell(f"{side}_compartment")
            name = row[idx].strip() + (f"@{comp}" if comp else "")
            xrefs, label = cell(f"{side}_xrefs"), cell(f"{side}_label")
            if not xrefs and cell(f"id{letter}"):  # SIGNOR: ENTITYA names, IDA identifies
                xrefs = _signor_id(cell(f"id{letter}"), cell(f"database{letter}"))
                label = label or row[idx].strip()
                if not xrefs and name not in imp.nodes:
                    imp.skip("identifiers of no known CURIE prefix", cell(f"id{letter}"))
            ends.append(_node(imp, name, id_prefix, label, xrefs, cell(f"{side}_kind")))
        imp.links.append(Link(ends[0], ends[1], effect, lineno, relation, cites,
                              cell("note") or None))
    return imp


#: SIGNOR's DATABASEA/B -> CURIE prefix
SIGNOR_DATABASES = {"uniprot": "uniprot", "pubchem": "pubchem.compound", "chebi": "chebi",
                    "drugbank": "drugbank", "mesh": "mesh", "ensembl": "ensembl"}


def _signor_id(ident: str, database: str) -> str:
    """``P23560`` in UNIPROT -> ``uniprot:P23560`` ("" when the database has no prefix)."""
    prefix = SIGNOR_DATABASES.get(database.strip().lower())
    if prefix is None and not database:
        prefix = next((p for pattern, p in _BARE if pattern.fullmatch(ident)), None)
    if prefix is None:
        return ""
    local = ident.split(":", 1)[1] if ident.upper().startswith(prefix.upper() + ":") else ident
    return f"{prefix}:{local}"


def _cites(imp: Imported, cell: str) -> tuple[str, ...]:
    out = []
    for part in re.split(r"[;,|\s]+", cell.strip()):
        local = part.rsplit(":", 1)[-1]
        curie, _ = check_curie(part) if ":" in part else (None, None)
        if curie and curie.split(":")[0] in ("pmid", "doi", "pmc"):
            out.append(curie)
        elif local.isdigit():
            curie = imp.xref("pmid", local)
            if curie:
                out.append(curie)
        elif part:
            imp.skip("citations that are not PubMed ids", part)
    return tuple(dict.fromkeys(out))


def _link(imp: Imported, a: str, b: str, effect: Effect, relation: str, line: int,
          id_prefix: str | None, cites: tuple[str, ...] = ()) -> None:
    u, v = _node(imp, a, id_prefix), _node(imp, b, id_prefix)
    imp.links.append(Link(u, v, effect, line, relation, cites))


def _node(imp: Imported, key: str, id_prefix: str | None, label: str = "", xref_text: str = "",
          kind_text: str = "") -> str:
    if key in imp.nodes:
        return key
    name, at, comp = key.rpartition("@") if "@" in key else (key, "", "")
    if not (at and name and _COMP.fullmatch(comp)):
        name, comp = key, ""
    compartment = imp.compartment(comp) if comp else None
    if xref_text or kind_text or label:  # our own columns: take them as they are
        xrefs = tuple(c for c in (imp.xref(*x.split(":", 1), key) for x in xref_text.split()
                                  if ":" in x) if c)
        kind = KINDS.get(kind_text, NodeKind.PROTEIN)
        imp.nodes[key] = Node(key, label or name, kind, xrefs, compartment)
        return key
    xrefs = ()
    label = name
    curie, _ = check_curie(name) if ":" in name else (None, None)
    if curie is None:
        for pattern, prefix in _BARE:
            if pattern.fullmatch(name):
                curie, _ = check_curie(name if ":" in name else f"{prefix}:{name}")
                break
    if curie is None and id_prefix:
        curie = imp.xref(id_prefix, name, "node name")
    if curie:
        xrefs = (curie,)
        label = curie.split(":", 1)[1] if ":" in name else name
    kind = NodeKind.METABOLITE if curie and curie.startswith(("chebi:", "hmdb:")) else NodeKind.PROTEIN
    imp.nodes[key] = Node(key, label, kind, xrefs, compartment)
    return key


def _check_prefix(prefix: str | None) -> None:
    if prefix is not None and prefix.lower() not in PREFIXES:
        raise MechgraphError(f"unknown id prefix {prefix!r}; known: {', '.join(sorted(PREFIXES))}")


__all__ = ["from_sif", "from_table", "SIGN_WORDS", "WORD"]
