"""Reading a pathway's ``edges:`` list: chains of arrows between names, short or long form.

The common item, a bare chain ``A -> B`` whose names have resolved before and whose
evidence is the pathway's defaults, is read in one short path; everything else (and
every item that may report a problem) goes through ``read_edge``, so the messages are
the same either way.
"""

from __future__ import annotations

import re
from typing import Mapping

from ..model import EFFECT_ALIASES, Compartment, Edge, Effect, Location, NodeRef, PathwayKind, \
    Relation, Step
from . import parse as p
from .fields import ARROW, MAX_WORD, Defaults, maker
from .relation import Relations

EDGE_KEYS = ("edge", "from", "to", "effect", "evidence", "seed", "ref", "cite", "note", "label",
             "relation", "via")
ARROWS = ("-> (activates), -| (inhibits), => (is necessary for), ~> (modulates), "
          ">> (is converted to)")
# Arrows from other notations that students write; each would split into a wrong name.
WRONG_ARROW = re.compile(r"-->|--\||==+>|<-+|<=+|[→⟶⇒⊣←]")


class Edges(Relations):
    """The edge readers mixed into the loader (they use its ``text``, ``error``, ``resolve``)."""

    def read_edges(self, node: p.Node | None, pid: str, kind: PathwayKind,
                   steps: Mapping[str, Step], compartments: Mapping[str, Compartment],
                   defaults: Defaults) -> tuple[Edge, ...]:
        if node is None:
            return ()
        if not isinstance(node, p.Seq):
            self.error(node.line, f"'edges' must be a list (lines starting with '- '), not {p.kind_name(node)}")
            return ()
        edges: dict[tuple[str, str], Edge] = {}
        # name -> (NodeRef, its key), for names that resolved: shared by every pathway with
        # no steps and no compartments of its own (a name means the same there), else its own
        if steps or len(compartments) != len(self.compartments):
            self._refs: dict[str, tuple[NodeRef, str]] = {}
        else:
            self._refs = self.__dict__.setdefault("_shared_refs", {})
        # arrows -> (evidence, relations, effects) of a bare chain under these defaults
        self._bare_cache: dict[str, tuple] = {}
        known, bare, path = self._refs, self._bare_cache, self.path
        fast = defaults.via is None  # else every edge reads the default 'via' (names)
        Scalar, split, wrong, nulls = p.Scalar, ARROW.split, WRONG_ARROW.search, p.NULLS
        for item in node.items:
            # The short path: 'A -> B' as read_edge reads it, when nothing in it can be
            # wrong (printable ASCII text, one arrow, both names and the arrow seen before
            # in this pathway's context); any doubt goes the long way.
            if fast and type(item) is Scalar:
                chain = item.value
                if chain.isascii() and chain.isprintable() and len(chain) <= MAX_WORD and \
                        not (item.plain and chain in nulls) and \
                        (("<" not in chain and "--" not in chain and "==" not in chain)
                         or wrong(chain) is None):  # (in ASCII it needs one of those)
                    parts = split(chain)
                    if len(parts) == 3:
                        a = known.get(parts[0].strip())
                        b = known.get(parts[2].strip())
                        hit = bare.get(parts[1])
                        if a is not None and b is not None and hit is not None:
                            edge = _edge(a[0], b[0], hit[2][0], hit[0], None,
                                         _location(path, item.line), hit[1][0], (), False)
                            k = (a[1], b[1])
                            old = edges.get(k)
                            if old is None:
                                edges[k] = edge
                            else:
                                self._again(edges, k, old, edge)
                            continue
            for k, edge in self.read_edge(item, kind, steps, compartments, defaults):
                old = edges.get(k)
                if old is None:
                    edges[k] = edge
                else:
                    self._again(edges, k, old, edge)
        return tuple(edges.values())

    def _again(self, edges: dict[tuple[str, str], Edge], k: tuple[str, str], old: Edge,
               edge: Edge) -> None:
        """An edge between two nodes that already have one in this pathway: the same
        statement again adds its evidence; another effect or relation is an error."""
        if old.effect is edge.effect and old.relation is edge.relation:
            edges[k] = _edge(old.source, old.target, old.effect,
                             old.evidence + tuple(e for e in edge.evidence if e not in old.evidence),
                             old.label or edge.label, old.location, old.relation,
                             old.via or edge.via, old.via_pathway or edge.via_pathway)
        elif old.effect is edge.effect:
            self.error(edge.location.line if edge.location else None,
                       f"edge {edge.source} {edge.effect.value} {edge.target} is a "
                       f"{edge.relation.value} here and a {old.relation.value} on line "
                       f"{old.location.line if old.location else '?'}; keep one")
        else:
            opposite = old.effect.sign * edge.effect.sign == -1
            what = "the opposite effect" if opposite else "a different effect"
            self.error(edge.location.line if edge.location else None,
                       f"edge {edge.source} {edge.effect.value} {edge.target} contradicts "
                       f"{old.source} {old.effect.value} {old.target} on line "
                       f"{old.location.line if old.location else '?'}: the same edge with "
                       f"{what} in one pathway; keep one")

    def read_edge(self, item: p.Node, kind: PathwayKind, steps: Mapping[str, Step],
                  compartments: Mapping[str, Compartment],
                  defaults: Defaults) -> list[tuple[tuple[str, str], Edge]]:
        """An item of 'edges' -> its edges, each with its (source, target) node keys."""
        attrs: Mapping[str, p.Node] = {}
        effect: Effect | None = None
        if type(item) is p.Scalar:
            chain, line = item.value, item.line
            # text() would accept it unchanged but for the spaces around it: printable
            # ASCII (no control, formatting or non-XML character), not null, not too long
            if chain.isascii() and chain.isprintable() and len(chain) <= MAX_WORD \
                    and not (item.plain and chain in p.NULLS):
                chain = chain.strip()
            else:
                chain = self.text(item, "edge")
        elif isinstance(item, p.Map):
            self.keys(item, EDGE_KEYS, "edge")
            attrs = {k: v for k, (_, v) in item.items.items()}
            line = item.line
            if "effect" in attrs:
                effect = self.enum(attrs["effect"], "effect", EFFECT_ALIASES)
                if effect is None:
                    return []
            if "edge" in attrs:
                chain = self.text(attrs["edge"], "edge")
                if "from" in attrs or "to" in attrs:
                    self.error(line, "an edge takes either 'edge: A -> B' or 'from:'/'to:', not both")
                    return []
            elif "from" in attrs and "to" in attrs:
                a = self.text(attrs["from"], "'from'", name=True)
                b = self.text(attrs["to"], "'to'", name=True)
                if not a or not b:
                    return []
                if effect is None:
                    self.error(line, "an edge with 'from'/'to' needs 'effect' "
                                     "(for example effect: activates)")
                    return []
                chain = f"{a} {effect.value} {b}"
            else:
                self.error(line, "an edge needs 'edge: A -> B', or 'from', 'to' and 'effect'")
                return []
        else:
            self.error(item.line, f"an edge must be text like 'A -> B' or a mapping, not {p.kind_name(item)}")
            return []
        if not chain:
            self.error(line, "empty edge: write 'A -> B'")
            return []
        if (wrong := WRONG_ARROW.search(chain)) is not None:
            bad = wrong.group()
            turn = ("; arrows point from source to target, so write it the other way round"
                    if bad[0] in "<←" else "")
            self.error(line, f"edge {chain!r}: {bad!r} is not an arrow; arrows are {ARROWS}{turn}")
            return []
        parts = [s.strip() for s in ARROW.split(chain)]
        names, arrows = parts[0::2], parts[1::2]
        if not arrows:
            self.error(line, f"edge {chain!r} has no arrow; use one of ->, -|, =>, ~>, >>, --")
            return []
        if not names[0] or not names[-1]:
            where = "starts" if not names[0] else "ends"
            self.error(line, f"chain {chain!r} {where} with a dangling arrow; "
                             "every arrow needs a node on both sides")
            return []
        if "" in names:
            self.error(line, f"chain {chain!r} has two arrows in a row; put a node between them")
            return []
        if effect is not None and "edge" in attrs:
            mismatched = [a for a in arrows if EFFECT_ALIASES[a] is not effect]
            if mismatched:
                word = self.text(attrs["effect"], "effect")
                self.error(line, f"effect {word!r} disagrees with the arrow "
                                 f"{mismatched[0]!r} in {chain!r}; keep one")
                return []
        comps = compartments.keys()
        known = self._refs
        refs = []  # (NodeRef, its key) per name; None where the name is wrong
        resolved = True
        for n in names:
            ref = known.get(n)
            if ref is None:  # errors are not kept: each wrong name is reported where it is
                found = self.resolve(n, line, steps=steps, compartments=comps)
                if found is not None:
                    ref = known[n] = (found, found.key)
                else:
                    resolved = False
            refs.append(ref)
        effects = [EFFECT_ALIASES[a] for a in arrows]
        if attrs:
            evidence = self.read_evidence(attrs, defaults, line, kind)
            relations = self.read_relations(attrs, defaults, effects, line, chain)
        else:  # a bare chain: what it says besides its nodes is the pathway's defaults
            evidence, relations = self._bare(defaults, kind, effects, arrows, line, chain)
        if attrs or defaults.via is not None:
            via, via_pathway = self.read_via(attrs, defaults, relations, line, steps, comps)
        else:
            via, via_pathway = (), False
        if not resolved or relations is None:
            return []
        label = self.text(attrs.get("label"), "branch label", name=True) if attrs else None
        if label and kind is not PathwayKind.WORKFLOW:
            self.error(line, "'label' names a branch in a workflow; in a signalling pathway use 'note'")
        loc = _location(self.path, line)
        out = []
        for i in range(len(arrows)):
            (source, skey), (target, tkey) = refs[i], refs[i + 1]
            relation = relations[i]
            if relation is Relation.SUMMARY:
                edge = _edge(source, target, effects[i], evidence, label, loc, relation,
                             via, via_pathway)
            else:
                edge = _edge(source, target, effects[i], evidence, label, loc, relation,
                             (), False)
            out.append(((skey, tkey), edge))
        return out


_edge = maker(Edge)
_location = maker(Location)
