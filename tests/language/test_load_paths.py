"""The loader's quick paths read exactly what the plain reading gives.

A generated project (chains, synonyms, names in any case, compartments, long-form edges,
repeated edges, non-ASCII and padded names, summaries with a default 'via') is read by the
loader and by a small independent reader built on PyYAML's own composer here; the edges,
their evidence and their places must agree. Errors stay per line where a quick path could
have hidden a repeat.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import random
import threading
from pathlib import Path

import pytest
import yaml

from mechgraph.errors import MechgraphError
from mechgraph.language import load as load_module
from mechgraph.language.fields import maker
from mechgraph.language.load import load_project, load_text
from mechgraph.language.parse import MAX_BYTES, read_bounded
from mechgraph.model import Edge, Effect, Evidence, Grade, Location, NodeRef, Relation, SeedRef

NAMES = [f"e{i}" for i in range(40)]


def _catalog() -> str:
    lines = ["sources:", "  gen: {title: A source}", "compartments:", "  c1: One", "  c2: Two",
             "entities:", "  drug0: drug", "  'Ψ-ligand': {kind: drug, synonyms: [psi ligand]}"]
    lines += [f"  {n}: {{kind: protein, label: Entity {n}, synonyms: [E-{n[1:]}]}}" for n in NAMES]
    return "\n".join(lines) + "\n"


def _spelling(rng: random.Random, name: str) -> str:
    """One of the ways a name may be written: id, synonym, another case, padded."""
    name, at, comp = name.partition("@")
    if name.startswith("e"):
        name = rng.choice([name, name, f"E-{name[1:]}", name.upper(), f"Entity {name}"])
    return name + at + comp


def _pathway(rng: random.Random, i: int) -> str:
    out = [f"pathway: p{i}", "drugs: [drug0]"]
    summary = i % 7 == 3
    if i % 3 == 0:
        out.append("defaults: {evidence: preclinical, seed: gen:1, cite: [pmid:12345]}")
    elif summary:
        out.append("defaults: {relation: summary, via: [e1, e2]}")
    out.append("edges:")
    seen: list[str] = []
    pairs: dict[tuple[str, str], str] = {}
    for n in range(rng.randint(5, 25)):
        hops = rng.choice([1, 1, 1, 2])
        nodes = [rng.choice(NAMES + ["drug0", "Ψ-ligand"]) for _ in range(hops + 1)]
        nodes = [f"{x}@{rng.choice(['c1', 'c2'])}" if rng.random() < 0.2 and x != "drug0"
                 else x for x in nodes]
        # one arrow per pair of nodes in a pathway (another would be a contradiction)
        arrows = [pairs.setdefault((u, v), rng.choice(["->", "->", "-|", "=>", "~>", ">>"]
                                                      if summary else
                                                      ["->", "->", "-|", "=>", "~>", ">>", "--"]))
                  for u, v in zip(nodes, nodes[1:])]
        words = [_spelling(rng, nodes[0])]
        for a, x in zip(arrows, nodes[1:]):
            words += [a, _spelling(rng, x)]
        chain = " ".join(words)
        if rng.random() < 0.1 and seen:  # the same edge again
            chain = rng.choice(seen)
        seen.append(chain)
        form = rng.random()
        if form < 0.15:
            out += [f"  - edge: {chain}", "    evidence: clinical",
                    f"    cite: [doi:10.1000/x.{i}.{n}]", "    note: Its own evidence."]
        elif form < 0.25:
            out.append(f'  - "  {chain} "')  # quoted, padded
        else:
            out.append(f"  - {chain}")
    return "\n".join(out) + "\n"


def _write(folder: Path, pathways: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    (folder / "entities.yaml").write_text(_catalog(), encoding="utf-8")
    for i in range(pathways):
        (folder / f"p{i}.yaml").write_text(_pathway(rng, i), encoding="utf-8")


# -- an independent, plain reader of the same files ---------------------------------------


def _compose(path: Path) -> yaml.Node:
    return yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


def _value(node: yaml.Node, key: str) -> yaml.Node | None:
    for k, v in node.value:
        if k.value == key:
            return v
    return None


def _expected(folder: Path) -> dict[str, list[tuple]]:
    """pathway -> [(source key, target key, effect, relation, via, evidence, line)]."""
    import re

    catalog = yaml.safe_load((folder / "entities.yaml").read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for eid, body in catalog["entities"].items():
        names[eid] = eid
        if isinstance(body, dict):
            names[body.get("label", eid)] = eid
            for s in body.get("synonyms", []):
                names[s] = eid
    folded = {n.casefold(): e for n, e in names.items()}

    def ref(text: str) -> str:
        name, _, comp = text.strip().partition("@")
        name = name.strip()
        eid = names.get(name) or folded[name.casefold()]
        return f"{eid}@{comp.strip()}" if comp else eid

    out: dict[str, list[tuple]] = {}
    for f in sorted(folder.glob("p*.yaml")):
        root = _compose(f)
        pid = _value(root, "pathway").value
        defaults = _value(root, "defaults")
        d = {k.value: v for k, v in defaults.value} if defaults is not None else {}
        edges: dict[tuple[str, str], tuple] = {}
        for item in _value(root, "edges").value:
            line = item.start_mark.line + 1
            if isinstance(item, yaml.MappingNode):
                attrs = {k.value: v for k, v in item.value}
                chain = attrs["edge"].value
                seed = SeedRef("gen", 1, 1) if "seed" in d else None  # the default's
                evidence = (Evidence(Grade(attrs["evidence"].value),
                                     tuple(c.value for c in attrs["cite"].value), seed, (),
                                     attrs["note"].value),)
            else:
                chain = item.value
                evidence = ((Evidence(Grade.PRECLINICAL, ("pmid:12345",), SeedRef("gen", 1, 1)),)
                            if "evidence" in d else ())
            parts = [s.strip() for s in re.split(r"(->|-\||=>|~>|>>|--)", chain.strip())]
            keys = [ref(n) for n in parts[0::2]]
            for a, (s, t) in zip(parts[1::2], zip(keys, keys[1:])):
                effect = Effect(a)
                relation = (Relation.ASSOCIATION if a == "--" else
                            Relation.SUMMARY if "relation" in d else Relation.MECHANISM)
                via = (tuple(ref(v.value) for v in d["via"].value)
                       if relation is Relation.SUMMARY else ())
                old = edges.get((s, t))
                if old is None:
                    edges[(s, t)] = (s, t, effect, relation, via, evidence, line)
                else:  # the same statement again: its new evidence joins the first
                    assert old[2] is effect and old[3] is relation
                    more = tuple(e for e in evidence if e not in old[5])
                    edges[(s, t)] = old[:5] + (old[5] + more, old[6])
        out[pid] = list(edges.values())
    return out


def test_loader_agrees_with_a_plain_reader(tmp_path: Path) -> None:
    _write(tmp_path, 60)
    project = load_project(tmp_path)
    got = {pid: [(str(e.source), str(e.target), e.effect, e.relation, e.via, e.evidence,
                  e.location.line) for e in p.edges]
           for pid, p in project.pathways.items()}
    want = _expected(tmp_path)
    assert got == want
    assert sum(map(len, got.values())) > 600
    # every edge is an Edge as its constructor makes it, in its file
    for p in project.pathways.values():
        for e in p.edges:
            assert type(e) is Edge and e.location.path == str(tmp_path / f"{p.id}.yaml")
            assert e == Edge(*(getattr(e, f.name) for f in dataclasses.fields(Edge)))


def test_each_repeated_mistake_is_reported_at_its_line() -> None:
    text = ("pathway: p\nentities: {a: drug, b: protein}\nedges:\n"
            "  - a -> b\n  - a -> zz\n  - b -> zz\n  - a -> b\n")
    with pytest.raises(MechgraphError) as caught:
        load_text(text, path="p.yaml", strict=True)
    lines = [(d.line, d.message.split(" (")[0].split(";")[0]) for d in caught.value.diagnostics]
    assert lines == [
        (4, "edge has no evidence grade"), (4, "edge has no seed place"),
        (5, "edge has no evidence grade"), (5, "edge has no seed place"),
        (5, "unknown node 'zz'"),
        (6, "edge has no evidence grade"), (6, "edge has no seed place"),
        (6, "unknown node 'zz'"),
        (7, "edge has no evidence grade"), (7, "edge has no seed place"),
    ]


def test_a_quick_edge_after_a_long_one_keeps_its_own_evidence() -> None:
    text = ("pathway: p\nentities: {a: drug, b: protein, c: protein}\n"
            "defaults: {evidence: review}\nedges:\n"
            "  - {edge: a -> b, evidence: clinical}\n  - a -> b\n  - b -| c\n  - b -> c\n")
    with pytest.raises(MechgraphError) as caught:
        load_text(text, path="p.yaml")
    assert [str(d) for d in caught.value.diagnostics] == [
        "p.yaml:8: edge b -> c contradicts b -| c on line 7: the same edge with the opposite "
        "effect in one pathway; keep one"]
    ok = load_text(text.replace("  - b -> c\n", ""), path="p.yaml")
    [ab, bc] = ok.pathways["p"].edges
    assert ab.evidence == (Evidence(Grade.CLINICAL), Evidence(Grade.REVIEW))
    assert ab.location == Location("p.yaml", 5) and bc.location == Location("p.yaml", 7)


def test_maker_makes_what_the_constructor_makes() -> None:
    make = maker(Edge)
    a, b = NodeRef("a"), NodeRef("b", "c1")
    args = (a, b, Effect.NEGATIVE, (), None, Location("x.yaml", 3), Relation.MECHANISM, (), False)
    made, built = make(*args), Edge(*args)
    assert type(made) is Edge and made == built and hash(made) == hash(built)
    assert repr(made) == repr(built)
    assert pickle.loads(pickle.dumps(made)) == built
    assert dataclasses.replace(made, label="x") == dataclasses.replace(built, label="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.label = "x"  # type: ignore[misc]


def test_read_bounded_reads_to_the_limit_whatever_the_size_says(tmp_path: Path) -> None:
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(b"#" * MAX_BYTES)
    assert len(read_bounded(exact)) == MAX_BYTES
    over = tmp_path / "over.yaml"
    over.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(MechgraphError, match=r"file is 1,048,577 bytes; pathway files may be"):
        read_bounded(over)
    # a device reports no size: it is read up to the limit, then refused
    with pytest.raises(MechgraphError, match=r"file is more than 1,048,576 bytes"):
        read_bounded("/dev/zero")
    # a pipe reports no size either: what it holds is read whole
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    body = b"pathway: p\n" * 5000
    writer = threading.Thread(target=fifo.write_bytes, args=(body,))
    writer.start()
    try:
        assert read_bounded(fifo) == body
    finally:
        writer.join()


def test_files_in_folders_are_shown_as_each_resolves(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "a" / "one.yaml").write_text("x: 1\n")
    (tmp_path / "a" / "b" / "two.yaml").write_text("x: 1\n")
    (tmp_path / "elsewhere" / "real.yaml").write_text("x: 1\n")
    (tmp_path / "a" / "link.yaml").symlink_to(tmp_path / "elsewhere" / "real.yaml")
    (tmp_path / "a" / "linked").symlink_to(tmp_path / "a" / "b")
    monkeypatch.chdir(tmp_path / "a")
    found = sorted(Path(".").rglob("*.yaml")) + [Path("linked/two.yaml"),
                                                  tmp_path / "a" / "one.yaml"]
    cwd = Path.cwd().resolve()
    assert load_module._show_found(found, cwd) == [load_module._show(f, cwd) for f in found]
    # a linked file outside the working folder is shown as given; a file in a linked
    # folder as where it is
    assert load_module._show_found(found, cwd) == ["b/two.yaml", "link.yaml", "one.yaml",
                                                   "b/two.yaml", "one.yaml"]
