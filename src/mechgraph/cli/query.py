"""Commands that ask questions of the graph: shared, compare, effect, paths, upstream,
downstream, knockout, experiments.

Each parses its arguments, calls one function of :mod:`mechgraph.analysis.query`, and prints the
result through :mod:`mechgraph.cli.report` as a table (default), JSON or CSV.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import click

from .common import handle_errors, load, path_option, settle

if TYPE_CHECKING:
    import networkx as nx

F = TypeVar("F", bound=Callable[..., Any])


def _format_option(f: F) -> F:
    return click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "csv"]),
                        default="table", show_default=True, help="Output format.")(f)


def _by_option(f: F) -> F:
    return click.option("--by", type=click.Choice(["entity", "compartment"]), default="entity",
                        show_default=True,
                        help="Merge an entity's compartment nodes, or keep them apart.")(f)


def _stated_option(f: F) -> F:
    return click.option("--stated", is_flag=True,
                        help="Only stated answers: those of the drug's own pathways and the "
                             "drug-independent ones (no chain through another drug's "
                             "pathway).")(f)


def _graph(paths: tuple[Path, ...]) -> "nx.MultiDiGraph":
    from ..analysis.query import signaling_graph

    g = signaling_graph(load(paths))
    settle()
    return g


def _nodes(g: "nx.MultiDiGraph", names: tuple[str, ...] | list[str]) -> list[str]:
    from ..analysis.query import resolve

    out: list[str] = []
    for name in names:
        out += [n for n in resolve(g, name) if n not in out]
    return out


def _echo(doc: dict, fmt: str) -> None:
    from .tables import format_doc

    click.echo(format_doc(doc, fmt), nl=False)


@click.command()
@click.argument("sources", nargs=-1, required=True)
@_by_option
@click.option("--min", "minimum", type=click.IntRange(min=1), default=2, show_default=True,
              help="Keep nodes reached by at least this many sources.")
@click.option("--cutoff", type=click.IntRange(min=1), default=None,
              help="Longest path considered, in edges (default: no limit).")
@click.option("--render", "figure", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="FILE",
              help="Also draw the pathways behind the answer, shared nodes highlighted, "
                   "to FILE (.svg, .png, .pdf or .dot).")
@_stated_option
@_format_option
@path_option
@handle_errors
def shared(sources: tuple[str, ...], by: str, minimum: int, cutoff: int | None,
           figure: Path | None, stated: bool, fmt: str, paths: tuple[Path, ...]) -> None:
    """Nodes reached by two or more SOURCES, with each source's sign there.

    A source is a drug, a pathway id, or a glob over pathway ids ('ketamine-*': each
    matching pathway counts as one source). A drug reaches what is downstream of it; a
    pathway reaches its own nodes, signed by its drugs. Ranked by the number of sources,
    then stated rows before inferred ones (a chain through another drug's pathway), then
    by the weakest evidence among their paths. Associations are never followed; a summary
    edge explains a node only where no mechanistic path does, and is marked.
    """
    from ..analysis.query import resolve_sources, shared_nodes
    from ..errors import MechgraphError
    from .report import EXPLAINED, shared_doc

    g = _graph(paths)
    srcs = resolve_sources(g, sources)
    if len(srcs) < 2:
        raise MechgraphError(f"shared needs two or more sources; {' '.join(sources)!r} "
                             f"names {len(srcs)}")
    rows = shared_nodes(g, srcs, by=by, minimum=minimum, cutoff=cutoff,  # type: ignore[arg-type]
                        stated=stated)
    if figure is not None:
        _draw(g, srcs, rows, figure, by=by)
    # a table prints the paths of the first few sources of each node: only those explained
    _echo(shared_doc(g, srcs, rows, by=by, stated=stated,
                     explain=EXPLAINED if fmt == "table" else None), fmt)


def _draw(g: "nx.MultiDiGraph", sources: list, rows: list, out: Path, *, by: str) -> None:
    from ..drawing.dot import to_dot
    from ..drawing.render import FORMATS, to_files, write_atomic
    from ..errors import MechgraphError
    from ..graph import project_of
    from .report import shared_figure

    fmt = out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise MechgraphError(f"cannot draw {str(out)!r}: unknown format {fmt!r} "
                             f"(expected a file ending in one of: {', '.join(FORMATS)})")
    fig = shared_figure(sources, rows)
    if not fig.pathways:
        raise MechgraphError("nothing to draw: no shared node")
    if len(sources) == 2 and all(s.kind == "drug" for s in sources):
        from ..drawing.convergence import convergence_dot  # two drugs: their routes converging

        from ..drawing.dot import HIGHLIGHT_NAME

        dot_text = convergence_dot(project_of(g), fig, [s.name for s in sources], rows,
                                   highlight_name=HIGHLIGHT_NAME)
    else:
        inferred = shared_keys(g, [r for r in rows if r.provenance == "inferred"], by=by)
        dot_text = to_dot(project_of(g), fig, highlight=shared_keys(g, rows, by=by),
                          inferred=inferred)
    data = to_files(fig, dot_text, [fmt])[fmt]
    write_atomic(out, data)
    click.echo(f"drew {out}", err=True)


def shared_keys(g: "nx.MultiDiGraph", rows: list, *, by: str) -> set[str]:
    """The graph nodes a shared-node answer names: each row's nodes and, for rows grouped
    by entity, every node of that entity (in any compartment), so that the figure
    outlines all of them wherever it draws them."""
    from ..graph import ENTITY

    keys = {n for row in rows for n in row.nodes}
    if by == "entity":
        entities = {row.key for row in rows}
        keys |= {n for n, entity in g.nodes(data=ENTITY) if entity in entities}
    return keys


@click.command()
@click.argument("drug_a")
@click.argument("drug_b")
@_by_option
@click.option("--render", "figure", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="FILE",
              help="Also draw the two drugs' routes converging on what they share, to FILE "
                   "(.svg, .png, .pdf or .dot).")
@_stated_option
@_format_option
@path_option
@handle_errors
def compare(drug_a: str, drug_b: str, by: str, figure: Path | None, stated: bool, fmt: str,
            paths: tuple[Path, ...]) -> None:
    """What DRUG_A and DRUG_B both reach, and what only one of them reaches, with signs."""
    from ..analysis.query import compare as compare_drugs
    from ..analysis.query import resolve_sources
    from .report import compare_doc

    g = _graph(paths)
    comparison = compare_drugs(g, drug_a, drug_b, by=by, stated=stated)  # type: ignore[arg-type]
    if figure is not None:
        _draw(g, resolve_sources(g, [drug_a, drug_b]), list(comparison.shared), figure, by=by)
    _echo(compare_doc(g, comparison, by=by, stated=stated), fmt)


@click.command()
@click.argument("drug")
@click.argument("nodes", nargs=-1)
@click.option("--knockout", "-k", "knocked", multiple=True, metavar="NODE",
              help="Remove NODE first (repeatable).")
@_stated_option
@_format_option
@path_option
@handle_errors
def effect(drug: str, nodes: tuple[str, ...], knocked: tuple[str, ...], stated: bool, fmt: str,
           paths: tuple[Path, ...]) -> None:
    """DRUG's net effect on each NODE (default: every node it reaches), with the paths
    that explain it: increases, decreases, discordant (paths of both signs) or unknown.
    Each answer says whether mechanistic steps explain it or only a chain with a summary
    edge (an observed effect), and whether it is stated for DRUG or inferred."""
    from ..analysis.query import effects, knockout, resolve_drug
    from .report import effects_doc

    g = _graph(paths)
    drug_id = resolve_drug(g, drug)
    wanted = _nodes(g, nodes) if nodes else None
    removed = _nodes(g, knocked)
    view = knockout(g, removed) if removed else g
    result = effects(view, drug_id, nodes=wanted, stated=stated)
    missing = [n for n in wanted or () if n not in result]
    _echo(effects_doc(g, drug_id, result, knockout=removed, missing=missing, stated=stated),
          fmt)


@click.command()
@click.argument("source")
@click.argument("target")
@click.option("--cutoff", type=click.IntRange(min=1), default=12, show_default=True,
              help="Longest path, in edges.")
@click.option("--sign", type=click.Choice(["+", "-", "?"]), default=None,
              help="Keep paths of this sign only ('?': through an unknown influence).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="Most paths shown.")
@_stated_option
@_format_option
@path_option
@handle_errors
def paths(source: str, target: str, cutoff: int, sign: str | None, limit: int, stated: bool,
          fmt: str, paths: tuple[Path, ...]) -> None:
    """Simple paths from SOURCE to TARGET, each with its sign and weakest evidence:
    mechanistic steps before chains with a summary edge, stated before inferred (from a
    drug), strongest evidence, then shortest. Associations are never followed. An entity
    name stands for all its compartment nodes."""
    from ..analysis.query import signed_paths
    from .report import SIGN_VALUE, paths_doc

    g = _graph(paths)
    sources, targets = _nodes(g, [source]), _nodes(g, [target])
    s = None if sign is None else SIGN_VALUE[sign]
    found = signed_paths(g, sources, targets, cutoff=cutoff, sign=s, limit=limit, stated=stated)
    _echo(paths_doc(g, sources, targets, found, cutoff=cutoff, sign=s, stated=stated), fmt)


def _neighbours(direction: str) -> click.Command:
    verb = "acts on" if direction == "downstream" else "acts on it"

    @click.command(direction, help=(
        f"What NODE {verb} within --depth edges, with the sign of the influence."
        if direction == "downstream" else
        "What acts on NODE within --depth edges, with the sign of its influence."))
    @click.argument("node")
    @click.option("--depth", type=click.IntRange(min=1), default=None,
                  help="Most edges away (default: no limit).")
    @_format_option
    @path_option
    @handle_errors
    def command(node: str, depth: int | None, fmt: str, paths: tuple[Path, ...]) -> None:
        from ..analysis import query
        from .report import neighbours_doc

        g = _graph(paths)
        nodes = _nodes(g, [node])
        result = getattr(query, direction)(g, nodes, depth=depth)
        _echo(neighbours_doc(g, direction, nodes, result, depth=depth), fmt)

    return command


@click.command("knockout")
@click.argument("nodes", nargs=-1, required=True)
@click.option("--drug", "-d", required=True, help="The drug whose effects are recomputed.")
@_stated_option
@_format_option
@path_option
@handle_errors
def knockout_(nodes: tuple[str, ...], drug: str, stated: bool, fmt: str,
              paths: tuple[Path, ...]) -> None:
    """What DRUG does once NODES are held off (clamped), node by node.

    lost: the drug no longer reaches the node, and holding NODES off does not move it
    the drug's way; mimicked: holding NODES off by itself moves it the way the drug does
    (the drug's route through NODES is gone, and so is the need); reversed: the drug now
    moves it the other way; changed: another change; kept: the drug still moves it the
    same way. A node with necessary inputs (=>) declared by a pathway of DRUG is reached
    only while all of them are. A summary edge whose explaining chain (via:) the
    knockout cuts is left out too.
    """
    from ..analysis.query import knockout_effects
    from .report import knockout_doc

    g = _graph(paths)
    _echo(knockout_doc(g, knockout_effects(g, drug, _nodes(g, nodes), stated=stated),
                       stated=stated), fmt)


@click.command()
@click.option("--check", is_flag=True, help="Exit 1 if an experiment fails.")
@_format_option
@path_option
@handle_errors
def experiments(check: bool, fmt: str, paths: tuple[Path, ...]) -> None:
    """Replay every reported experiment (a knockout and its outcome) on the graph.

    Status: reproduced; contested (the seeds disagree, and the graph sides with the
    experiment this one conflicts with); failed. Each is replayed again without the
    edges whose only support is the experiment's own seed place: reproduced
    (independent), reproduced only by its own edges, or not reproduced.
    """
    from ..analysis.query import run_experiments
    from .report import experiments_doc

    g = _graph(paths)
    outcomes = run_experiments(g)
    _echo(experiments_doc(g, outcomes), fmt)
    if check and any(o.status == "failed" for o in outcomes):
        sys.exit(1)


COMMANDS: list[click.Command] = [shared, compare, effect, paths, _neighbours("upstream"),
                                 _neighbours("downstream"), knockout_, experiments]
