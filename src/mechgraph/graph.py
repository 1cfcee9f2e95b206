"""Model -> one ``networkx.MultiDiGraph`` for any set of pathways.

Node key: the entity id, plus ``@compartment`` when the pathway places it in one
(``NMDAR@interneuron``); workflow steps are keyed ``pathway:step`` so that two
workflows never share a step by accident. Edge key: the pathway id, so one
pathway contributes at most one edge between two nodes and several pathways may
draw the same edge side by side.

Every node, edge and graph attribute is a plain value (str, int, float or bool), so
that networkx's own writers (GraphML, GEXF, node-link JSON, Cytoscape JSON) take the
graph as it is. A list is one string: ids, CURIEs, grades and seed places joined by
spaces (they hold none); node keys (``via``) and drug entries (``drugs``), which may
hold spaces, joined by ``|`` (:func:`split_keys`). An absent value is ``""``. The
project a graph was built from is reached through :func:`project_of`, never through
an attribute.

Attribute names are the constants below; queries and the renderer use them, never
string literals.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .gcpause import gc_paused
from .model import Edge, Effect, Grade, NodeKind, NodeRef, Pathway, PathwayKind, Project, Relation

if TYPE_CHECKING:  # networkx is imported where a graph is built: a figure needs none
    import networkx as nx

# node attributes
ENTITY = "entity"  # entity id (or "pathway:step" for a workflow step)
COMPARTMENT = "compartment"  # compartment id, or ""
COMPARTMENT_LABEL = "compartment_label"  # or ""
LABEL = "label"
KIND = "kind"  # NodeKind value: "receptor", "measurement", ...
XREFS = "xrefs"  # space-separated CURIEs
PATHWAYS = "pathways"  # space-separated sorted ids of the pathways that use the node
TIME = "time"  # time point of a workflow step, or ""

# edge attributes (the edge key is the pathway id too)
EFFECT = "effect"  # the arrow: "->", "-|", "=>", "~>", ">>", "--"
SIGN = "sign"  # +1, -1, 0
RELATION = "relation"  # "mechanism", "summary" or "association"
PATHWAY = "pathway"
GRADE = "grade"  # strongest grade of the edge's statements, or ""
CITE = "cite"  # space-separated CURIEs
SEED = "seed"  # space-separated seed places ("cureus:64")
NOTE = "note"  # the statements' notes, joined by " / "
VIA = "via"  # a summary's explaining nodes ("|"-separated keys) or a pathway id
BRANCH = "branch"  # branch label in a workflow, or ""
LOCATION = "location"  # "file:line" of the first statement of the edge

# graph attributes
NAME = "name"
GRAPH_PATHWAYS = "pathways"  # space-separated ids of the pathways built
DRUGS = "drugs"  # "drug=pathway,pathway|drug=pathway": the pathways that declare each drug
DRUG_INDEPENDENT = "drug_independent"  # space-separated ids of drug-independent pathways

#: separator of lists whose items may hold spaces (node keys, drug entries)
KEY_SEP = "|"

_PROJECTS: "weakref.WeakKeyDictionary[nx.Graph, Project]" = weakref.WeakKeyDictionary()


def project_of(g: nx.Graph) -> Project | None:
    """The project ``g`` was built from: works on views of it (a knockout, a subgraph,
    a frozen graph) too; None for a graph made another way."""
    while g is not None:
        project = _PROJECTS.get(g)
        if project is not None:
            return project
        g = getattr(g, "_graph", None)  # a view's underlying graph
    return None


def split(value: str) -> tuple[str, ...]:
    """A space-separated attribute (pathways, xrefs, cite, seed) as a tuple."""
    return tuple(value.split()) if value else ()


def split_keys(value: str) -> tuple[str, ...]:
    """A ``|``-separated attribute (via nodes, drug entries) as a tuple."""
    return tuple(value.split(KEY_SEP)) if value else ()


def drug_index(g: nx.Graph) -> dict[str, tuple[str, ...]]:
    """drug entity id -> sorted ids of the pathways that declare it (``g.graph[DRUGS]``)."""
    out: dict[str, tuple[str, ...]] = {}
    for entry in split_keys(g.graph.get(DRUGS, "")):
        drug, _, pids = entry.rpartition("=")
        out[drug] = tuple(pids.split(","))
    return out


def drug_independent(g: nx.Graph) -> frozenset[str]:
    """Ids of the drug-independent pathways of ``g``."""
    return frozenset(split(g.graph.get(DRUG_INDEPENDENT, "")))


def via_nodes(value: str, g: nx.Graph) -> tuple[str, ...]:
    """A summary's ``via`` as node keys of ``g`` (a pathway id: that pathway's nodes)."""
    if not value:
        return ()
    if KEY_SEP not in value and value not in g and value in split(g.graph.get(GRAPH_PATHWAYS, "")):
        return tuple(sorted(n for n, pids in g.nodes(data=PATHWAYS) if value in split(pids or "")))
    return split_keys(value)


def node_key(pathway: Pathway, ref: NodeRef) -> str:
    """The graph key of a node reference as written in ``pathway``."""
    if ref.entity in pathway.steps:
        return f"{pathway.id}:{ref.entity}"
    return ref.key


@gc_paused
def build_graph(project: Project, pathways: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """One MultiDiGraph of the given pathways (default: all), nodes shared by identity.

    >>> from mechgraph.language.load import load_text
    >>> p = load_text("pathway: p\\ntitle: t\\nedges: [a -> b -| c]\\n"
    ...               "entities: {a: drug, b: protein, c: outcome}\\n", path="p.yaml")
    >>> g = build_graph(p)
    >>> sorted(g.edges(keys=True, data=SIGN))
    [('a', 'b', 'p', 1), ('b', 'c', 'p', -1)]
    """
    import networkx as nx

    g = nx.MultiDiGraph()
    _PROJECTS[g] = project
    return _fill(g, project, pathways)


@gc_paused
def figure_graph(project: Project, pathways: Iterable[str]) -> "FigureGraph":
    """The graph :func:`build_graph` makes, as a :class:`FigureGraph`: what a figure's DOT
    is written from, without importing networkx (which would cost a one-figure command
    more time than the figure itself). Its nodes and graph attributes are build_graph's;
    of an edge it holds what the drawing reads (EFFECT, RELATION, BRANCH), and the
    model edge itself in ``edge_of``."""
    return _fill(FigureGraph(), project, pathways)


def _fill(g: Any, project: Project, pathways: Iterable[str] | None) -> Any:
    ids = sorted(project.pathways) if pathways is None else sorted(set(pathways))
    drugs: dict[str, set[str]] = {}
    node_pathways: dict[str, set[str]] = {}
    # the adjacency dicts are filled directly, in the order add_node/add_edge would
    # fill them (the same graph, with none of their per-call checks and cache clearing)
    succ, pred, nodes = g._succ, g._pred, g._node
    # a FigureGraph keeps of each edge the attributes the drawing reads (effect, relation,
    # branch) and its statement, by (pathway, u, v): the drawing reads its evidence there
    # (the last edge of a pathway between u and v)
    edge_of = g.edge_of if type(g) is FigureGraph else None
    templates: dict[tuple, tuple[Edge, dict]] = {}  # see _edge_data
    for pid in ids:
        pathway = project.pathways[pid]
        for drug in pathway.drugs:
            drugs.setdefault(drug, set()).add(pid)
        steps = pathway.steps
        here: set[str] = set()  # this pathway's nodes
        for edge in pathway.edges:
            s, t = edge.source, edge.target
            u, v = s.entity, t.entity  # node_key, without a call in the common case
            if u in steps:
                u = f"{pid}:{u}"
            elif s.compartment is not None:
                u = s.key
            if v in steps:
                v = f"{pid}:{v}"
            elif t.compartment is not None:
                v = t.key
            if u not in nodes:
                _add_node(nodes, succ, pred, project, pathway, s, u)
            if v not in nodes:
                _add_node(nodes, succ, pred, project, pathway, t, v)
            here.add(u)
            here.add(v)
            if edge_of is not None:  # a figure: the attributes it draws, and the edge
                edge_of[pid, u, v] = edge
                data = {EFFECT: _TEXT[id(edge.effect)], RELATION: _TEXT[id(edge.relation)],
                        BRANCH: edge.label or ""}
            elif (hit := templates.get((id(edge.evidence), id(edge.effect), id(edge.relation),
                                        edge.via, edge.label, pid))) is not None:
                data = hit[1].copy()  # _edge_data, inlined for the common case
                loc = edge.location
                data[LOCATION] = f"{loc.path}:{loc.line}" if loc else ""  # str(Location)
            else:
                data = _edge_data(pid, edge, templates)
            keydict = succ[u].get(v)
            if keydict is None:
                succ[u][v] = pred[v][u] = {pid: data}
            elif pid in keydict:
                keydict[pid].update(data)
            else:
                keydict[pid] = data
        for key in here:
            found = node_pathways.get(key)
            if found is None:
                node_pathways[key] = {pid}
            else:
                found.add(pid)
    for key, pids in node_pathways.items():
        nodes[key][PATHWAYS] = " ".join(sorted(pids)) if len(pids) > 1 else next(iter(pids))
    g.graph[NAME] = "mechgraph"
    g.graph[GRAPH_PATHWAYS] = " ".join(ids)
    g.graph[DRUGS] = KEY_SEP.join(f"{d}={','.join(sorted(p))}" for d, p in sorted(drugs.items()))
    g.graph[DRUG_INDEPENDENT] = " ".join(pid for pid in ids
                                         if project.pathways[pid].drug_independent)
    return g


def _add_node(nodes: dict, succ: dict, pred: dict, project: Project, pathway: Pathway,
              ref: NodeRef, key: str) -> None:
    succ[key] = {}
    pred[key] = {}
    step = pathway.steps.get(ref.entity)
    if step is not None:
        nodes[key] = {ENTITY: key, COMPARTMENT: "", COMPARTMENT_LABEL: "",
                      LABEL: step.label, KIND: step.kind.value, XREFS: "",
                      TIME: step.time or ""}
        return
    entity = project.entities[ref.entity]
    comp = project.compartment(pathway, ref.compartment) if ref.compartment else None
    nodes[key] = {
        ENTITY: entity.id,
        COMPARTMENT: ref.compartment or "",
        COMPARTMENT_LABEL: comp.label if comp else "",
        LABEL: entity.label,
        KIND: _TEXT[id(entity.kind)],
        XREFS: " ".join(entity.xrefs),
        TIME: "",
    }


_GRADES = list(Grade)


#: id(enum member) -> its text, read without Enum's descriptor or its hash (a Python
#: call) on every edge; members (and None) are singletons, so their ids are stable
_TEXT = {id(m): "" if m is None else m.value
         for m in (*Effect, *Relation, *Grade, *NodeKind, None)}
_SIGNS = {id(e): e.sign for e in Effect}


def _edge_data(pid: str, edge: Edge, templates: dict[tuple, tuple[Edge, dict]]) -> dict:
    """An edge's attributes. Edges that differ only in their place (the bare edges of one
    pathway: one evidence tuple, effect and relation) copy one filled dict and share its
    texts; ``templates`` holds them for one graph, keyed by identity (enum members are
    singletons; the edge kept in the entry keeps its evidence's id from being reused)."""
    loc = edge.location
    key = (id(edge.evidence), id(edge.effect), id(edge.relation), edge.via, edge.label, pid)
    hit = templates.get(key)
    if hit is not None:
        data = hit[1].copy()
        data[LOCATION] = f"{loc.path}:{loc.line}" if loc else ""  # str(Location)
        return data
    ev = edge.evidence
    if len(ev) == 1:  # the common case: one statement
        e = ev[0]
        grade = _TEXT[id(e.grade)]
        cite, seed, note = " ".join(e.cites), str(e.seed) if e.seed else "", e.note or ""
    else:
        grades = [e.grade for e in ev if e.grade is not None]
        grade = min(grades, key=_GRADES.index).value if grades else ""
        cite = " ".join(dict.fromkeys(c for e in ev for c in e.cites))
        seed = " ".join(dict.fromkeys(str(e.seed) for e in ev if e.seed is not None))
        note = " / ".join(e.note for e in ev if e.note)
    effect = edge.effect
    data = {
        EFFECT: _TEXT[id(effect)],
        SIGN: _SIGNS[id(effect)],
        RELATION: _TEXT[id(edge.relation)],
        PATHWAY: pid,
        GRADE: grade,
        CITE: cite,
        SEED: seed,
        NOTE: note,
        VIA: KEY_SEP.join(edge.via),  # node keys, or one pathway id
        BRANCH: edge.label or "",
        LOCATION: "",  # (set per edge; a copy with every key needs no resizing)
    }
    templates[key] = (edge, data)
    data = data.copy()
    data[LOCATION] = str(loc) if loc else ""
    return data


def is_workflow(project: Project, pathway_id: str) -> bool:
    return project.pathways[pathway_id].kind is PathwayKind.WORKFLOW


class FigureGraph:
    """A figure's graph: the node, adjacency and graph dicts of :func:`build_graph`'s
    ``MultiDiGraph``, filled the same way (edges with their drawn attributes only; see
    :func:`figure_graph`), read through the same calls for what the
    drawing uses (``g.nodes[key]``, ``g.nodes(data=...)``, ``g.edges(keys=..., data=...)``,
    ``key in g``, ``iter(g)``, ``len(g)``, ``g.graph``). Not a networkx graph: build one
    with :func:`build_graph` to run algorithms."""

    def __init__(self) -> None:
        self.graph: dict[str, Any] = {}
        self._node: dict[str, dict[str, Any]] = {}
        self._succ: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        self._pred: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        #: (pathway, u, v) -> the model edge drawn there (see _fill)
        self.edge_of: dict[tuple[str, str, str], Edge] = {}

    def __contains__(self, n: object) -> bool:
        try:
            return n in self._node
        except TypeError:
            return False

    def __iter__(self) -> Iterator[str]:
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    @property
    def nodes(self) -> "_Nodes":
        return _Nodes(self._node)

    def edges(self, keys: bool = False, data: bool | str = False,
              default: Any = None) -> Iterator[tuple]:
        """(u, v[, key][, data]) in networkx's order: by source, target, then key."""
        if data is True:  # what the drawing asks for: one loop each, no test per edge
            if keys:
                return ((u, v, k, d) for u, nbrs in self._succ.items()
                        for v, keydict in nbrs.items() for k, d in keydict.items())
            return ((u, v, d) for u, nbrs in self._succ.items()
                    for v, keydict in nbrs.items() for d in keydict.values())
        if not data:
            if keys:
                return ((u, v, k) for u, nbrs in self._succ.items()
                        for v, keydict in nbrs.items() for k in keydict)
            return ((u, v) for u, nbrs in self._succ.items()
                    for v, keydict in nbrs.items() for _ in keydict)
        return self._edges(keys, data, default)

    def _edges(self, keys: bool, data: str, default: Any) -> Iterator[tuple]:
        for u, nbrs in self._succ.items():
            for v, keydict in nbrs.items():
                for k, d in keydict.items():
                    value = d.get(data, default)
                    yield (u, v, k, value) if keys else (u, v, value)


class _Nodes:
    """``FigureGraph.nodes``: a mapping of node key -> attributes, callable like
    networkx's node view (``g.nodes(data=True)``, ``g.nodes(data="label")``)."""

    __slots__ = ("_node",)

    def __init__(self, node: dict[str, dict[str, Any]]) -> None:
        self._node = node

    def __getitem__(self, n: str) -> dict[str, Any]:
        return self._node[n]

    def __iter__(self) -> Iterator[str]:
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    def __contains__(self, n: object) -> bool:
        return n in self._node

    def __call__(self, data: bool | str = False, default: Any = None) -> Any:
        if data is False:
            return self
        if data is True:
            return list(self._node.items())
        return [(n, d.get(data, default)) for n, d in self._node.items()]


__all__ = [
    "build_graph", "figure_graph", "FigureGraph", "node_key", "is_workflow", "project_of",
    "split", "split_keys",
    "drug_index", "drug_independent", "via_nodes", "NodeKind",
    "ENTITY", "COMPARTMENT", "COMPARTMENT_LABEL", "LABEL", "KIND", "XREFS", "PATHWAYS", "TIME",
    "EFFECT", "SIGN", "RELATION", "PATHWAY", "GRADE", "CITE", "SEED", "NOTE", "VIA", "BRANCH",
    "LOCATION", "NAME", "GRAPH_PATHWAYS", "DRUGS", "DRUG_INDEPENDENT", "KEY_SEP",
]
