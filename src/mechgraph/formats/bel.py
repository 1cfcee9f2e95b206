"""BEL 2 scripts: ``from_bel`` reads one with a small parser of our own (no PyBEL:
its installation pulls in about 45 packages and 290 MB; see the interop note).

Statements ``subject relation object`` become edges: ``directlyIncreases`` /
``directlyDecreases`` a mechanism step, ``increases`` / ``decreases`` / ``regulates`` a
summary (an effect not said to be direct), the correlations and ``association`` an
association. ``SET Citation`` and ``SET Evidence`` give each edge its citation and
note. Terms become entities: ``p(HGNC:AKT1)`` is AKT1 with ``hgnc.symbol:AKT1``;
an activity ``act(p(X))`` is X itself. Relations with no signed meaning (``isA``,
``hasComponent`` ...), nested statements and translocations are counted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import MechgraphError
from ..model import Effect, NodeKind
from .imported import Imported, Link, Node
from .source import pathway_id, read_text

if TYPE_CHECKING:
    import networkx as nx

P, N, U = Effect.POSITIVE, Effect.NEGATIVE, Effect.UNKNOWN
#: BEL relation -> (effect, relation kind)
RELATIONS: dict[str, tuple[Effect, str]] = {
    "directlyIncreases": (P, "mechanism"), "=>": (P, "mechanism"),
    "directlyDecreases": (N, "mechanism"), "=|": (N, "mechanism"),
    "increases": (P, "summary"), "->": (P, "summary"),
    "decreases": (N, "summary"), "-|": (N, "summary"),
    "regulates": (U, "summary"), "reg": (U, "summary"),
    "positiveCorrelation": (P, "association"), "pos": (P, "association"),
    "negativeCorrelation": (N, "association"), "neg": (N, "association"),
    "association": (Effect.ASSOCIATED, "association"), "--": (Effect.ASSOCIATED, "association"),
    "correlation": (Effect.ASSOCIATED, "association"), "cor": (Effect.ASSOCIATED, "association"),
}
FUNCTIONS = {
    "p": NodeKind.PROTEIN, "proteinAbundance": NodeKind.PROTEIN,
    "g": NodeKind.PROTEIN, "geneAbundance": NodeKind.PROTEIN,
    "r": NodeKind.PROTEIN, "rnaAbundance": NodeKind.PROTEIN,
    "m": NodeKind.PROTEIN, "microRNAAbundance": NodeKind.PROTEIN,
    "a": NodeKind.METABOLITE, "abundance": NodeKind.METABOLITE,
    "bp": NodeKind.PROCESS, "biologicalProcess": NodeKind.PROCESS,
    "path": NodeKind.OUTCOME, "pathology": NodeKind.OUTCOME,
    "complex": NodeKind.COMPLEX, "complexAbundance": NodeKind.COMPLEX,
}
ACTIVITIES = {"act", "activity"}
KINASE = {"kin", "kinaseActivity", "GO:0016301"}
#: BEL namespace -> CURIE prefix, when the value is an identifier of that prefix
NAMESPACES = {"HGNC": "hgnc.symbol", "HGNCID": "hgnc", "CHEBIID": "chebi", "CHEBI": "chebi",
              "GO": "go", "GOBP": "go", "UNIPROT": "uniprot", "UP": "uniprot",
              "ENTREZ": "ncbigene", "EGID": "ncbigene", "NCBIGENE": "ncbigene",
              "MESH": "mesh", "PUBCHEM": "pubchem.compound", "ENSEMBL": "ensembl",
              "DRUGBANK": "drugbank", "HMDB": "hmdb"}
OWN_NAMESPACE = "MECHGRAPH"  # our entities that have no cross-reference, by label
_REL = re.compile(r"\s+(" + "|".join(re.escape(r) for r in sorted(RELATIONS, key=len, reverse=True))
                  + r"|[A-Za-z]+|:>|>>)\s+")
_TOKEN = re.compile(r'\s*(?:(?P<q>"(?:[^"\\]|\\.)*")|(?P<w>[A-Za-z0-9_.:\-+*/\']+)|(?P<p>[(),]))')


class _Term:
    def __init__(self, fn: str | None, args: list["_Term | str"]) -> None:
        self.fn, self.args = fn, args

    def text(self) -> str:
        if self.fn is None:
            return str(self.args[0])
        return f"{self.fn}({', '.join(a.text() if isinstance(a, _Term) else a for a in self.args)})"


def _parse_term(text: str) -> _Term:
    tokens = [(m.lastgroup, m.group(m.lastgroup)) for m in _TOKEN.finditer(text) if m.lastgroup]
    if "".join(v for _, v in tokens).replace(" ", "") != re.sub(r"\s+", "", text) and \
            not any(k == "q" for k, _ in tokens):
        raise ValueError(f"cannot read the term {text!r}")
    pos = 0

    def term() -> _Term | str:
        nonlocal pos
        kind, value = tokens[pos]
        pos += 1
        if kind == "w" and pos < len(tokens) and tokens[pos][1] == "(":
            pos += 1
            args: list[_Term | str] = []
            while pos < len(tokens) and tokens[pos][1] != ")":
                args.append(term())
                if pos < len(tokens) and tokens[pos][1] == ",":
                    pos += 1
            if pos >= len(tokens):
                raise ValueError(f"unbalanced parentheses in {text!r}")
            pos += 1
            return _Term(value, args)
        if kind == "w" and value.endswith(":") and pos < len(tokens) and tokens[pos][0] == "q":
            value += tokens[pos][1]
            pos += 1
        return value

    t = term()
    if pos != len(tokens):
        raise ValueError(f"unexpected text after the term in {text!r}")
    return t if isinstance(t, _Term) else _Term(None, [t])


def from_bel(path: str | Path, *, text: str | None = None, pathway: str | None = None) -> Imported:
    """A BEL script -> Imported.

    >>> imp = from_bel("t.bel", text='SET Citation = {"PubMed", "123"}\\np(HGNC:A) => p(HGNC:B)\\n')
    >>> [(l.source, l.effect.value, l.target, l.cites) for l in imp.links]
    [('p(HGNC:A)', '->', 'p(HGNC:B)', ('pmid:123',))]
    """
    text = read_text(path) if text is None else text
    imp = Imported("BEL", str(path), pathway or pathway_id(path), title=Path(str(path)).stem)
    cites: tuple[str, ...] = ()
    evidence: str | None = None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        start = i
        line = lines[i]
        while line.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line.rstrip()[:-1] + "\n" + lines[i]
        i += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        word = stripped.split(None, 1)[0]
        if word == "SET":
            key, _, value = stripped[3:].partition("=")
            key, value = key.strip(), value.strip()
            if key == "DOCUMENT" or key.startswith("DOCUMENT "):
                if key.split()[-1] == "Name":
                    imp.title = value.strip('"')
            elif key == "Citation":
                cites = _citation(imp, value, start + 1)
                evidence = None
            elif key in ("Evidence", "SupportingText"):
                evidence = " ".join(value.strip('"').split()) or None
            continue
        if word == "UNSET":
            what = stripped[5:].strip()
            if what in ("Citation", "STATEMENT_GROUP", "ALL"):
                cites = () if what != "STATEMENT_GROUP" else cites
            if what in ("Evidence", "SupportingText", "ALL"):
                evidence = None
            continue
        if word == "DEFINE":
            continue
        _statement(imp, stripped, start + 1, cites, evidence)
    return imp


def _citation(imp: Imported, value: str, line: int) -> tuple[str, ...]:
    parts = [p.strip().strip('"') for p in value.strip("{} ").split(",")]
    if len(parts) >= 2 and parts[0].lower() in ("pubmed", "pmid"):
        pmid = parts[2] if len(parts) >= 3 and parts[2].isdigit() else parts[1]
        curie = imp.xref("pmid", pmid, f"line {line}")
        return (curie,) if curie else ()
    if len(parts) >= 2 and parts[0].lower() == "doi":
        curie = imp.xref("doi", parts[-1], f"line {line}")
        return (curie,) if curie else ()
    imp.skip("citations that are not PubMed or DOI", f"line {line}")
    return ()


def _statement(imp: Imported, text: str, line: int, cites: tuple[str, ...],
               evidence: str | None) -> None:
    where = f"line {line}"
    m = None
    depth = 0
    for j, ch in enumerate(text):  # the relation is the first word outside parentheses
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and ch.isspace():
            m = _REL.match(text, j)
            if m:
                break
    if m is None:
        imp.skip("terms with no relation (bare terms)", where)
        return
    relation = m.group(1)
    subject, obj = text[:m.start()].strip(), text[m.end():].strip()
    if obj.startswith("("):
        imp.skip("nested statements", where)
        return
    if relation not in RELATIONS:
        imp.skip(f"{relation!r} relations", where)
        return
    effect, kind = RELATIONS[relation]
    note = evidence
    try:
        u, v = _node(imp, subject, where), _node(imp, obj, where)
    except ValueError as e:
        raise MechgraphError(str(e), path=imp.path, line=line) from None
    if u and v:
        imp.links.append(Link(u, v, effect, line, kind, cites, note))


def _node(imp: Imported, text: str, where: str) -> str | None:
    term = _parse_term(text)
    key = term.text()
    if key in imp.nodes:
        return key
    fn = term.fn or ""
    inner = term
    kind = FUNCTIONS.get(fn)
    if fn in ACTIVITIES and term.args and isinstance(term.args[0], _Term):
        inner = term.args[0]
        kind = FUNCTIONS.get(inner.fn or "", NodeKind.PROTEIN)
        if any(isinstance(a, _Term) and a.args and str(a.args[0]) in KINASE for a in term.args[1:]):
            kind = NodeKind.KINASE
        key = inner.text()
        if key in imp.nodes:
            return key
    elif kind is None:
        imp.skip(f"'{fn or text}' terms", where)
        return None
    names = [a for a in inner.args if isinstance(a, str)]
    locs = [a for a in inner.args if isinstance(a, _Term) and a.fn in ("loc", "location")]
    compartment = imp.compartment(_label(locs[0])) if locs else None
    variants = [a.text() for a in inner.args if isinstance(a, _Term) and a not in locs
                and inner.fn not in ("complex", "complexAbundance")]
    if (inner.fn or "") in ("complex", "complexAbundance") and not names:
        parts = [_label(a) for a in inner.args if isinstance(a, _Term) and a not in locs]
        imp.nodes[key] = Node(key, ":".join(parts) or key, NodeKind.COMPLEX, (), compartment)
        return key
    if not names:
        imp.skip("terms without a name", where)
        return None
    label = _label(inner) + (f" {' '.join(variants)}" if variants else "")
    xrefs: tuple[str, ...] = ()
    ns, _, value = names[0].partition(":")
    value = value.strip('"')
    prefix = _prefix(ns, value)
    if ns.upper() == OWN_NAMESPACE:
        pass
    elif prefix and not variants:
        curie = imp.xref(prefix, value, where) if _fits(prefix, value) else None
        if curie is None:
            imp.skip(f"{ns} names that are not identifiers (kept as labels)", value)
        xrefs = (curie,) if curie else ()
    elif variants:
        imp.skip("variants and modifications (kept in the label, no cross-reference)", label)
    if ns.upper() == OWN_NAMESPACE:
        label = value
    imp.nodes[key] = Node(key, label, kind or NodeKind.PROTEIN, xrefs, compartment)
    return key


def _prefix(ns: str, value: str) -> str | None:
    """The CURIE prefix of a BEL namespace: HGNC holds symbols, or ids when all digits."""
    from ..language.curie import PREFIXES

    upper = ns.upper()
    if upper in ("HGNC", "CHEBI", "GO") and value.isdigit():
        return {"HGNC": "hgnc", "CHEBI": "chebi", "GO": "go"}[upper]
    if upper in NAMESPACES:
        return NAMESPACES[upper]
    generic = ns.lower().replace("_", ".")
    return generic if generic in PREFIXES else None


def _fits(prefix: str, value: str) -> bool:
    from ..language.curie import check_curie

    return check_curie(f"{prefix}:{value}")[0] is not None


def _label(term: _Term) -> str:
    names = [a for a in term.args if isinstance(a, str)]
    if not names:
        return term.text()
    return names[0].partition(":")[2].strip('"') or names[0].strip('"')


# -- export --------------------------------------------------------------------------

#: (relation kind, effect) -> BEL relation
BEL_RELATION = {
    ("mechanism", "->"): "directlyIncreases", ("mechanism", "-|"): "directlyDecreases",
    ("mechanism", "=>"): "directlyIncreases", ("mechanism", ">>"): "directlyIncreases",
    ("mechanism", "~>"): "regulates",
    ("summary", "->"): "increases", ("summary", "-|"): "decreases",
    ("summary", "=>"): "increases", ("summary", ">>"): "increases", ("summary", "~>"): "regulates",
    ("association", "->"): "positiveCorrelation", ("association", "-|"): "negativeCorrelation",
    ("association", "~>"): "association", ("association", "--"): "association",
}
#: node kind -> BEL function, and the CURIE prefixes its term prefers, best first
KIND_FUNCTION = {
    **{k: "p" for k in ("protein", "kinase", "receptor", "channel")},
    **{k: "a" for k in ("metabolite", "drug", "transmitter", "ion")},
    "complex": "complex", "outcome": "path",
}
PREFERRED = {"p": ("hgnc.symbol", "hgnc", "uniprot", "ncbigene", "ensembl"),
             "a": ("chebi", "pubchem.compound", "drugbank", "hmdb", "mesh"),
             "bp": ("go", "mesh"), "path": ("mesh",), "complex": ("go",)}


def to_bel(g: "nx.MultiDiGraph", *, warnings: list[str] | None = None) -> str:
    """A BEL 2 script: one statement per edge and citation, the relation by relation kind
    and sign (a mechanism step is direct), evidence in our own words. Every namespace is
    declared as a pattern, so readers need no downloads."""
    from .. import graph as G

    terms = {n: _term(g.nodes[n]) for n in g}
    unplaced = sorted(n for n in g if g.nodes[n][G.COMPARTMENT] and "loc(" not in terms[n])
    if unplaced and warnings is not None:
        warnings.append(f"{len(unplaced)} processes and outcomes lose their compartment (BEL "
                        f"places only abundances): {', '.join(unplaced[:5])}")
    used = sorted({t.split("(", 1)[1].split(":", 1)[0] for t in terms.values()}
                  | ({OWN_NAMESPACE} if any("loc(" in t for t in terms.values()) else set()))
    out = ['SET DOCUMENT Name = "mechgraph export"', 'SET DOCUMENT Version = "1.0.0"',
           f'SET DOCUMENT Description = "{_q("Pathways " + g.graph.get(G.GRAPH_PATHWAYS, ""))}"',
           'SET DOCUMENT Authors = "mechgraph"', 'SET DOCUMENT ContactInfo = "mechgraph"', ""]
    out += [f'DEFINE NAMESPACE {ns} AS PATTERN ".*"' for ns in used]
    out.append("")
    by_citation: dict[tuple[str, str], list[str]] = {}
    for u, v, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], e[2][G.PATHWAY])):
        rel = BEL_RELATION.get((d[G.RELATION], d[G.EFFECT]))
        if rel is None:
            if warnings is not None:
                warnings.append(f"{u} {d[G.EFFECT]} {v}: no BEL relation for a "
                                f"{d[G.RELATION]} with this effect; left out")
            continue
        text = d[G.NOTE] or (f"Stated as a {d[G.RELATION]} in the mechgraph pathway "
                             f"{d[G.PATHWAY]} ({d[G.LOCATION] or 'no location'}).")
        cites = [c for c in d[G.CITE].split() if c.split(":")[0] in ("pmid", "doi", "pmc")]
        for cite in cites or [f"url:{d[G.PATHWAY]}"]:
            by_citation.setdefault((cite, text), []).append(f"{terms[u]} {rel} {terms[v]}")
    for (cite, text), statements in by_citation.items():
        kind, _, ident = cite.partition(":")
        db = {"pmid": "PubMed", "doi": "DOI", "pmc": "PMC"}.get(kind)
        out.append(f'SET Citation = {{"{db}", "{_q(ident)}"}}' if db else
                   f'SET Citation = {{"Other", "mechgraph pathway {_q(ident)}"}}')
        out.append(f'SET SupportingText = "{_q(text)}"')
        out += list(dict.fromkeys(statements))
        out.append("")
    return "\n".join(out)


def _term(node: dict) -> str:
    from .. import graph as G

    fn = KIND_FUNCTION.get(node[G.KIND], "bp")
    xrefs = node[G.XREFS].split()
    chosen = next((x for p in PREFERRED.get(fn, ()) for x in xrefs if x.startswith(p + ":")),
                  xrefs[0] if xrefs else None)
    if chosen:
        prefix, value = chosen.split(":", 1)
        ns = "HGNC" if prefix == "hgnc.symbol" else prefix.upper().replace(".", "_")
    else:
        ns, value = OWN_NAMESPACE, node[G.LABEL]
    inner = f'{ns}:"{_q(value)}"'
    if node[G.COMPARTMENT] and fn in ("p", "a", "complex"):  # BEL places abundances only
        loc = node[G.COMPARTMENT_LABEL] or node[G.COMPARTMENT]
        inner += f', loc({OWN_NAMESPACE}:"{_q(loc)}")'
    return f"{fn}({inner})"


def _q(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"')


__all__ = ["from_bel", "to_bel", "RELATIONS", "NAMESPACES", "BEL_RELATION"]
