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

:func:`ranked_first` answers an explanation (the first of the ranked candidates) from the
same walks, comparing candidates by their order keys and making only the winner a path.
"""

from __future__ import annotations

from typing import Collection, Sequence

from .net import NO_GRADE, Net, Path, path_order
from .search import simple_paths

__all__ = ["PathMemo", "ranked_first"]


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

    __slots__ = ("_tables", "_paths", "_hop_keys", "_kept", "_plans")

    def __init__(self) -> None:
        self._tables: dict[tuple, _Table | None] = {}
        # ranked_first's tag -> hop -> what why_order reads of it
        self._hop_keys: dict[tuple, dict] = {}
        self._kept: list = []
        # (nets, full net, scope, sources, allowed) -> ranked_first's searches
        self._plans: dict[tuple, list] = {}
        # (net, source, last step) -> its Path: a path is a value, made once per net
        self._paths: dict[tuple, Path] = {}

    def simple_paths(self, net: Net, sources: Collection[str], targets: Collection[str], *,
                     sign: int | None, cutoff: int, limit: int | None, budget: int,
                     max_rank: int = NO_GRADE, allowed: Collection[str] | None = None,
                     weak: Collection[tuple[str, str, int]] = frozenset()) -> list[Path]:
        """The paths ``simple_paths(...)[0]`` gives for the same arguments."""
        hits = self._hits(net, sources, targets, sign=sign, cutoff=cutoff, limit=limit,
                          budget=budget, max_rank=max_rank, allowed=allowed, weak=weak)
        if hits and isinstance(hits[0], Path):
            return hits  # the ordinary search answered
        made = self._paths
        found = []
        for src, step in hits:
            p = made.get((id(net), src, step))
            if p is None:
                p = made[(id(net), src, step)] = net.path(src, _steps(step))
            found.append(p)
        return sorted(found, key=path_order)

    def _table(self, net: Net, sources: Collection[str], allowed: Collection[str] | None,
               cutoff: int, max_rank: int, weak: Collection[tuple[str, str, int]],
               budget: int) -> _Table | None:
        """The walk for these arguments, or None when it cannot answer for ``budget``."""
        key = (id(net), tuple(sources), id(allowed), cutoff, max_rank, weak)
        if key in self._tables:
            table = self._tables[key]
        else:
            # the iterative search makes at most ``cutoff`` passes, each walking no more
            # than this walk: under this cap it cannot run out of its budget
            cap = (budget - 1) // max(cutoff, 1)
            table = self._tables[key] = _walk(net, sources, allowed, cutoff, max_rank,
                                              weak, cap)
        return None if table is None or cutoff * table.work >= budget else table

    def _hits(self, net: Net, sources: Collection[str], targets: Collection[str], *,
              sign: int | None, cutoff: int, limit: int | None, budget: int,
              max_rank: int, allowed: Collection[str] | None,
              weak: Collection[tuple[str, str, int]]) -> list:
        """The answer as ``(source, last step)`` pairs in the walk's order, or as the
        paths of the ordinary search when the walk cannot answer."""
        table = self._table(net, sources, allowed, cutoff, max_rank, weak, budget)
        if table is None:
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
        return [(src, step) for _, _, src, step in hits]


def ranked_first(tiers: Sequence[Net], full: Net, sources: Collection[str],
                 targets: Collection[str], *, sign: int | None, cutoff: int,
                 limit: int | None, budget: int, scope: Collection[str] | None,
                 allowed: Collection[str] | None, memo: PathMemo) -> Path | None:
    """The first path :func:`~mechgraph.analysis.reach.ranked_paths` gives for the same
    arguments (with ``memo``), made alone: the candidates are compared by
    :func:`~mechgraph.analysis.net.why_order` keys read from the full net's hops, and
    only the winner becomes a :class:`Path`."""
    tag = (tuple(map(id, tiers)), id(full), id(scope), tuple(sources), id(allowed), cutoff,
           budget)
    plan = memo._plans.get(tag)
    if plan is None:
        # the searches ranked_paths makes, in its order: per net, per evidence grade
        # present, per support level (the hops below it left out), then with every hop
        plan = []
        for net in tiers:
            below = net.below()
            grades = net.grades()
            plan += [[net, level, weak, _UNSET] for level in range(NO_GRADE + 1)
                     if level in grades for weak in [*below.values(), frozenset()]]
        memo._plans[tag] = plan
        memo._kept.append((tiers, full, scope, allowed))  # so that their ids stay theirs
    hop_keys = memo._hop_keys.get(tag)
    if hop_keys is None:
        hop_keys = memo._hop_keys[tag] = {}
    signs_wanted = (1, -1, 0) if sign is None else (sign,)
    goals = [(t, s) for t in targets for s in signs_wanted]
    one = goals[0] if len(goals) == 1 else None
    seen: set[tuple] = set()  # (nodes, hop signs): a path found on several nets is one
    best: tuple | None = None
    for entry in plan:
        net, level, weak, table = entry
        if table is _UNSET:
            table = entry[3] = memo._table(net, sources, allowed, cutoff, level, weak, budget)
        if table is None:  # the walk cannot answer: the ordinary search does
            paths = simple_paths(net, sources, targets, sign=sign, cutoff=cutoff, limit=limit,
                                 budget=budget, max_rank=level, allowed=allowed, weak=weak)[0]
            hits = [(p.start, p) for p in paths]
        elif one is not None:
            hits = table.ends.get(one)
            if not hits:
                continue
            if limit is not None:
                hits = hits[:limit]
        else:
            hits = sorted(h for st in goals for h in table.ends.get(st, ()))
            if limit is not None:
                hits = hits[:limit]
        for hit in hits:
            last = hit[-1]
            if isinstance(last, Path):
                nodes, signs = last.nodes, tuple(h.sign for h in last.hops)
            else:
                steps = _steps(last)
                nodes = (hit[-2], *[v for v, _ in steps])
                signs = tuple([e for _, e in steps])
            ident = (nodes, signs)
            if ident in seen:
                continue
            seen.add(ident)
            key = _why_key(full, nodes, signs, scope, hop_keys)
            if best is None or key < best:
                best = key
        if limit is not None and len(seen) >= limit:
            break
    if best is None:
        return None
    nodes, signs = best[5], best[7]
    return full.path(nodes[0], list(zip(nodes[1:], signs)))


_UNSET = object()  # a search of the plan not made yet


_SIGN_ORDER = {1: 0, -1: 1, 0: 2}  # as net.why_order orders hop signs


def _why_key(full: Net, nodes: tuple[str, ...], signs: tuple[int, ...],
             scope: Collection[str] | None,
             cache: dict[tuple[str, str, int], tuple[int, int, int, bool]]) -> tuple:
    """``why_order`` of the full net's path through ``nodes`` with ``signs`` (its last
    item, the hop signs themselves, added to make the path again)."""
    rel, rank, support, stated = 0, -1, None, True
    u = nodes[0]
    for v, e in zip(nodes[1:], signs):
        k = (u, v, e)
        h = cache.get(k)
        if h is None:
            hop = full.hop(u, v, e)
            h = cache[k] = (hop.relation, hop.rank, hop.support,
                            scope is None or hop.stated(scope))
        if h[0] > rel:
            rel = h[0]
        if h[1] > rank:
            rank = h[1]
        if support is None or h[2] < support:
            support = h[2]
        if not h[3]:
            stated = False
        u = v
    return (rel, 0 if stated else 1, NO_GRADE if rank < 0 else rank, -(support or 0),
            len(signs), nodes, tuple(_SIGN_ORDER[e] for e in signs), signs)
