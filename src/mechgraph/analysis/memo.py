"""Simple paths for many targets from one walk: the explanations a query shows.

A query that explains many answers of one drug (``shared`` over many pathways asks for
the path behind every cell) searches the same net from the same sources once per
answer: :func:`~mechgraph.analysis.search.simple_paths` deepens one length at a time,
each pass a depth-first walk pruned toward that one target. :class:`PathMemo` walks
each (net, sources, filters, cutoff) once, with no target, and keeps every simple path
it meets, indexed by the state it ends on; later questions read the index.

The answers are exactly those of :func:`~mechgraph.analysis.search.simple_paths`: a
pass of the iterative search walks a subset of the prefixes this walk does (it is the
same depth-first order, pruned), so its paths of one length come in the same order,
and when ``cutoff`` passes of this walk's work stay under the budget, no pass of the
iterative search could have run out of it. When they would not (a dense net), the walk
is abandoned and the ordinary search answers.
"""

from __future__ import annotations

from typing import Collection

from .net import NO_GRADE, Net, Path, path_order
from .search import simple_paths

__all__ = ["PathMemo"]


class _Table:
    """Every simple path of at most ``cutoff`` hops from the sources, by end state."""

    __slots__ = ("net", "allowed", "work", "ends")

    def __init__(self, net: Net, allowed: Collection[str] | None, work: int,
                 ends: dict[tuple[str, int], list[tuple]]) -> None:
        self.net, self.allowed = net, allowed  # kept so that their ids stay theirs
        self.work = work  # edge expansions, counted as the iterative search counts them
        #: (node, sign) -> [(hops, order, source, last step), ...] in the order the
        #: iterative search finds them: by length, then in the walk's order
        self.ends = ends


def _walk(net: Net, sources: Collection[str], allowed: Collection[str] | None,
          cutoff: int, max_rank: int, weak: Collection[tuple[str, str, int]],
          cap: int) -> _Table | None:
    """The table, or None once the work passes ``cap``."""
    ends: dict[tuple[str, int], list[tuple]] = {}
    succ = net.succ
    done = 0
    order = 0
    for src in sorted(sources):
        on_path = {src}
        # a step is (node, sign of the hop, the step before); the source's is None
        stack = [(1, iter(succ.get(src, ())), None, src)]
        while stack:
            p, it, last, u = stack[-1]
            depth = len(stack)  # hops of a path ending on a step pushed now
            for v, e, r in it:
                done += 1
                if v in on_path or (allowed is not None and v not in allowed) or r > max_rank \
                        or (weak and (u, v, e) in weak):
                    continue
                q = p * e
                step = (v, e, last)
                order += 1
                found = ends.get((v, q))
                if found is None:
                    ends[(v, q)] = [(depth, order, src, step)]
                else:
                    found.append((depth, order, src, step))
                if depth < cutoff:
                    on_path.add(v)
                    stack.append((q, iter(succ.get(v, ())), step, v))
                    break
            else:
                stack.pop()
                if last is not None:
                    on_path.discard(u)
            if done > cap:
                return None
    for found in ends.values():
        found.sort()  # by length, then in the walk's order (sources sorted, depth first)
    return _Table(net, allowed, done, ends)


def _steps(step: tuple) -> list[tuple[str, int]]:
    out = []
    while step is not None:
        v, e, step = step
        out.append((v, e))
    out.reverse()
    return out


class PathMemo:
    """:func:`~mechgraph.analysis.search.simple_paths` for many targets of the same
    sources, answered from one walk per net and filters (see the module's text)."""

    __slots__ = ("_tables", "_paths")

    def __init__(self) -> None:
        self._tables: dict[tuple, _Table | None] = {}
        # (net, source, last step) -> its Path: a path is a value, made once per net
        self._paths: dict[tuple, Path] = {}

    def simple_paths(self, net: Net, sources: Collection[str], targets: Collection[str], *,
                     sign: int | None, cutoff: int, limit: int | None, budget: int,
                     max_rank: int = NO_GRADE, allowed: Collection[str] | None = None,
                     weak: Collection[tuple[str, str, int]] = frozenset()) -> list[Path]:
        """The paths ``simple_paths(...)[0]`` gives for the same arguments."""
        key = (id(net), tuple(sources), id(allowed), cutoff, max_rank, weak)
        if key in self._tables:
            table = self._tables[key]
        else:
            # the iterative search makes at most ``cutoff`` passes, each walking no more
            # than this walk: under this cap it cannot run out of its budget
            cap = (budget - 1) // max(cutoff, 1)
            table = self._tables[key] = _walk(net, sources, allowed, cutoff, max_rank,
                                              weak, cap)
        if table is None or cutoff * table.work >= budget:
            return simple_paths(net, sources, targets, sign=sign, cutoff=cutoff, limit=limit,
                                budget=budget, max_rank=max_rank, allowed=allowed,
                                weak=weak)[0]
        signs = (1, -1, 0) if sign is None else (sign,)
        goals = {(t, s) for t in targets for s in signs}
        if len(goals) == 1:
            hits = table.ends.get(goals.pop(), [])
        else:
            hits = sorted(h for st in goals for h in table.ends.get(st, ()))
        if limit is not None:
            hits = hits[:limit]
        made = self._paths
        found = []
        for _, _, src, step in hits:
            p = made.get((id(net), src, step))
            if p is None:
                p = made[(id(net), src, step)] = net.path(src, _steps(step))
            found.append(p)
        return sorted(found, key=path_order)
