"""A 120,000-edge signed SIF imports and answers shared, paths, effect and knockout.

A known cascade (two drugs converging on GLU and BDNF) sits inside a generated network:
random edges go only from the cascade into the generated genes and from lower- to
higher-numbered genes, so nothing leads back into the cascade and its answers are
known exactly, while every query still walks the whole network downstream of it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from click.testing import CliRunner

import mechgraph as mg
from mechgraph.cli import main

CASCADE = ("DRUGA\tinhibits\tNMDAR\nNMDAR\tactivates\tGABA\nGABA\tinhibits\tFIRING\n"
           "FIRING\tactivates\tGLU\nDRUGB\tactivates\tHTR2A\nHTR2A\tactivates\tGLU\n"
           "GLU\tactivates\tBDNF\n")
EDGES, GENES = 120_000, 20_000


def write_network(path: Path) -> None:
    rng = random.Random(7)
    known = ("NMDAR", "GABA", "FIRING", "GLU", "BDNF", "HTR2A")
    lines, seen = [CASCADE], set()
    while len(seen) < EDGES - 7:
        if rng.random() < 0.01:
            a, b = rng.choice(known), f"G{rng.randrange(GENES)}"
        else:
            i, j = sorted(rng.sample(range(GENES), 2))
            a, b = f"G{i}", f"G{j}"
        if (a, b) not in seen:
            seen.add((a, b))
            lines.append(f"{a}\t{'inhibits' if rng.random() < 0.3 else 'activates'}\t{b}\n")
    path.write_text("".join(lines), encoding="utf-8")


def test_large_sif_answers_every_question(tmp_path: Path) -> None:
    path = tmp_path / "network.sif"
    write_network(path)
    imp = mg.from_sif(path)
    g = mg.signaling_graph(imp.project())
    assert g.number_of_edges() == EDGES
    reach = mg.effects(g, "DRUGA")
    assert {n: reach[n].effect for n in ("NMDAR", "GABA", "FIRING", "GLU", "BDNF")} == {
        "NMDAR": "decreases", "GABA": "decreases", "FIRING": "increases", "GLU": "increases",
        "BDNF": "increases"}
    assert len(reach) > 10_000  # the drug reaches deep into the generated network
    assert [str(p) for p in mg.signed_paths(g, "DRUGA", "BDNF")] == [
        "DRUGA -| NMDAR -> GABA -| FIRING -> GLU -> BDNF"]
    rows = {r.key: r.effects for r in mg.shared_nodes(g, mg.resolve_sources(g, ["DRUGA", "DRUGB"]))}
    assert rows["GLU"] == ("increases", "increases") and rows["BDNF"] == ("increases", "increases")
    ko = mg.knockout_effects(g, "DRUGA", ["GLU"])
    assert {r.node: r.status for r in ko.rows if r.node in ("BDNF", "FIRING")} == {
        "BDNF": "lost", "FIRING": "kept"}


def test_queries_read_an_interaction_table_through_path(tmp_path: Path) -> None:
    path = tmp_path / "cascade.sif"
    path.write_text(CASCADE, encoding="utf-8")
    out = CliRunner().invoke(main, ["effect", "DRUGA", "BDNF", "-p", str(path), "-f", "json"])
    assert out.exit_code == 0, out.output
    (bdnf,) = json.loads(out.stdout)["results"]
    assert (bdnf["node"], bdnf["effect"], [p["text"] for p in bdnf["paths"]]) == (
        "BDNF", "increases", ["DRUGA -| NMDAR -> GABA -| FIRING -> GLU -> BDNF"])
    knock = CliRunner().invoke(main, ["knockout", "GLU", "--drug", "DRUGA", "-p", str(path),
                                      "-f", "json"])
    assert {r["node"]: r["status"] for r in json.loads(knock.stdout)["results"]} == {
        "BDNF": "lost", "FIRING": "kept", "GABA": "kept", "NMDAR": "kept"}
