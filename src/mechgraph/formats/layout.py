"""Node positions for exports that carry a drawing (SBGN-ML bboxes, CX2 x/y), taken
from one Graphviz layout (run through :mod:`mechgraph.drawing.graphviz`, as every
figure is). Coordinates are points, y pointing down, origin at the top left.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import networkx as nx

from .. import graph as G
from ..drawing.graphviz import run_dot

CHAR_WIDTH = 7.0  # points per label character, roughly, at the 10-point size editors use
MIN_WIDTH, HEIGHT, PAD = 60.0, 36.0, 10.0


@dataclass(frozen=True)
class Box:
    x: float  # top left
    y: float
    w: float
    h: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2


@dataclass(frozen=True)
class Layout:
    nodes: dict[str, Box]
    compartments: dict[str, Box]
    edges: dict[tuple[str, str], tuple[tuple[float, float], tuple[float, float]]]  # start, end
    width: float
    height: float


def node_size(label: str) -> tuple[float, float]:
    return max(MIN_WIDTH, CHAR_WIDTH * len(label) + 2 * PAD), HEIGHT


def layout(g: nx.MultiDiGraph, *, name: str = "export") -> Layout:
    """Lay ``g`` out with ``dot`` (compartments as clusters; labels stay out of the DOT)."""
    nodes = sorted(g)
    ids = {n: f"n{i}" for i, n in enumerate(nodes)}
    comps = sorted({g.nodes[n][G.COMPARTMENT] for n in nodes} - {""})
    cids = {c: f"cluster_c{i}" for i, c in enumerate(comps)}
    lines = ["digraph export {", "rankdir=TB; nodesep=0.4; ranksep=0.5;",
             'node [shape=box fixedsize=true label=""];']
    for comp in comps:
        lines.append(f'subgraph {cids[comp]} {{ label=""; margin=12;')
        lines += [_node(ids[n], g.nodes[n][G.LABEL]) for n in nodes
                  if g.nodes[n][G.COMPARTMENT] == comp]
        lines.append("}")
    lines += [_node(ids[n], g.nodes[n][G.LABEL]) for n in nodes if not g.nodes[n][G.COMPARTMENT]]
    pairs = sorted({(u, v) for u, v in g.edges()})
    lines += [f"{ids[u]} -> {ids[v]};" for u, v in pairs]
    lines.append("}")
    doc = json.loads(run_dot("\n".join(lines), ["json"], name=name)["json"])
    x0, y0, x1, y1 = (float(t) for t in doc["bb"].split(","))
    height = y1
    back = {v: k for k, v in ids.items()}
    back_c = {v: k for k, v in cids.items()}
    objects = doc.get("objects", [])
    out_nodes: dict[str, Box] = {}
    out_comps: dict[str, Box] = {}
    for obj in objects:
        if obj.get("name") in back:
            cx, cy = (float(t) for t in obj["pos"].split(","))
            w, h = float(obj["width"]) * 72, float(obj["height"]) * 72
            out_nodes[back[obj["name"]]] = Box(round(cx - w / 2, 2), round(height - cy - h / 2, 2),
                                               round(w, 2), round(h, 2))
        elif obj.get("name") in back_c:
            bx0, by0, bx1, by1 = (float(t) for t in obj["bb"].split(","))
            out_comps[back_c[obj["name"]]] = Box(bx0, round(height - by1, 2), round(bx1 - bx0, 2),
                                                 round(by1 - by0, 2))
    out_edges = {}
    for e in doc.get("edges", []):
        u, v = back[objects[e["tail"]]["name"]], back[objects[e["head"]]["name"]]
        out_edges[(u, v)] = _ends(e.get("pos", ""), height)
    for u, v in pairs:  # a pair Graphviz drew no spline for (a self-loop): centre to centre
        out_edges.setdefault((u, v), (out_nodes[u].centre, out_nodes[v].centre))
    return Layout(out_nodes, out_comps, out_edges, x1 - x0, height)


def _node(nid: str, label: str) -> str:
    w, h = node_size(label)
    return f"{nid} [width={w / 72:.3f} height={h / 72:.3f}];"


def _ends(pos: str, height: float) -> tuple[tuple[float, float], tuple[float, float]]:
    end = None
    points = []
    for token in pos.split():
        if token.startswith("e,"):
            x, y = token[2:].split(",")
            end = (float(x), float(y))
        elif token.startswith("s,"):
            continue
        else:
            x, y = token.split(",")
            points.append((float(x), float(y)))
    start = points[0]
    end = end or points[-1]
    return (round(start[0], 2), round(height - start[1], 2)), (round(end[0], 2), round(height - end[1], 2))


__all__ = ["layout", "Layout", "Box", "node_size"]
