"""Signed search over a mechanism graph: the engine under :mod:`mechgraph.query`.

A graph is first flattened into a :class:`Net`: for each ordered pair of nodes, one
*hop* per sign (parallel edges of several pathways with the same sign are one hop,
carrying all their pathways and their strongest evidence). Everything else works on
states ``(node, sign)``:

- :func:`reached` — which nodes a drug reaches, honouring necessary stimulation
  (``=>``) scoped to the drug: a node with necessary inputs is reached only once all
  of them are (a Horn-clause propagation, linear time).
- :func:`influences` — a breadth-first search over ``(node, sign)`` states gives, in
  linear time, every node reached and every sign a *walk* can carry to it. Walks
  may loop through feedback cycles, simple paths may not, so each sign is kept only
  with a simple path as its witness: the shortest walk usually is one; otherwise a
  bounded iterative-deepening search looks for one. The witnesses are the
  explanation, shortest first.
- :func:`simple_paths` — simple paths shortest first, pruned by the distance still
  needed to reach a target with the wanted sign, within a work budget.

No I/O, no printing; the public functions are in :mod:`mechgraph.query`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, Collection, Iterable, Iterator, Mapping

from .model import Effect, Grade

#: Rank of a hop with no evidence: weaker than every grade.
NO_GRADE = len(Grade)
_GRADES = list(Grade)
#: When two edges of one sign join the same nodes, the arrow drawn is the most specific.
_EFFECT_ORDER = (Effect.NECESSARY, Effect.CONVERSION, Effect.NEGATIVE, Effect.POSITIVE,
                 Effect.UNKNOWN)
#: Default work budget (edge expansions) for one simple-path search.
BUDGET = 200_000

State = tuple[str, int]
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

    @property
    def rank(self) -> int:
        return NO_GRADE if self.grade is None else self.grade.rank


@dataclass(frozen=True)
class Path:
    """A simple path. Its sign is the product of its hop signs (0 once a ``~>`` is on it)."""

    start: str
    hops: tuple[Hop, ...] = ()

    @property
    def nodes(self) -> tuple[str, ...]:
        return (self.start,) + tuple(h.target for h in self.hops)

    @property
    def sign(self) -> int:
        s = 1
        for h in self.hops:
            s *= h.sign
        return s

    @property
    def weakest(self) -> Grade | None:
        """The weakest evidence along the path (None if a hop has none, or no hops)."""
        rank = self.rank
        return None if rank >= NO_GRADE else _GRADES[rank]

    @property
    def rank(self) -> int:
        return max((h.rank for h in self.hops), default=NO_GRADE)

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
    return (len(p), p.rank, p.nodes, [_SIGN_ORDER[h.sign] for h in p.hops])


class Net:
    """Adjacency of a graph by hop: ``succ[u] = [(v, sign, rank), ...]`` sorted."""

    __slots__ = ("succ", "pred", "hops")

    def __init__(self, succ: dict, pred: dict, hops: dict) -> None:
        self.succ: dict[str, list[tuple[str, int, int]]] = succ
        self.pred: dict[str, list[tuple[str, int, int]]] = pred
        self.hops: dict[tuple[str, str, int], Hop] = hops

    @classmethod
    def from_edges(cls, edges: Iterable[tuple[str, str, str, Effect, int]]) -> "Net":
        """From ``(u, v, pathway, effect, grade rank)`` tuples."""
        acc: dict[tuple[str, str, int], list] = {}
        for u, v, pid, effect, rank in edges:
            k = (u, v, effect.sign)
            a = acc.get(k)
            if a is None:
                acc[k] = [{effect}, {pid}, rank]
            else:
                a[0].add(effect)
                a[1].add(pid)
                if rank < a[2]:
                    a[2] = rank
        succ: dict[str, list] = {}
        pred: dict[str, list] = {}
        hops: dict[tuple[str, str, int], Hop] = {}
        for (u, v, s), (effects, pids, rank) in acc.items():
            effect = next(e for e in _EFFECT_ORDER if e in effects)
            grade = None if rank >= NO_GRADE else _GRADES[rank]
            hops[(u, v, s)] = Hop(u, v, s, effect, tuple(sorted(pids)), grade)
            succ.setdefault(u, []).append((v, s, rank))
            pred.setdefault(v, []).append((u, s, rank))
        for adj in (succ, pred):
            for lst in adj.values():
                lst.sort()
        return cls(succ, pred, hops)

    def reversed(self) -> "Net":
        hops = {(v, u, s): Hop(v, u, s, h.effect, h.pathways, h.grade)
                for (u, v, s), h in self.hops.items()}
        return Net(self.pred, self.succ, hops)

    def path(self, start: str, steps: Iterable[tuple[str, int]]) -> Path:
        """The path from ``start`` through ``(node, sign)`` steps."""
        hops = []
        u = start
        for v, s in steps:
            hops.append(self.hops[(u, v, s)])
            u = v
        return Path(start, tuple(hops))


def reversed_path(p: Path) -> Path:
    """A path found on a reversed net, turned the right way round."""
    if not p.hops:
        return p
    hops = tuple(Hop(h.target, h.source, h.sign, h.effect, h.pathways, h.grade)
                 for h in reversed(p.hops))
    return Path(hops[0].source, hops)


def reached(net: Net, sources: Collection[str],
            necessary: Callable[[str], Collection[str]] | None = None) -> set[str]:
    """Nodes reachable from ``sources``; a node whose ``necessary(node)`` inputs are not
    all reached is not reached itself (and does not pass anything on)."""
    seen = set(sources)
    missing: dict[str, set[str]] = {}
    queue = deque(sorted(seen))
    while queue:
        u = queue.popleft()
        for v, _, _ in net.succ.get(u, ()):
            if v in seen:
                continue
            m = missing.get(v)
            if m is None:
                m = missing[v] = set(necessary(v)) if necessary else set()
            m.discard(u)
            if not m:
                seen.add(v)
                queue.append(v)
    return seen


@dataclass(frozen=True)
class Influence:
    """What one source does to one node: the signs of its simple paths, with witnesses.

    ``paths`` holds the shortest simple path found for each sign: those of known sign
    first (they decide the net effect), shortest first.
    ``truncated`` is set when the search budget ran out before a sign seen on a
    looping walk could be confirmed or refuted by a simple path.
    """

    node: str
    signs: frozenset[int]
    paths: tuple[Path, ...]
    truncated: bool = False

    @property
    def effect(self) -> str | None:
        return net_effect(self.signs)

    @property
    def path(self) -> Path | None:
        """The explanation: the shortest path."""
        return self.paths[0] if self.paths else None


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


def influences(net: Net, sources: Collection[str], *, allowed: Collection[str] | None = None,
               cutoff: int | None = None, budget: int = BUDGET,
               include_sources: bool = False) -> dict[str, Influence]:
    """The influence of ``sources`` (all at sign +) on every node they reach.

    Only nodes in ``allowed`` (default: all) are entered; paths have at most ``cutoff``
    hops. Sources are left out unless ``include_sources`` (then with a zero-length path).
    """
    best = _bfs(net, sources, allowed, cutoff)
    by_node: dict[str, dict[int, Path | None]] = {}
    for state, entry in best.items():
        v, s = state
        if entry[0] == 0 or v in sources:
            continue
        start, steps = _walk(best, state)
        nodes = [start] + [n for n, _ in steps]
        witness = net.path(start, steps) if len(set(nodes)) == len(nodes) else None
        by_node.setdefault(v, {})[s] = witness
    pending = {(v, s) for v, d in by_node.items() for s, p in d.items() if p is None}
    truncated: set[str] = set()
    if pending:
        found, exhausted = _confirm(net, sources, pending, allowed, cutoff, budget)
        for v, s in pending:
            if (v, s) in found:
                by_node[v][s] = found[(v, s)]
            else:
                del by_node[v][s]
                if exhausted:
                    truncated.add(v)
    result = {}
    if include_sources:
        for src in sorted(sources):
            result[src] = Influence(src, frozenset({1}), (Path(src),))
    for v, d in by_node.items():
        result[v] = Influence(v, frozenset(d), explanation(d.values()), v in truncated)  # type: ignore[arg-type]
    return result


def explanation(paths: Iterable[Path]) -> tuple[Path, ...]:
    """Paths in the order they explain a net effect: of known sign first, then shortest."""
    return tuple(sorted(paths, key=lambda p: (p.sign == 0, path_order(p))))


def strongest(net: Net, sources: Collection[str], allowed: Collection[str]) -> dict[str, int]:
    """For each node in ``allowed``, the rank of the strongest chain of evidence from the
    sources to it: the best, over all paths, of the path's weakest hop. (Cutting a loop
    out of a walk never weakens it, so walks and simple paths agree here.)"""
    best: dict[str, int] = {}
    for threshold in range(NO_GRADE + 1):
        seen = set(sources)
        queue = deque(sorted(seen))
        while queue:
            u = queue.popleft()
            for v, _, rank in net.succ.get(u, ()):
                if rank <= threshold and v not in seen and v in allowed:
                    seen.add(v)
                    queue.append(v)
                    best.setdefault(v, threshold)
        if len(best) >= len(allowed):
            break
    return best


def _bfs(net: Net, sources: Collection[str], allowed: Collection[str] | None,
         cutoff: int | None) -> dict[State, tuple]:
    """Layered BFS over (node, sign): state -> (distance, weakest rank, parent, hop sign).

    Among equally short walks the one with the strongest weakest evidence wins.
    """
    best: dict[State, tuple] = {}
    layer: list[State] = []
    for src in sorted(sources):
        best[(src, 1)] = (0, -1, None, 1)
        layer.append((src, 1))
    d = 0
    while layer and (cutoff is None or d < cutoff):
        d += 1
        nxt: dict[State, None] = {}
        for state in layer:
            u, p = state
            bu = best[state][1]
            for v, e, rank in net.succ.get(u, ()):
                if allowed is not None and v not in allowed:
                    continue
                st = (v, p * e)
                b = bu if bu > rank else rank
                old = best.get(st)
                if old is None:
                    best[st] = (d, b, state, e)
                    nxt[st] = None
                elif old[0] == d and b < old[1]:
                    best[st] = (d, b, state, e)
        layer = list(nxt)
    return best


def _walk(best: Mapping[State, tuple], state: State) -> tuple[str, list[tuple[str, int]]]:
    """The start node and the (node, hop sign) steps of the walk recorded for ``state``."""
    steps = []
    while True:
        _, _, parent, e = best[state]
        if parent is None:
            break
        steps.append((state[0], e))
        state = parent
    steps.reverse()
    return state[0], steps


def _confirm(net: Net, sources: Collection[str], pending: set[State],
             allowed: Collection[str] | None, cutoff: int | None,
             budget: int) -> tuple[dict[State, Path], bool]:
    """Simple paths for the (node, sign) states whose shortest walk loops.

    Iterative deepening from the sources, pruned by the distance to the nearest pending
    node; returns the paths found and whether the budget ran out.
    """
    targets = {v for v, _ in pending}
    rdist = _distances(net.pred, targets, allowed)
    limit = cutoff if cutoff is not None else len(rdist)
    lo = min((rdist[s] for s in sources if s in rdist), default=None)
    found: dict[State, Path] = {}
    if lo is None:
        return found, False
    todo = set(pending)
    work = [0]

    def need(u: str, p: int) -> int | None:
        return rdist.get(u)

    for length in range(max(lo, 1), limit + 1):
        for src in sorted(sources):
            for path in _dfs(net, src, length, need, targets.__contains__, allowed, work, budget):
                st = (path.nodes[-1], path.sign)
                if st in todo:
                    todo.discard(st)
                    found[st] = path
            if not todo:
                return found, False
            if work[0] >= budget:
                return found, True
    return found, False


def _distances(pred: Mapping[str, list], targets: Collection[str],
               allowed: Collection[str] | None) -> dict[str, int]:
    """Hops from each node to the nearest target (ignoring sign)."""
    dist = {t: 0 for t in targets}
    queue = deque(sorted(targets))
    while queue:
        v = queue.popleft()
        for u, _, _ in pred.get(v, ()):
            if u not in dist and (allowed is None or u in allowed):
                dist[u] = dist[v] + 1
                queue.append(u)
    return dist


def _signed_distances(pred: Mapping[str, list], targets: Collection[str]) -> dict[State, int]:
    """(node, r) -> hops of the shortest walk from node to a target whose sign is r."""
    dist = {(t, 1): 0 for t in targets}
    queue = deque(sorted(dist))
    while queue:
        st = queue.popleft()
        v, r = st
        for u, e, _ in pred.get(v, ()):
            nst = (u, e * r)
            if nst not in dist:
                dist[nst] = dist[st] + 1
                queue.append(nst)
    return dist


def _dfs(net: Net, src: str, length: int, need: Callable[[str, int], int | None],
         accept: Callable[[str], bool], allowed: Collection[str] | None,
         work: list[int], budget: int) -> Iterator[Path]:
    """Simple paths from ``src`` of exactly ``length`` hops whose last node is accepted.

    ``need(node, sign so far)`` is a lower bound on the hops still needed (None: hopeless);
    ``work`` counts edge expansions against ``budget``.
    """
    on_path = {src}
    steps: list[tuple[str, int]] = []

    def rec(u: str, p: int, depth: int) -> Iterator[Path]:
        if depth == length:
            if accept(u):
                yield net.path(src, steps)
            return
        for v, e, _ in net.succ.get(u, ()):
            if work[0] >= budget:
                return
            work[0] += 1
            if v in on_path or (allowed is not None and v not in allowed):
                continue
            q = p * e
            n = need(v, q)
            if n is None or depth + 1 + n > length:
                continue
            on_path.add(v)
            steps.append((v, e))
            yield from rec(v, q, depth + 1)
            steps.pop()
            on_path.discard(v)

    if need(src, 1) is not None:
        yield from rec(src, 1, 0)


def simple_paths(net: Net, sources: Collection[str], targets: Collection[str], *,
                 sign: int | None = None, cutoff: int, limit: int | None = None,
                 budget: int = BUDGET) -> tuple[list[Path], bool]:
    """Simple paths from any source to any target, shortest first (at most ``cutoff``
    hops, ``limit`` paths), with the given overall sign if any. Returns the paths and
    whether the budget ran out before all were found."""
    targets = set(targets)
    if sign is None:
        udist = _distances(net.pred, targets, None)

        def need(u: str, p: int) -> int | None:
            return udist.get(u)

        def accept(u: str) -> bool:
            return u in targets
    else:
        sdist = _signed_distances(net.pred, targets)
        want = sign

        def need(u: str, p: int) -> int | None:
            if p == 0:
                if want != 0:
                    return None
                ds = [sdist[(u, r)] for r in (1, -1, 0) if (u, r) in sdist]
                return min(ds) if ds else None
            return sdist.get((u, want * p))  # p * (want * p) == want

        accept = targets.__contains__
    out: list[Path] = []
    work = [0]
    lo = min((n for s in sources if (n := need(s, 1)) is not None), default=None)
    if lo is None:
        return out, False
    for length in range(max(lo, 1), cutoff + 1):
        batch = [path for src in sorted(sources)
                 for path in _dfs(net, src, length, need, accept, None, work, budget)
                 if sign is None or path.sign == sign]
        out.extend(sorted(batch, key=path_order))
        if limit is not None and len(out) >= limit:
            return out[:limit], work[0] >= budget
        if work[0] >= budget:
            return out, True
    return out, False
