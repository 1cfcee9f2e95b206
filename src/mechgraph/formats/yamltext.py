"""An imported pathway as YAML text a student can read, edit, check and draw.

Every edge names its source by a seed place (``WP3676:190``: the line of the source
file it was read from) and the file is declared under ``sources:``. Values are quoted
only where YAML needs it; every value reads back as the same text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .imported import scalar, schema_ref

_PLAIN_CHAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]* (?:->|-\||=>|~>|>>|--) [A-Za-z0-9][A-Za-z0-9_.@-]*")

if TYPE_CHECKING:
    from .imported import Built, Imported


def pathway_yaml(imp: "Imported", built: "Built", out: str | Path | None) -> str:
    q = scalar
    lines = [f"# yaml-language-server: $schema={schema_ref(out)}",
             f"# Imported from {imp.source_file} ({imp.fmt}) by 'mechgraph import'.",
             "# Check the entities and add evidence grades before relying on it.",
             f"pathway: {imp.pathway}",
             f"title: {q(imp.title or imp.pathway)}",
             "kind: signaling",
             f"description: {q(f'Imported from {imp.source_file} ({imp.fmt}).')}"]
    if imp.cite:
        lines.append(f"cite: [{', '.join(imp.cite)}]")
    lines += ["sources:", f"  {imp.pathway}:",
              f"    title: {q(imp.title or imp.source_file)}",
              f"    file: {q(imp.source_file)}"]
    if imp.cite:
        lines.append(f"    cite: [{', '.join(imp.cite)}]")
    if imp.compartments:
        lines.append("compartments:")
        lines += [f"  {cid}: {q(label)}" for cid, label in sorted(imp.compartments.items())]
    if built.entities:
        lines.append("entities:")
        for e in built.entities:
            lines.append(f"  {q(e.id)}:")
            if e.label != e.id:
                lines.append(f"    label: {q(e.label)}")
            if e.name:
                lines.append(f"    name: {q(e.name)}")
            lines.append(f"    kind: {e.kind.value}")
            if e.xrefs:
                lines.append(f"    xref: [{', '.join(q(x) for x in e.xrefs)}]")
    lines.append("edges:" if built.edges else "edges: []")
    for e in built.edges:
        chain = f"{e.source} {e.effect.value} {e.target}"
        lines.append(f"  - edge: {chain if _PLAIN_CHAIN.fullmatch(chain) else q(chain)}")
        if e.relation != "mechanism":
            lines.append(f"    relation: {e.relation}")
        if e.line:
            lines.append(f"    seed: {imp.pathway}:{e.line}")
        if e.cites:
            lines.append(f"    cite: [{', '.join(q(c) for c in e.cites)}]")
        if e.notes:
            lines.append(f"    note: {q(' '.join(e.notes))}")
    notes = list(imp.notes) + _skipped_notes(imp, built)
    if notes:
        lines.append("notes:")
        lines += [f"  - {q(n)}" for n in notes]
    return "\n".join(lines) + "\n"


def _skipped_notes(imp: "Imported", built: "Built") -> list[str]:
    from collections import Counter

    problems = Counter(imp.skipped) + built.skipped
    return [f"Not imported: {n} {what}." for what, n in sorted(problems.items())]
