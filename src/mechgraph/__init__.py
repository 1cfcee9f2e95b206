"""mechgraph: mechanism pathway graphs.

Signed, cited YAML edge lists -> a checked model (:mod:`mechgraph.language`) -> one
``networkx.MultiDiGraph`` (:mod:`mechgraph.graph`) -> answers (:mod:`mechgraph.analysis`)
and Graphviz figures (:mod:`mechgraph.drawing`).

The verbs a user needs are here, as networkx puts its algorithms at the top::

    import mechgraph as mg
    project = mg.load("pathways")
    g = mg.build_graph(project)
    rows = mg.shared_nodes(g, mg.resolve_sources(g, ["ketamine", "psilocybin"]))

Each name is imported on first use, so ``import mechgraph`` (and ``mechgraph --help``)
stay as cheap as the package itself: no networkx, YAML or Graphviz until asked for.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

#: public name -> (module, attribute)
_API: dict[str, tuple[str, str]] = {
    # errors and model
    "MechgraphError": ("errors", "MechgraphError"),
    "Diagnostic": ("errors", "Diagnostic"),
    **{n: ("model", n) for n in (
        "Project", "Pathway", "Entity", "Edge", "Evidence", "Figure", "Experiment",
        "Effect", "Grade", "NodeKind", "PathwayKind", "Location", "Relation")},
    # language
    "load": ("language.load", "load_project"),
    "load_project": ("language.load", "load_project"),
    "load_text": ("language.load", "load_text"),
    "new_pathway": ("language.scaffold", "new_pathway"),
    # graph
    "build_graph": ("graph", "build_graph"),
    "project_of": ("graph", "project_of"),
    # analysis
    **{n: ("analysis.query", n) for n in (
        "effects", "signed_paths", "upstream", "downstream", "shared_nodes", "compare",
        "knockout", "knockout_effects", "run_experiments", "resolve", "resolve_drug",
        "resolve_sources", "signaling_graph", "net_effect", "label", "Influence", "Path",
        "SharedNode", "Comparison", "Knockout", "KnockoutRow", "ExperimentOutcome", "Source")},
    # drawing
    "to_dot": ("drawing.dot", "to_dot"),
    "pathway_figure": ("drawing.dot", "pathway_figure"),
    "render_figures": ("drawing.render", "render_figures"),
    "view": ("drawing.render", "view"),
    "write_index": ("drawing.gallery", "write_index"),
    "embed": ("drawing.theme", "embed"),
    "stale_renders": ("drawing.stale", "stale_renders"),
    # formats
    "table": ("formats.table", "table"),
    "Table": ("formats.table", "Table"),
    # formats: other tools' files in and out
    "import_file": ("formats.registry", "import_file"),
    "export": ("formats.export", "export"),
    "export_graph": ("formats.select", "export_graph"),
    "crosscheck": ("formats.crosscheck", "crosscheck"),
    **{f"from_{f}": (f"formats.{m}", f"from_{f}") for f, m in (
        ("sbgn", "sbgn"), ("gpml", "gpml"), ("bel", "bel"), ("cx2", "cx2"), ("sif", "tables"),
        ("table", "tables"), ("json", "nodelink"))},
    **{f"to_{f}": (f"formats.{m}", f"to_{f}") for f, m in (
        ("sbgn", "sbgn"), ("cx2", "cx2"), ("graphml", "graphml"), ("bel", "bel"),
        ("sif", "edgelist"), ("tsv", "edgelist"), ("csv", "edgelist"), ("json", "nodelink"))},
}

__all__ = sorted(_API) + ["__version__"]


def __getattr__(name: str) -> Any:
    try:
        module, attr = _API[name]
    except KeyError:
        raise AttributeError(f"module 'mechgraph' has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), attr)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .analysis.query import (
        Comparison,
        ExperimentOutcome,
        Influence,
        Knockout,
        KnockoutRow,
        Path,
        SharedNode,
        Source,
        compare,
        downstream,
        effects,
        knockout,
        knockout_effects,
        label,
        net_effect,
        resolve,
        resolve_drug,
        resolve_sources,
        run_experiments,
        shared_nodes,
        signaling_graph,
        signed_paths,
        upstream,
    )
    from .drawing.dot import pathway_figure, to_dot
    from .drawing.gallery import write_index
    from .drawing.stale import stale_renders
    from .drawing.theme import embed
    from .formats.table import Table, table
    from .drawing.render import render_figures, view
    from .errors import Diagnostic, MechgraphError
    from .graph import build_graph, project_of
    from .language.load import load_project, load_text
    from .language.load import load_project as load
    from .model import (
        Edge,
        Effect,
        Entity,
        Evidence,
        Experiment,
        Figure,
        Grade,
        Location,
        NodeKind,
        Pathway,
        PathwayKind,
        Project,
        Relation,
    )
