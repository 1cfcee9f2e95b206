"""SBGN-ML and GPML inputs the project writes itself: namespaces, annotations, refusals."""

from __future__ import annotations

import pytest

import mechgraph as mg
from mechgraph.errors import MechgraphError

SBGN_02 = b"""<?xml version="1.0" encoding="UTF-8"?>
<sbgn xmlns="http://sbgn.org/libsbgn/0.2">
  <map language="activity flow">
    <glyph class="biological activity" id="a">
      <label text="BDNF"/>
      <extension><annotation>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                 xmlns:bqbiol="http://biomodels.net/biology-qualifiers/">
          <rdf:Description rdf:about="#a"><bqbiol:is><rdf:Bag>
            <rdf:li rdf:resource="http://identifiers.org/hgnc/1033"/>
            <rdf:li rdf:resource="https://identifiers.org/uniprot:P23560"/>
          </rdf:Bag></bqbiol:is></rdf:Description>
        </rdf:RDF></annotation></extension>
      <bbox x="0" y="0" w="60" h="30"/>
      <glyph class="unit of information" id="a.u"><label text="mt:prot"/>
        <entity name="macromolecule"/><bbox x="0" y="0" w="20" h="10"/></glyph>
    </glyph>
    <glyph class="biological activity" id="b"><label text="TrkB"/><bbox x="0" y="60" w="60" h="30"/></glyph>
    <glyph class="or" id="g"><bbox x="0" y="40" w="10" h="10"/>
      <port id="g.1" x="0" y="40"/><port id="g.2" x="0" y="50"/></glyph>
    <glyph class="biological activity" id="c"><label text="ERK"/><bbox x="0" y="90" w="60" h="30"/></glyph>
    <arc class="unknown influence" id="x1" source="a" target="b"><start x="0" y="0"/><end x="0" y="1"/></arc>
    <arc class="logic arc" id="x2" source="a" target="g.1"><start x="0" y="0"/><end x="0" y="1"/></arc>
    <arc class="logic arc" id="x3" source="b" target="g.1"><start x="0" y="0"/><end x="0" y="1"/></arc>
    <arc class="negative influence" id="x4" source="g.2" target="c"><start x="0" y="0"/><end x="0" y="1"/></arc>
  </map>
</sbgn>
"""


def test_sbgn_02_namespace_annotations_and_an_or_gate() -> None:
    imp = mg.from_sbgn("old.sbgn", data=SBGN_02)
    assert [(imp.nodes[l.source].label, l.effect.value, imp.nodes[l.target].label) for l in imp.links] == [
        ("BDNF", "~>", "TrkB"), ("BDNF", "-|", "ERK"), ("TrkB", "-|", "ERK")]
    assert imp.nodes["a"].xrefs == ("hgnc:1033", "uniprot:P23560")
    assert imp.warnings == ["SBGN OR gate g (line 19): BDNF, TrkB -> negative influence of ERK. "
                            "Written as -| from each input, which means the same in the pathway "
                            "language."]


def test_entity_relationship_map_is_refused() -> None:
    data = SBGN_02.replace(b'language="activity flow"', b'language="entity relationship"')
    with pytest.raises(MechgraphError, match=r"^er.sbgn:3: not supported: Activity Flow only "
                                             r"\(this map is entity relationship\)"):
        mg.from_sbgn("er.sbgn", data=data)


def test_entities_in_a_dtd_are_refused_not_expanded() -> None:
    bomb = (b'<?xml version="1.0"?>\n<!DOCTYPE sbgn [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<sbgn>&b;</sbgn>\n')
    with pytest.raises(MechgraphError, match="declares a DTD or entities; refusing"):
        mg.from_sbgn("bomb.sbgn", data=bomb)


def test_not_xml_and_not_gpml_say_what_they_are() -> None:
    with pytest.raises(MechgraphError, match=r"^x.gpml:2: not well-formed XML"):
        mg.from_gpml("x.gpml", data=b"<Pathway>\n<oops></Pathway>")
    with pytest.raises(MechgraphError, match=r"not GPML: the root is <sbgn>"):
        mg.from_gpml("x.gpml", data=SBGN_02)
