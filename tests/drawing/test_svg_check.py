"""check_svg (one expat pass) refuses exactly what the ElementTree check it replaced
refused, with the same message: hand-written hostile documents, generated ones, and the
real figures."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechgraph.drawing import svg as S
from mechgraph.errors import MechgraphError

from ..conftest import REPO


def reference(svg: bytes, name: str = "f") -> str | None:
    """The previous check (ElementTree, whole tree): its refusal message, or None."""
    text = svg.decode("utf-8")
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        return f"figure {name!r}: SVG declares a DOCTYPE or entity"
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        return f"figure {name!r}: Graphviz wrote malformed SVG ({e})"
    for el in root.iter():
        tag = el.tag.removeprefix("{http://www.w3.org/2000/svg}")
        if tag == "style" and el in list(root)[:4] and not el.attrib:
            try:
                S.check_css(el.text or "", name=name)
            except MechgraphError as e:
                return e.message
            continue
        if tag not in S._SVG_TAGS:
            return f"figure {name!r}: SVG holds a <{tag}> element"
        for attr, value in el.attrib.items():
            local = attr.rpartition("}")[2].lower()
            if local.startswith("on"):
                return f"figure {name!r}: SVG holds an event attribute {local!r}"
            if local in ("style", "base"):
                return f"figure {name!r}: SVG holds a {local!r} attribute"
            if local == "href" and not S._ALLOWED_LINK.fullmatch(value):
                return (f"figure {name!r}: SVG links to {value!r}; only https links to "
                        f"{', '.join(S.ALLOWED_HOSTS)} are allowed")
            if local in S._PAINT and any(not ref.strip().startswith("#")
                                         for ref in S._URL_REF.findall(value)):
                return (f"figure {name!r}: SVG attribute {local!r} refers to {value!r}; only "
                        "references to the figure's own gradients (url(#id)) are allowed")
    return None


def judged(svg: bytes) -> str | None:
    try:
        S.check_svg(svg, name="f")
    except MechgraphError as e:
        return e.message
    return None


ROOT = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:s="http://www.w3.org/2000/svg">')
CASES = [
    "<g/>", "<style>.a{fill:#000}</style><g/>",
    "<title/><desc/><style>.a{}</style><g><style>.b{}</style></g>",  # nested: refused
    "<g/><g/><g/><style>.a{}</style>",  # fourth child: ours
    "<g/><g/><g/><g/><style>.a{}</style>",  # fifth: refused
    "<g><g/><g/><g/><g/></g><style>.a{}</style>",  # second child of the root
    "<style>.a{}<g/>@import 'x';</style>",  # text after a child is not the style's
    "<style>@import 'x';<g/></style>", "<style>.a{}<script/></style>",
    '<style media="x">.a{}</style>', "<s:style>.a{}</s:style>", "<s:script/>",
    '<g xmlns="http://example.org/x"><script/></g>', "<x:g xmlns:x='urn:x'/>",
    "<svg><g/></svg>", '<g id="a" ONCLICK="x"/>', '<g Onload="x"/>', '<g xml:base="x"/>',
    '<g s:style="x"/>', '<a xlink:href="https://doi.org/10.1/x" onfocus="y"/>',
    '<a href="https://identifiers.org/hgnc:1"/>', '<a HREF="javascript:x"/>',
    '<path fill="URL(#ok)"/>', '<path fill="url( #ok )"/>', '<path fill="url(x)"/>',
    '<path stroke="red url(https://e.example/a)"/>', '<path filter="url(#f) url(x)"/>',
    '<path cursor="url(x.cur)"/>', '<path fill="#fff" style="x"/>',
    "<script>x</script><g onload='y'/>", "<g onload='y'/><script/>",
    "<g/><!-- <script> --><![CDATA[<script>]]><?pi <script>?>",
    "<g>&lt;script&gt;</g>", "<g onload='1'>", "<script/><g>", "<g a='1' a='2'/>",
    "<g>&undefined;</g>", "<undeclared:g/>", "<style>.a{x:y}</style><style>.b{}</style>",
    "<style></style>", "<style><![CDATA[.a{}]]></style>", "<style>&#46;a{}</style>",
    # inside the drawing (the root's first <g>), where elements are gathered and judged
    # together: each rule, and what passes at once
    "<title/><g><a xlink:href='https://doi.org/10.1/(x)' xlink:title='a (b)'/></g>",
    "<title/><g><a xlink:href='https://doi.org/ok'/><a xlink:href='javascript:x'/></g>",
    "<title/><g><a xlink:href='&#106;avascript:x'/></g>",
    "<title/><g><a xlink:href='https://doi.org/&#x20;x'/></g>",
    "<title/><g><path fill='url(#g)'/><path fill='url(https://e.example/x)'/></g>",
    "<title/><g><path fill='#000' stroke='url(#g)'/><g id='x' class='y'/></g>",
    "<title/><g><text x='1'>(a) url(x)</text><s:g/></g>",
    "<title/><g><g/><script/></g><g onload='x'/>",
    "<title/><g><a href='https://doi.org/x'/></g>", "<title/><g><g ID='a' Fill='x'/></g>",
    "<title/><g/><style>.a{}</style>", "<title/><g/><style>@import 'x';</style>",
    "<title/><style>.a{}</style><g/><g><style>.b{}</style></g>",
]


@pytest.mark.parametrize("body", CASES)
def test_refuses_what_the_tree_check_refused(body):
    doc = f'<?xml version="1.0"?>{ROOT}{body}</svg>'.encode()
    assert judged(doc) == reference(doc)


def test_cases_cover_refusals_and_acceptances():
    verdicts = [reference(f"{ROOT}{b}</svg>".encode()) for b in CASES]
    assert sum(v is None for v in verdicts) >= 5 and len({v for v in verdicts}) >= 15


def test_doctype_and_bytes_that_are_not_utf8():
    assert judged(b'<!doctype svg><svg/>') == "figure 'f': SVG declares a DOCTYPE or entity"
    assert judged(b'<svg xmlns="http://www.w3.org/2000/svg"><text>\xff</text></svg>') \
        .startswith("figure 'f': Graphviz wrote malformed SVG (not well-formed")


def test_every_rendered_figure_passes_both():
    for path in sorted((REPO / "renders").glob("*.svg")):
        data = path.read_bytes()
        assert judged(data) is None and reference(data) is None, path


PIECES = st.sampled_from([
    "<g>", "</g>", "<g/>", "<style>", "</style>", ".a{fill:#000}", "@import 'x';", "<script/>",
    '<a xlink:href="https://doi.org/1">', "</a>", '<a xlink:href="http://x">',
    '<path fill="url(#a)"/>', '<path fill="url(x)"/>', '<text onclick="x">t</text>',
    "<title>t</title>", "<desc/>", '<g style="x"/>', "<s:g/>", "<s:script/>", "<![CDATA[<x>]]>",
    "<!-- c -->", "&amp;", "<foreignObject/>", '<g xml:base="u"/>', " ", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=12))
def test_generated_documents_get_the_same_verdict(pieces):
    doc = f"{ROOT}{''.join(pieces)}</svg>".encode()
    assert judged(doc) == reference(doc)
