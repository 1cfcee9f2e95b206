"""Relation kinds of edges: ``--`` and ``relation:`` (mechanism, summary, association),
and the ``via:`` that names what explains a summary edge."""

from __future__ import annotations

from typing import Iterable, Mapping

from ..model import Effect, Evidence, PathwayKind, Relation, Step
from . import parse as p
from .fields import RELATIONS, Defaults

#: arrows an association may carry: a signed correlation, or one of unknown sign
_ASSOCIATION_EFFECTS = (Effect.POSITIVE, Effect.NEGATIVE, Effect.UNKNOWN, Effect.ASSOCIATED)


class Relations:
    """Readers mixed into the loader (they use its ``enum``, ``error``, ``resolve``)."""

    pathway_ids: set[str] = set()
    _bare_cache: dict[str, tuple]  # set per pathway by read_edges

    def _bare(self, defaults: Defaults, kind: PathwayKind, effects: list[Effect],
              arrows: list[str], line: int,
              chain: str) -> tuple[tuple[Evidence, ...], list[Relation] | None]:
        """Evidence and relations of an edge without attributes, read once per arrows in
        one pathway (``_bare_cache``, set by ``read_edges``: its defaults and kind are one);
        what reports an error (with its line) is read every time."""
        key = "".join(arrows)  # every arrow is two characters
        hit = self._bare_cache.get(key)
        if hit is not None:
            return hit[0], hit[1]
        before = len(self.diags)
        evidence = self.read_evidence(_NO_ATTRS, defaults, line, kind)
        relations = self.read_relations(_NO_ATTRS, defaults, effects, line, chain)
        if relations is not None and len(self.diags) == before:
            relations = tuple(relations)  # type: ignore[assignment]
            self._bare_cache[key] = (evidence, relations, tuple(effects))
        return evidence, relations

    def read_relations(self, attrs: Mapping[str, p.Node], defaults: Defaults,
                       effects: list[Effect], line: int, chain: str) -> list[Relation] | None:
        """The relation of each hop of a chain: ``--`` makes an association; otherwise the
        edge's ``relation:``, the pathway's default, or a mechanism."""
        given = (self.enum(attrs["relation"], "relation", RELATIONS) if "relation" in attrs
                 else defaults.relation)
        if "relation" in attrs and given is None:
            return None
        out = []
        for effect in effects:
            if effect is Effect.ASSOCIATED:
                if "relation" in attrs and given is not Relation.ASSOCIATION:
                    self.error(line, f"'--' in {chain!r} is an association, but the edge says "
                                     f"relation: {given.value if given else '?'}; keep one")
                    return None
                out.append(Relation.ASSOCIATION)
                continue
            rel = given or Relation.MECHANISM
            if rel is Relation.ASSOCIATION and effect not in _ASSOCIATION_EFFECTS:
                self.error(line, f"an association has no causal direction: {effect.value!r} in "
                                 f"{chain!r} is not allowed (use -> for a positive correlation, "
                                 "-| for a negative one, -- when the sign is unknown)")
                return None
            out.append(rel)
        return out

    def read_via(self, attrs: Mapping[str, p.Node], defaults: Defaults,
                 relations: list[Relation] | None, line: int, steps: Mapping[str, Step],
                 comps: Iterable[str]) -> tuple[tuple[str, ...], bool]:
        """``via:`` of a summary: node names of the chain that explains it, or one pathway
        id. Node keys come back as written in this pathway."""
        node = attrs["via"] if "via" in attrs else defaults.via
        if node is None:
            return (), False
        if relations is not None and Relation.SUMMARY not in relations:
            if "via" in attrs:
                self.error(line, "'via' names what explains a summary edge; this edge is not "
                                 "one (add 'relation: summary')")
            return (), False
        texts = self.texts(node, "via", name=True)
        if isinstance(node, p.Scalar) and len(texts) == 1 and texts[0][0] in self.pathway_ids \
                and texts[0][0] not in self.names:
            return (texts[0][0],), True
        keys = []
        for text, at in texts:
            ref = self.resolve(text, at, steps=steps, compartments=comps)
            if ref is not None:
                keys.append(ref.key)
        return tuple(keys), False


_NO_ATTRS: Mapping[str, p.Node] = {}
