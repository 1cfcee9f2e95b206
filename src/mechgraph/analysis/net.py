"""The signed net a search walks, and the paths and influences it reports.

A graph is flattened into a :class:`Net`: for each ordered pair of nodes, one *hop* per
sign (parallel edges of several pathways with the same sign are one hop, carrying all
their pathways and their strongest evidence). The searches of :mod:`mechgraph.analysis.search`
walk it by states ``(node, sign)`` and answer in the types owned here:

- :class:`Hop` and :class:`Path` — a step and a simple path, with the product of its
  signs and its weakest evidence; :func:`path_order` sorts paths, :func:`reversed_path`
  turns one found on a reversed net the right way round.
- :class:`Influence` — what a source does to one node: its signs, their
  :func:`net_effect`, and the paths that explain it (in :func:`explanation` order),
  built only when asked for.

No searching, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Iterable, Protocol, Sequence

from ..model import Effect, Grade

__all__ = ["NO_GRADE", "RANK", "State", "Hop", "Path", "Net", "Influence", "Witnesses",
           "path_order", "why_order", "reversed_path", "net_effect", "explanation", "RELATION_NAMES"]

RELATION_NAMES = ("mechanism", "summary")  #: Path.relation -> its name
#: Rank of a hop with no evidence: weaker than every grade.
NO_GRADE = len(Grade)
_GRADES = list(Grade)
#: Grade -> rank (0 strongest), without Enum iteration on every lookup
RANK = {g: g.rank for g in Grade}
#: When two edges of one sign join the same nodes, the arrow drawn is the most specific.
_EFFECT_ORDER = (Effect.NECESSARY, Effect.CONVERSION, Effect.NEGATIVE, Effect.POSITIVE,
                 Effect.UNKNOWN)

#: A search state: a node and the sign a walk carries to it.
State = tuple[str, int]
#: Hop sign -> its place in path order: + before - before unknown.
_SIGN_ORDER = {1: 0, -1: 1, 0: 2}


@dataclass(frozen=True)
class Hop:
    """One step of a path: ``source`` acts on ``target`` with ``sign``."""

    source: str
    target: str
    sign: int
    effect: Effect
    pathways: tuple[str, ...]
    grade: Grade | None  # strongest evidence among the edges of this hop
    #: 0 a mechanistic step, 1 a summary (the best relation among the hop's edges)
    relation: int = 0
    #: how many distinct seed places state the hop (over all its edges)
    support: int = 0
    rank: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rank", NO_GRADE if self.grade is None else RANK[self.grade])

    def stated(self, pathways: Collection[str]) -> bool:
        """Whether one of the hop's edges comes from ``pathways``."""
        return any(p in pathways for p in self.pathways)


@dataclass(frozen=True)
class Path:
    """A simple path. Its sign is the product of its hop signs (0 once a ``~>`` is on it)."""

    start: str
    hops: tuple[Hop, ...] = ()
    nodes: tuple[str, ...] = field(init=False, repr=False, compare=False)
    sign: int = field(init=False, repr=False, compare=False)
    #: rank of the weakest evidence along the path (NO_GRADE if a hop has none)
    rank: int = field(init=False, repr=False, compare=False)
    #: 0 when every hop is a mechanistic step, 1 once a summary edge is on it
    relation: int = field(init=False, repr=False, compare=False)
    #: the fewest seed places behind one hop (0 when a hop has none, or no hops)
    support: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        sign, rank, rel = 1, -1, 0
        support = min((h.support for h in self.hops), default=0)
        object.__setattr__(self, "support", support)
        for h in self.hops:
            sign *= h.sign
            rank = h.rank if h.rank > rank else rank
            rel = h.relation if h.relation > rel else rel
        object.__setattr__(self, "nodes", (self.start,) + tuple(h.target for h in self.hops))
        object.__setattr__(self, "sign", sign)
        object.__setattr__(self, "rank", NO_GRADE if rank < 0 else rank)
        object.__setattr__(self, "relation", rel)

    @property
    def relation_name(self) -> str:
        """"mechanism" or "summary" (a path with a summary edge on it)."""
        return RELATION_NAMES[self.relation]

    def stated(self, pathways: Collection[str]) -> bool:
        """Whether every hop comes from ``pathways`` (a drug's own and the drug-independent
        ones): the path is *stated* for that drug, else *inferred*."""
        return all(h.stated(pathways) for h in self.hops)

    @property
    def weakest(self) -> Grade | None:
        """The weakest evidence along the path (None if a hop has none, or no hops)."""
        return None if self.rank >= NO_GRADE else _GRADES[self.rank]

    def __len__(self) -> int:
        return len(self.hops)

    def __bool__(self) -> bool:  # a zero-hop path (a source itself) is still a path
        return True

    def __str__(self) -> str:
        parts = [self.start]
        for h in self.hops:
            parts += [h.effect.value, h.target]
        return " ".join(parts)


def path_order(p: Path) -> tuple:
    """Shortest first, then strongest weakest evidence, then by node names."""
    return (len(p.hops), p.rank, p.nodes, [_SIGN_ORDER[h.sign] for h in p.hops])


def why_order(p: Path, stated: Collection[str] | None = None) -> tuple:
    """The order of explanations: mechanistic before summary, stated (every hop from
    ``stated`` pathways) before inferred, then evidence (the strongest weakest grade,
    then the most seed places behind the least supported hop), then shortest."""
    return (p.relation, 0 if stated is None or p.stated(stated) else 1, p.rank, -p.support,
            len(p.hops), p.nodes, [_SIGN_ORDER[h.sign] for h in p.hops])


class Net:
    """Adjacency of a graph by hop: ``succ[u] = [(v, sign, rank), ...]`` sorted, and
    ``pred`` the same way round. Hop objects (pathways, arrow, evidence) are made only
    for the hops a path uses."""

    __slots__ = ("succ", "_pred", "_acc", "_edges", "_hops", "_flip", "_support", "_grades")

    def __init__(self, succ: dict, pred: dict | None, acc: dict | None, flip: bool = False,
                 edges: Sequence[tuple] = ()) -> None:
        self.succ: dict[str, list[tuple[str, int, int]]] = succ
        self._pred = pred
        # (u, v, sign) -> (effect, pathway, rank) for one edge, [effects, pathways, rank]
        # for several; always keyed forward
        self._acc = acc
        self._edges = edges  # what ``_acc`` is built from when still None
        self._hops: dict[tuple[str, str, int], Hop] = {}
        self._flip = flip
        self._support: dict[int, frozenset] | None = None
        self._grades: frozenset[int] | None = None

    @classmethod
    def from_edges(cls, edges: Iterable[tuple]) -> "Net":
        """From ``(u, v, pathway, effect, sign, grade rank, relation, seeds)`` tuples
        (relation 0 mechanism, 1 summary; seeds the edge's space-separated seed places);
        parallel edges of one sign (several pathways drawing the same influence) become
        one hop."""
        acc: dict[tuple[str, str, int], Any] = {}
        for u, v, pid, effect, sign, rank, rel, seeds in edges:
            k = (u, v, sign)
            a = acc.get(k)
            if a is None:
                acc[k] = (effect, pid, rank, rel, seeds)  # the common case: one edge
            elif type(a) is tuple:
                acc[k] = [{a[0], effect}, {a[1], pid}, min(a[2], rank), min(a[3], rel),
                          f"{a[4]} {seeds}"]
            else:
                a[0].add(effect)
                a[1].add(pid)
                if rank < a[2]:
                    a[2] = rank
                if rel < a[3]:
                    a[3] = rel
                a[4] += " " + seeds
        # predecessors only when a search asks for them (not every query does)
        return cls(_sorted_adjacency((u, v, s, a[2]) for (u, v, s), a in acc.items()),
                   None, acc)

    @classmethod
    def of_pathway(cls, edges: Sequence[tuple]) -> "Net":
        """From the edges of one pathway (at most one per ordered pair of nodes). Only the
        successors are built now: a search of one pathway seldom needs its predecessors,
        and its hops only once an explanation is asked for."""
        return cls(_pathway_adjacency(edges, 0, 1), None, None, edges=edges)

    @property
    def pred(self) -> dict[str, list[tuple[str, int, int]]]:
        if self._pred is None:
            self._pred = _sorted_adjacency(  # the successors' hops, or the hops as merged
                ((v, u, s, r) for u, hops in self.succ.items() for v, s, r in hops)
                if self._acc is None else ((v, u, s, a[2]) for (u, v, s), a in self._acc.items()))
        return self._pred

    def reversed(self) -> "Net":
        return Net(self.pred, self.succ, self._acc, not self._flip, self._edges)

    def hop(self, u: str, v: str, sign: int) -> Hop:
        h = self._hops.get((u, v, sign))
        if h is None:
            if self._acc is None:
                self._acc = {(u, v, s): (e, pid, r, rel, seeds)
                             for u, v, pid, e, s, r, rel, seeds in self._edges}
            effects, pids, rank, rel, seeds = self._acc[(v, u, sign) if self._flip
                                                        else (u, v, sign)]
            if isinstance(effects, Effect):  # one edge
                effect, pathways = effects, (pids,)
            else:
                effect = next(e for e in _EFFECT_ORDER if e in effects)
                pathways = tuple(sorted(pids))
            grade = None if rank >= NO_GRADE else _GRADES[rank]
            support = len(set(seeds.split()))
            h = self._hops[(u, v, sign)] = Hop(u, v, sign, effect, pathways, grade, rel, support)
        return h

    def grades(self) -> frozenset[int]:
        """The evidence ranks its hops carry."""
        if self._grades is None:
            self._grades = frozenset(r for lst in self.succ.values() for _, _, r in lst)
        return self._grades

    def below(self) -> dict[int, frozenset[tuple[str, str, int]]]:
        """support level -> the hops ((u, v, sign), forward) stated by fewer distinct
        seed places than that level, for each level some hop reaches (the lowest left
        out: no hop is below it)."""
        if self._support is None:
            if self._acc is None:
                self._acc = {(u, v, s): (e, pid, r, rel, seeds)
                             for u, v, pid, e, s, r, rel, seeds in self._edges}
            counts = {k: len(set(a[4].split())) for k, a in self._acc.items()}
            levels = sorted(set(counts.values()), reverse=True)[:-1][-5:]  # the 5 lowest
            self._support = {lv: frozenset(k for k, c in counts.items() if c < lv)
                             for lv in levels}
        return self._support

    def path(self, start: str, steps: Iterable[tuple[str, int]]) -> Path:
        """The path from ``start`` through ``(node, sign)`` steps."""
        hops = []
        u = start
        for v, s in steps:
            hops.append(self.hop(u, v, s))
            u = v
        return Path(start, tuple(hops))


def _sorted_adjacency(hops: Iterable[tuple[str, str, int, int]]) -> dict[str, list]:
    """u -> [(v, sign, rank), ...] sorted, from (u, v, sign, rank)."""
    adj: dict[str, list] = {}
    for u, v, s, r in hops:
        lst = adj.get(u)
        if lst is None:
            adj[u] = [(v, s, r)]
        else:
            lst.append((v, s, r))
    for lst in adj.values():
        if len(lst) > 1:
            lst.sort()
    return adj


def _pathway_adjacency(edges: Sequence[tuple], at: int, to: int) -> dict[str, list]:
    """:func:`_sorted_adjacency` of one pathway's edge tuples, inline (a hot loop)."""
    adj: dict[str, list] = {}
    for e in edges:
        lst = adj.get(e[at])
        if lst is None:
            adj[e[at]] = [(e[to], e[4], e[5])]
        else:
            lst.append((e[to], e[4], e[5]))
    for lst in adj.values():
        if len(lst) > 1:
            lst.sort()
    return adj


def reversed_path(p: Path) -> Path:
    """A path found on a reversed net, turned the right way round."""
    if not p.hops:
        return p
    hops = tuple(Hop(h.target, h.source, h.sign, h.effect, h.pathways, h.grade, h.relation,
                     h.support)
                 for h in reversed(p.hops))
    return Path(hops[0].source, hops)


def net_effect(signs: Iterable[int]) -> str | None:
    """increases | decreases | discordant | unknown, from a set of path signs.

    Paths of unknown sign decide only when they are the only ones.

    >>> net_effect({1}), net_effect({1, -1}), net_effect({-1, 0}), net_effect({0})
    ('increases', 'discordant', 'decreases', 'unknown')
    """
    s = set(signs)
    if 1 in s:
        return "discordant" if -1 in s else "increases"
    if -1 in s:
        return "decreases"
    return "unknown" if 0 in s else None


def explanation(paths: Iterable[Path]) -> tuple[Path, ...]:
    """Paths in the order they explain a net effect: of known sign first, then shortest."""
    return tuple(sorted(paths, key=lambda p: (p.sign == 0, path_order(p))))


class Witnesses(Protocol):
    """Where an :class:`Influence` finds its paths when first asked: the search it came
    from, which knows the simple path (or the walk) that reached each state."""

    def witness(self, state: State) -> Path: ...


class Influence:
    """What one source does to one node: the signs of its simple paths, with witnesses.

    ``paths`` holds the shortest simple path found for each sign: those of known sign
    first (they decide the net effect), shortest first. They are built when first asked
    for: a query over many nodes pays only for the explanations it shows.
    ``truncated`` is set when the search budget ran out before a sign seen on a
    looping walk could be confirmed or refuted by a simple path.
    """

    __slots__ = ("node", "signs", "truncated", "_paths", "_search", "relation", "stated",
                 "scope", "_lead", "_explain")

    def __init__(self, node: str, signs: frozenset[int], paths: Iterable[Path] | None = None,
                 truncated: bool = False, *, search: Witnesses | None = None,
                 relation: int = 0, stated: bool | None = None,
                 scope: Collection[str] | None = None,
                 lead: "Influence | None" = None,
                 explain: "Callable[[str, int, int], Path | None] | None" = None) -> None:
        self.node = node
        self.signs = signs
        self.truncated = truncated
        self._paths = None if paths is None else tuple(paths)
        self._search = search  # where to find a witness for each sign when asked
        #: 0: a mechanistic path explains it; 1: only a chain with a summary edge does
        self.relation = relation
        #: True: a path of the drug's own (or drug-independent) pathways reaches it;
        #: False: only one through another drug's pathway; None: not asked (no drug)
        self.stated = stated
        self.scope = scope  # the pathways that make a path stated
        self._lead = lead  # the same answer on the stated pathways alone: paths go first
        self._explain = explain  # (node, sign, floor) -> the first path by why_order

    @property
    def paths(self) -> tuple[Path, ...]:
        if self._paths is None:
            search, node = self._search, self.node
            explain = self._explain
            if explain is not None and self._lead is None and hasattr(search, "length"):
                # a witness: its length is the floor; made only if nothing explains better
                found = {}
                for s in self.signs:
                    better = explain(node, s, search.length((node, s)))
                    found[s] = better if better is not None else search.witness((node, s))
                self._paths = self.order(found.values())
                self._search = self._explain = None
                return self._paths
            paths = {p.sign: p for p in (search.witness((node, s))  # type: ignore[union-attr]
                                         for s in self.signs)}
            if self._lead is not None:
                paths.update({p.sign: p for p in self._lead.paths if p.sign in paths})
            if self._explain is not None:
                for sign, p in list(paths.items()):
                    better = self._explain(node, sign, len(p))
                    if better is not None:
                        paths[sign] = better
            self._paths = self.order(paths.values())
            self._search = self._lead = self._explain = None
        return self._paths

    def witness(self, state: State) -> Path:
        """This influence's path of the sign ``state[1]`` (an Influence is a
        :class:`Witnesses` too: another answer may take its paths)."""
        return next(p for p in self.paths if p.sign == state[1])

    def order(self, paths: Iterable[Path]) -> tuple[Path, ...]:
        """Paths in explanation order: of known sign first, then :func:`why_order`."""
        scope = self.scope
        paths = list(paths)
        if len(paths) < 2:
            return tuple(paths)
        return tuple(sorted(paths, key=lambda p: (p.sign == 0, why_order(p, scope))))

    @property
    def relation_name(self) -> str:
        """"mechanism" when mechanistic steps alone explain the node, "summary" when only
        a chain with a summary edge does."""
        return RELATION_NAMES[self.relation]

    @property
    def provenance(self) -> str | None:
        """"stated", "inferred", or None when no drug's view was asked for."""
        return None if self.stated is None else "stated" if self.stated else "inferred"

    @property
    def effect(self) -> str | None:
        return net_effect(self.signs)

    @property
    def path(self) -> Path | None:
        """The explanation: the first path by :func:`why_order`."""
        paths = self.paths
        return paths[0] if paths else None

    @property
    def distance(self) -> int:
        """Hops of the shortest path."""
        return min((len(p) for p in self.paths), default=0)

    def __repr__(self) -> str:
        return f"Influence({self.node!r}, {self.effect}, signs={sorted(self.signs)})"

