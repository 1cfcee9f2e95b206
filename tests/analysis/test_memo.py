"""PathMemo answers exactly what the iterative simple-path search answers."""

from __future__ import annotations

import itertools
import random

import pytest

from mechgraph.analysis.memo import PathMemo
from mechgraph.analysis.net import NO_GRADE, Net
from mechgraph.analysis.search import simple_paths
from mechgraph.model import Effect

ARROW = {1: Effect.POSITIVE, -1: Effect.NEGATIVE, 0: Effect.UNKNOWN}


def random_net(seed: int, nodes: int, edges: int) -> Net:
    rng = random.Random(seed)
    names = [f"n{i}" for i in range(nodes)]
    seen, tuples = set(), []
    while len(tuples) < edges:
        u, v = rng.sample(names, 2)
        sign = rng.choice((1, 1, -1, 0))
        if (u, v, sign) in seen:
            continue
        seen.add((u, v, sign))
        seeds = " ".join(f"s{rng.randrange(4)}" for _ in range(rng.randrange(1, 4)))
        tuples.append((u, v, "p", ARROW[sign], sign, rng.choice((0, 1, 2, NO_GRADE)), 0, seeds))
    return Net.from_edges(tuples)


def both(memo: PathMemo, net: Net, sources, targets, **kw):
    ours = memo.simple_paths(net, sources, targets, **kw)
    theirs = simple_paths(net, sources, targets, **kw)[0]
    return ours, theirs


@pytest.mark.parametrize("seed", range(6))
def test_same_paths_as_the_iterative_search(seed):
    net = random_net(seed, nodes=9, edges=22)
    weak_sets = [frozenset(), *net.below().values()]
    memo = PathMemo()
    allowed = {f"n{i}" for i in range(9) if i != 4}
    compared = nonempty = 0
    for sources, target, sign, cutoff, limit, rank, weak, allow in itertools.product(
            (["n0"], ["n1", "n0"]), ("n3", "n5", "n8"), (1, -1, 0, None), (3, 6),
            (1, 10, None), (0, 2, NO_GRADE), weak_sets[:2], (None, allowed)):
        ours, theirs = both(memo, net, sources, [target], sign=sign, cutoff=cutoff,
                            limit=limit, budget=200_000, max_rank=rank, weak=weak,
                            allowed=allow)
        assert ours == theirs
        compared += 1
        nonempty += bool(theirs)
    assert nonempty > compared // 10  # dense enough to have paths to compare


def test_many_targets_at_once():
    net = random_net(11, nodes=8, edges=20)
    memo = PathMemo()
    for limit in (1, 4, None):
        ours, theirs = both(memo, net, ["n0"], ["n2", "n5", "n6", "n2"], sign=None, cutoff=5,
                            limit=limit, budget=200_000)
        assert ours == theirs and theirs


@pytest.mark.parametrize("budget,walked", [(50, False), (200, False), (4_354, False),
                                           (4_355, True), (20_000, True)])
def test_a_budget_the_search_could_run_out_of_falls_back_to_it(budget, walked):
    # this net's walk to 7 hops from n0 takes 622 expansions: 7 passes of the iterative
    # search stay under the budget from 7 * 622 + 1 on, and the memo answers from its
    # walk only then; below, the search itself answers (at 50 and 200 it runs out, and
    # its partial answer is what the memo must give too)
    net = random_net(2, nodes=10, edges=28)
    memo = PathMemo()
    runs_out = False
    for target, sign in itertools.product(("n2", "n7", "n9"), (1, -1, 0)):
        ours, theirs = both(memo, net, ["n0"], [target], sign=sign, cutoff=7, limit=10,
                            budget=budget)
        assert ours == theirs
        runs_out |= simple_paths(net, ["n0"], [target], sign=sign, cutoff=7, limit=10,
                                 budget=budget)[1]
    (table,) = memo._tables.values()
    assert (table is not None and 7 * table.work < budget) is walked
    assert runs_out is (budget <= 200)


def test_the_walk_is_kept_and_shared_between_targets():
    net = random_net(5, nodes=9, edges=22)
    memo = PathMemo()
    first = memo.simple_paths(net, ["n0"], ["n3"], sign=None, cutoff=6, limit=10,
                              budget=200_000)
    again = memo.simple_paths(net, ["n0"], ["n3"], sign=None, cutoff=6, limit=10,
                              budget=200_000)
    assert len(memo._tables) == 1 and first == again
    assert all(a is b for a, b in zip(first, again))  # one Path per path, not rebuilt
