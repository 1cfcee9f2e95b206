"""``mechgraph new``: a commented, valid starting pathway (and a catalog stub if none).

The files pass ``mechgraph check`` as written and render; every line a student needs
to change is said so in a comment. Names of the example entities start with the
pathway id, so a new file never collides with a catalog that already exists.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import MechgraphError
from . import parse as p
from .fields import ID_PATTERN
from .schema import modeline

CATALOG_FILE = "entities.yaml"

_PATHWAY = """\
{modeline}
# A new pathway. Each key is described in the README, "The pathway language".
# Check it:  mechgraph check {folder}
# Draw it:   mechgraph render {pid} -p {folder} --out /tmp/{pid}

# The id: it must stay equal to the file name.
pathway: {pid}
# Quote any text that holds ': ' (a colon and a space).
title: "Write a one-line title here"
# signaling, or workflow for a trial design
kind: signaling
# Where drug-level queries (mechgraph effect, shared, compare) start.
drugs: [{pid}-drug]
description: "One or two sentences, in your own words."
# Where your source document says it, as source:line (a source of the catalog).
# seed: review:12
# For every edge that does not say otherwise.
defaults:
  # clinical | preclinical | in-vitro | review | hypothesis
  evidence: hypothesis

# Entities used only by this pathway. Things other pathways name too (BDNF, NMDAR)
# belong in the catalog ({catalog}), so that shared nodes are found.
entities:
  {pid}-drug: {{kind: drug, label: "{pid} drug"}}
  {pid}-target: {{kind: receptor, label: "{pid} target"}}
  {pid}-effect: {{kind: outcome, label: "{pid} effect"}}

# Arrows: -> activates, -| inhibits, => is necessary for, ~> modulates,
# >> is converted to. One line may chain several edges. A node is named by an
# entity's id, label or synonym; NAME@compartment places it in a compartment.
edges:
  - {pid}-drug -| {pid}-target -> {pid}-effect
  # The long form, with the evidence for one edge (ref: the source's own
  # reference numbers; cite: CURIEs such as doi:, pmid:, pmc:, nct:):
  # - edge: {pid}-drug -| {pid}-target
  #   evidence: preclinical
  #   seed: review:12
  #   ref: [16]
  #   cite: [doi:10.1000/xyz123]
  #   note: "Why this edge is believed, in your own words."
"""

_CATALOG = """\
{modeline}
# The catalog: entities, compartments and sources shared by every pathway in this folder.
# A node is named by an entity's id, label or synonym; one thing, one entity.
entities: {{}}
#  BDNF:
#    label: BDNF                     # Unicode welcome: 5-HT₂A, α, Ca²⁺
#    name: brain-derived neurotrophic factor
#    kind: protein                   # drug, metabolite, receptor, channel, transmitter,
#                                    # protein, kinase, complex, ion, process, outcome, ...
#    xref: [hgnc:1033]
#    synonyms: [brain-derived neurotrophic factor]
#  glutamate: transmitter            # shorthand: the kind only
#  SSRIs: {{kind: drug, plural: true}} # a plural label: tooltips say "SSRIs activate ..."

compartments: {{}}
#  postsynaptic: Postsynaptic neuron # used as NMDAR@postsynaptic

sources: {{}}
#  review:
#    title: The document your seed places (review:12) point into
#    cite: doi:10.1000/xyz123
"""


def has_catalog(folder: Path) -> bool:
    """Whether a YAML file under ``folder`` is a catalog (has no 'pathway:' key)."""
    for f in sorted(folder.rglob("*")):
        if f.suffix not in (".yaml", ".yml") or not f.is_file():
            continue
        try:
            root, _ = p.parse(p.decode(p.read_bounded(f), str(f)), str(f))
        except (MechgraphError, OSError):
            continue
        if isinstance(root, p.Map) and "pathway" not in root.items:
            return True
    return False


def new_pathway(folder: str | os.PathLike[str], pid: str) -> list[Path]:
    """Write ``folder/<pid>.yaml`` (and ``folder/entities.yaml`` when the folder has no
    catalog); returns the files written. Never overwrites: an existing file is an error.
    """
    if not ID_PATTERN.fullmatch(pid) or len(pid) > 64:
        raise MechgraphError(f"pathway id {pid!r} is not a valid id: use ASCII letters, digits, "
                             "'-', '_' and '.', starting with a letter or digit (at most 64)")
    folder = Path(folder)
    target = folder / f"{pid}.yaml"
    catalog = folder / CATALOG_FILE
    if target.exists():
        raise MechgraphError("already exists; choose another id or edit it", path=str(target))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    if not has_catalog(folder):
        _create(catalog, _CATALOG.format(modeline=modeline(catalog)))
        written.append(catalog)
    shown = folder.as_posix()
    _create(target, _PATHWAY.format(modeline=modeline(target), pid=pid, folder=shown,
                                    catalog=CATALOG_FILE))
    written.append(target)
    return written


def _create(path: Path, text: str) -> None:
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError:
        raise MechgraphError("already exists; choose another id or edit it", path=str(path)) from None
    except OSError as e:
        raise MechgraphError(f"cannot write: {e.strerror}", path=str(path)) from None
