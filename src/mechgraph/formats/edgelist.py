"""Signed edge lists out: SIF (``to_sif``), TSV and CSV with every attribute
(``to_table``). :mod:`mechgraph.formats.tables` reads both back.

Rows are sorted (source, target, pathway), so the same graph gives the same bytes.
In CSV and TSV a cell that a spreadsheet would run as a formula is made inert.
"""

from __future__ import annotations

import csv
import io

import networkx as nx

from .. import graph as G
from ..model import Effect
from .cells import inert
from .tables import WORD

#: the columns of to_table, in order
COLUMNS = ("source", "interaction", "target", "effect", "sign", "relation", "pathway", "grade",
           "cite", "seed", "note", "via", "location", "source_label", "source_kind",
           "source_xrefs", "source_compartment", "target_label", "target_kind", "target_xrefs",
           "target_compartment")


def interaction(data: dict) -> str:
    """The word for an edge's effect and relation kind (``activates``, ``decreases`` ...)."""
    return WORD[(Effect(data[G.EFFECT]), data[G.RELATION])]


def _edges(g: nx.MultiDiGraph) -> list[tuple[str, str, str, dict]]:
    return sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))


def to_sif(g: nx.MultiDiGraph) -> str:
    """Tab-separated ``source interaction target``; a node is its key (``NMDAR@interneuron``).

    The same pair in two pathways with the same meaning is written once.
    """
    lines = dict.fromkeys(f"{u}\t{interaction(d)}\t{v}" for u, v, _, d in _edges(g))
    return "".join(f"{line}\n" for line in lines)


def to_table(g: nx.MultiDiGraph, *, sep: str = "\t") -> str:
    """One row per edge and pathway, every attribute (see COLUMNS); ``sep``: tab or comma."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\n")
    w.writerow(COLUMNS)
    nodes = g.nodes
    for u, v, _, d in _edges(g):
        su, sv = nodes[u], nodes[v]
        row = [su[G.ENTITY], interaction(d), sv[G.ENTITY], d[G.EFFECT], d[G.SIGN], d[G.RELATION],
               d[G.PATHWAY], d[G.GRADE], d[G.CITE], d[G.SEED], d[G.NOTE], d[G.VIA],
               d[G.LOCATION], su[G.LABEL], su[G.KIND], su[G.XREFS], su[G.COMPARTMENT],
               sv[G.LABEL], sv[G.KIND], sv[G.XREFS], sv[G.COMPARTMENT]]
        w.writerow([inert(c) for c in row])
    return buf.getvalue()


def to_tsv(g: nx.MultiDiGraph) -> str:
    return to_table(g, sep="\t")


def to_csv(g: nx.MultiDiGraph) -> str:
    return to_table(g, sep=",")


__all__ = ["to_sif", "to_table", "to_tsv", "to_csv", "COLUMNS", "interaction"]
