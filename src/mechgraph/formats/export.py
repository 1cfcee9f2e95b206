"""Every export format by name: ``export(g, fmt)`` -> (text, warnings).

Each format lives in its own module with its ``to_<fmt>`` function; this table is
what the ``mechgraph export`` command and :func:`mechgraph.export` look formats up in.
"""

from __future__ import annotations

from importlib import import_module

import networkx as nx

from ..errors import MechgraphError

#: format -> (module, function, takes a warnings list, file suffix)
EXPORTERS = {
    "sbgn": ("sbgn", "to_sbgn", True, ".sbgn"),
    "cx2": ("cx2", "to_cx2", False, ".cx2"),
    "graphml": ("graphml", "to_graphml", False, ".graphml"),
    "bel": ("bel", "to_bel", True, ".bel"),
    "sif": ("edgelist", "to_sif", False, ".sif"),
    "tsv": ("edgelist", "to_tsv", False, ".tsv"),
    "csv": ("edgelist", "to_csv", False, ".csv"),
    "json": ("nodelink", "to_json", False, ".json"),
}


def export(g: nx.MultiDiGraph, fmt: str) -> tuple[str, list[str]]:
    """The graph as ``fmt`` text, and what the format could not hold (warnings)."""
    if fmt not in EXPORTERS:
        raise MechgraphError(f"unknown export format {fmt!r}; known: {', '.join(EXPORTERS)}")
    module, name, warns, _ = EXPORTERS[fmt]
    fn = getattr(import_module(f".{module}", __package__), name)
    warnings: list[str] = []
    text = fn(g, warnings=warnings) if warns else fn(g)
    return text, warnings


__all__ = ["export", "EXPORTERS"]
