"""Signed search over a :class:`~mechgraph.analysis.net.Net`: the engine under :mod:`mechgraph.analysis.query`.

Every search works on states ``(node, sign)`` and answers in the types of
:mod:`mechgraph.analysis.net`:

- :func:`reached` — which nodes a drug reaches, honouring necessary stimulation
  (``=>``) scoped to the drug: a node with necessary inputs is reached only once all
  of them are (a Horn-clause propagation, linear time).
- :func:`influences` — a breadth-first search over ``(node, sign)`` states gives, in
  linear time, every node reached and every sign a *walk* can carry to it. Walks
  may loop through feedback cycles, simple paths may not, so each sign is kept only
  with a simple path as its witness: a walk as short as the shortest path to its node
  is one; otherwise one depth-first pass, pruned by walk distances and bounded by a
  work budget, looks for the shortest. The witnesses are the explanation, built only
  when asked for.
- :func:`simple_paths` — simple paths shortest first (iterative deepening), pruned by
  the walk distance still needed to reach a target with the wanted sign, within a
  work budget.
- :func:`~mechgraph.analysis.sweep.strongest` — the strongest chain of evidence to each
  node (a bottleneck search, one bucket per grade).

The types are re-exported here, so ``from mechgraph.analysis.search import Path`` keeps working.
No I/O, no printing; the public functions are in :mod:`mechgraph.analysis.query`.
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Collection, Iterator, Mapping

from .net import (
    NO_GRADE,
    RANK,
    Hop,
    Influence,
    Net,
    Path,
    State,
    explanation,
    net_effect,
    path_order,
    reversed_path,
)

__all__ = ["BUDGET", "reached", "influences", "signed_reach", "simple_paths",
           # owned by mechgraph.analysis.net, importable from here as before
           "NO_GRADE", "RANK", "State", "Hop", "Path", "Net", "Influence", "path_order",
           "reversed_path", "net_effect", "explanation"]

#: Default work budget (edge expansions) for one simple-path search.
BUDGET = 200_000


def reached(net: Net, sources: Collection[str],
            necessary: Mapping[str, Collection[str]] | None = None,
            blocked: Collection[str] = ()) -> set[str]:
    """Nodes reachable from ``sources`` without entering ``blocked``; a node whose
    ``necessary[node]`` inputs are not all reached is not reached itself (and does not
    pass anything on)."""
    seen = set(sources)
    necessary = necessary or {}
    missing: dict[str, set[str]] = {}  # node -> those of its necessary inputs not reached
    queue = deque(sorted(seen))
    while queue:
        u = queue.popleft()
        for v, _, _ in net.succ.get(u, ()):
            if v in seen or v in blocked:
                continue
            if v in necessary:
                m = missing.get(v)
                if m is None:
                    m = missing[v] = set(necessary[v])
                m.discard(u)
                if m:
                    continue
            seen.add(v)
            queue.append(v)
    return seen


class _Search:
    """One signed search, kept by its influences: the witness of a state is the simple
    path confirmed for it, or else the walk the breadth-first search recorded."""

    __slots__ = ("net", "best", "found")

    def __init__(self, net: Net, best: Mapping[State, tuple],
                 found: Mapping[State, Path]) -> None:
        self.net, self.best, self.found = net, best, found

    def witness(self, state: State) -> Path:
        path = self.found.get(state)
        return path if path is not None else self.net.path(*_walk(self.best, state))

    def length(self, state: State) -> int:
        """Hops of :meth:`witness`, without making it."""
        path = self.found.get(state)
        return len(path) if path is not None else self.best[state][0]


def influences(net: Net, sources: Collection[str], *, allowed: Collection[str] | None = None,
               cutoff: int | None = None, budget: int = BUDGET,
               include_sources: bool = False) -> dict[str, Influence]:
    """The influence of ``sources`` (all at sign +) on every node they reach.

    Only nodes in ``allowed`` (default: all) are entered; paths have at most ``cutoff``
    hops. Sources are left out unless ``include_sources`` (then with a zero-length path).

    >>> from mechgraph.model import Effect
    >>> net = Net.from_edges([("d", "a", "p", Effect.NEGATIVE, -1, 0, 0, ""),
    ...                       ("a", "b", "p", Effect.POSITIVE, 1, 0, 0, ""),
    ...                       ("d", "b", "p", Effect.POSITIVE, 1, 0, 0, "")])
    >>> found = influences(net, {"d"})
    >>> {v: i.effect for v, i in sorted(found.items())}
    {'a': 'decreases', 'b': 'discordant'}
    >>> [str(p) for p in found["b"].paths]
    ['d -> b', 'd -| a -> b']
    """
    best, signs, truncated, found = signed_reach(net, sources, allowed, cutoff, budget)
    result = {}
    if include_sources:
        for src in sorted(sources):
            result[src] = Influence(src, frozenset({1}), (Path(src),))
    search = _Search(net, best, found)
    for v, bits in signs.items():
        result[v] = Influence(v, _SIGN_SETS[bits], None, v in truncated, search=search)
    return result


def signed_reach(net: Net, sources: Collection[str], allowed: Collection[str] | None,
                 cutoff: int | None, budget: int, *, witnesses: bool = True
                 ) -> tuple[dict[State, tuple], dict[str, int], set[str], dict]:
    """What :func:`influences` computes, before any :class:`Influence` is made: the
    breadth-first search's states, node -> bit set of its signs (sources left out), the
    nodes whose signs the budget truncated, and state -> the simple path confirmed for
    it (with ``witnesses``; else its ``(depth, source, steps)``)."""
    found = _bfs(net, sources, allowed, cutoff)
    return settle(net, sources, found, allowed, cutoff, budget, witnesses=witnesses)


def settle(net: Net, sources: Collection[str], found: tuple, allowed: Collection[str] | None,
           cutoff: int | None, budget: int, *, witnesses: bool = True) -> tuple:
    """:func:`signed_reach` once its breadth-first search is made (``found``: what
    :func:`_bfs` gives): the signs of the looping walks confirmed, or left out."""
    best, nearest, signs, later = found
    looping: set[State] = set()  # states whose recorded walk visits a node twice
    pending: dict[State, int] = {}
    # a walk as short as the shortest walk to its node is simple; a longer one (``later``,
    # in BFS order: a parent precedes its child) loops if its parent's does or if it came
    # by its own node before
    for state in later:
        d, _, parent, _ = best[state]
        v = state[0]
        near = nearest[v]
        if parent in looping or _revisits(best, parent, v, near):
            looping.add(state)
            if v not in sources:
                pending[state] = d
    truncated: set[str] = set()
    found: dict = {}
    if pending:
        # budget 0: no confirming search at all; such signs are left out, marked truncated
        found, exhausted = (_confirm_steps(net, sources, pending, allowed, cutoff, budget)
                            if budget > 0 else ({}, True))
        for v, s in pending:
            if (v, s) not in found:
                signs[v] &= ~_SIGN_BIT[s]
                if exhausted:
                    truncated.add(v)
        if witnesses:
            found = _paths(net, found)
    return best, signs, truncated, found


#: sign -> its bit, and a bit set -> the frozenset of its signs (one of eight, shared)
_SIGN_BIT = {1: 1, -1: 2, 0: 4}
_SIGN_SETS = [frozenset(s for s, bit in _SIGN_BIT.items() if bits & bit) for bits in range(8)]


def _revisits(best: Mapping[State, tuple], state: State, node: str, floor: int) -> bool:
    """Whether ``node`` is on the walk recorded for ``state`` at least ``floor`` hops from
    its start (a node is never nearer the start than its nearest distance)."""
    while state is not None:
        d, _, parent, _ = best[state]
        if d < floor:
            return False
        if state[0] == node:
            return True
        state = parent
    return False


def _bfs(net: Net, sources: Collection[str], allowed: Collection[str] | None,
         cutoff: int | None) -> tuple[dict[State, tuple], dict[str, int], dict[str, int],
                                      list[State]]:
    """Layered BFS over (node, sign): state -> (distance, weakest rank, parent, hop sign).

    Among equally short walks the one with the strongest weakest evidence wins. Also
    node -> its nearest distance, node -> the bit set of the signs that reach it (sources
    left out), and the states farther than their node's nearest distance, in BFS order
    (the walks that may loop).
    """
    best: dict[State, tuple] = {}
    nearest: dict[str, int] = {}
    signs: dict[str, int] = {}
    later: list[State] = []
    layer: list[State] = []
    for src in sorted(sources):
        best[(src, 1)] = (0, -1, None, 1)
        nearest.setdefault(src, 0)
        layer.append((src, 1))
    starts = set(sources)
    succ = net.succ
    bit, seen = _SIGN_BIT, nearest.get
    d = 0
    while layer and (cutoff is None or d < cutoff):
        d += 1
        nxt: list[State] = []
        for state in layer:
            u, p = state
            bu = best[state][1]
            for v, e, rank in succ.get(u, ()):
                if allowed is not None and v not in allowed:
                    continue
                q = p * e
                st = (v, q)
                b = bu if bu > rank else rank
                old = best.get(st)
                if old is None:
                    best[st] = (d, b, state, e)
                    nxt.append(st)
                    near = seen(v)
                    if near is None:
                        nearest[v] = d
                    elif near < d:
                        later.append(st)
                    if v not in starts:
                        signs[v] = signs.get(v, 0) | bit[q]
                elif old[0] == d and b < old[1]:
                    best[st] = (d, b, state, e)
        layer = nxt
    return best, nearest, signs, later


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


def _confirm_steps(net: Net, sources: Collection[str], pending: Mapping[State, int],
                   allowed: Collection[str] | None, cutoff: int | None,
                   budget: int) -> tuple[dict[State, tuple[int, str, list]], bool]:
    """Shortest simple paths for the (node, sign) states whose shortest walk loops.

    ``pending`` maps each state to its walk distance, a floor no simple path beats. One
    depth-first pass over the simple paths from the sources, pruned by the walk distance
    still needed to end on a pending state and by the longest path still worth finding:
    state -> (hops, source, steps) of its path, and whether the budget ran out first.
    """
    dist = _goal_distances(net.pred, pending, allowed)
    cap = [cutoff if cutoff is not None else len({u for u, _ in dist})]
    best: dict[State, tuple[int, str, list[tuple[str, int]]]] = {}
    open_ = set(pending)  # not yet found at their floor
    work = [0]
    for src in sorted(sources):
        if (src, 1) not in dist:
            continue
        for st, depth, steps in _steps(net, src, pending, dist, allowed, cap, work, budget):
            if st not in best or depth < best[st][0]:
                best[st] = (depth, src, list(steps))
                if depth == pending[st]:
                    open_.discard(st)
                if len(best) == len(pending):  # nothing longer is worth finding now
                    cap[0] = max(length for length, _, _ in best.values())
                if not open_:
                    return best, False
        if work[0] >= budget:
            return best, len(best) < len(pending)
    return best, False


def _paths(net: Net, best: Mapping[State, tuple[int, str, list]]) -> dict[State, Path]:
    return {st: net.path(src, steps) for st, (_, src, steps) in best.items()}


def _goal_distances(pred: Mapping[str, list], goals: Collection[State],
                    allowed: Collection[str] | None, max_rank: int = NO_GRADE,
                    weak: Collection[tuple[str, str, int]] = ()) -> dict[State, int]:
    """(u, p) -> fewest hops from u, reached with sign p so far, to a goal (v, q): a node
    reached with sign q. Walk distances: a lower bound for simple paths."""
    dist = {st: 0 for st in goals}
    queue = deque(sorted(dist))
    while queue:
        st = queue.popleft()
        v, q = st
        d = dist[st] + 1
        for u, e, r in pred.get(v, ()):
            if (allowed is not None and u not in allowed) or r > max_rank or \
                    (weak and (u, v, e) in weak):
                continue
            if e != 0:
                prev: tuple[State, ...] = ((u, q * e),)  # p * e == q, and p == 0 iff q == 0
            elif q == 0:
                prev = ((u, 1), (u, -1), (u, 0))
            else:
                continue
            for nst in prev:
                if nst not in dist:
                    dist[nst] = d
                    queue.append(nst)
    return dist


def _search(net: Net, sources: Collection[str], goals: Collection[State],
            allowed: Collection[str] | None, cutoff: int | None, budget: int,
            take: Callable[[Path], bool], max_rank: int = NO_GRADE,
            weak: Collection[tuple[str, str, int]] = ()) -> bool:
    """Feed ``take`` every simple path from a source to a goal state, shortest first
    (iterative deepening), until it returns True; returns whether the budget ran out.
    Hops whose evidence rank is above ``max_rank``, and hops in ``weak``, are not walked."""
    dist = _goal_distances(net.pred, goals, allowed, max_rank, weak)
    lo = min((dist[(s, 1)] for s in sources if (s, 1) in dist), default=None)
    if lo is None:
        return False
    limit = cutoff if cutoff is not None else len({u for u, _ in dist})
    work = [0]
    for length in range(max(lo, 1), limit + 1):
        for src in sorted(sources):
            if (src, 1) not in dist:
                continue
            for _, depth, steps in _steps(net, src, goals, dist, allowed, [length], work,
                                          budget, exact=True, max_rank=max_rank, weak=weak):
                if depth == length and take(net.path(src, steps)):
                    return False
        if work[0] >= budget:
            return True
    return False


def _steps(net: Net, src: str, goals: Collection[State], dist: Mapping[State, int],
           allowed: Collection[str] | None, bound: list[int], work: list[int], budget: int, *,
           exact: bool = False, max_rank: int = NO_GRADE,
           weak: Collection[tuple[str, str, int]] = ()) -> Iterator[tuple[State, int, list[tuple[str, int]]]]:
    """A depth-first pass over the simple paths from ``src`` that can still end on a goal
    state within ``bound[0]`` hops: ``(state, depth, steps)`` for each step onto a goal.

    The one loop under :func:`_confirm_steps` (one pass, its bound lowered by the caller as
    goals are found) and :func:`_search` (paths of exactly ``bound[0]`` hops when
    ``exact``: a step at the bound ends its path). ``dist`` bounds the hops still needed
    from each state (absent: hopeless); ``steps`` is the path so far, the live list (copy
    it to keep it). ``work`` counts edge expansions against ``budget``.
    """
    on_path = {src}
    steps: list[tuple[str, int]] = []
    stack = [(1, iter(net.succ.get(src, ())))]
    done = work[0]  # counted here, in a local, and handed back at the end: a hot loop
    try:
        while stack and done < budget:
            p, it = stack[-1]
            depth = len(steps) + 1
            u = steps[-1][0] if steps else src
            limit = bound[0]
            for v, e, r in it:
                done += 1
                if v in on_path or (allowed is not None and v not in allowed) or r > max_rank \
                        or (weak and (u, v, e) in weak):
                    continue
                q = p * e
                n = dist.get((v, q))
                if n is None or depth + n > limit:
                    continue
                steps.append((v, e))
                st = (v, q)
                if st in goals:
                    yield st, depth, steps
                    limit = bound[0]
                if exact and depth == limit:
                    steps.pop()
                    continue
                on_path.add(v)
                stack.append((q, iter(net.succ.get(v, ()))))
                break
            else:
                stack.pop()
                if steps:
                    on_path.discard(steps.pop()[0])
    finally:
        work[0] = done


def simple_paths(net: Net, sources: Collection[str], targets: Collection[str], *,
                 sign: int | None = None, cutoff: int, limit: int | None = None,
                 budget: int = BUDGET, max_rank: int = NO_GRADE,
                 allowed: Collection[str] | None = None,
                 weak: Collection[tuple[str, str, int]] = ()) -> tuple[list[Path], bool]:
    """Simple paths from any source to any target, shortest first (at most ``cutoff``
    hops, ``limit`` paths), with the given overall sign if any. Returns the paths and
    whether the budget ran out before all were found. When ``limit`` stops the search
    partway through a length, the paths of that length are the first in node order.
    Only hops of evidence rank ``max_rank`` or stronger, not in ``weak`` ((u, v, sign)),
    and only nodes in ``allowed`` (default: all), are walked."""
    signs = (1, -1, 0) if sign is None else (sign,)
    goals = {(t, s) for t in targets for s in signs}
    found: list[Path] = []

    def take(path: Path) -> bool:
        found.append(path)
        return limit is not None and len(found) >= limit

    exhausted = _search(net, sources, goals, allowed, cutoff, budget, take, max_rank, weak)
    # iterative deepening gives them by length; within a length, strongest evidence first
    return sorted(found, key=path_order), exhausted
