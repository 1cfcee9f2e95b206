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


# ---- the scan: a real figure's drawing judged on its bytes (svg._scan_passes)

def today(svg: bytes) -> str | None:
    """The check as it was before the scan: the drawing gathered, else judged element
    by element (both still in svg.py, as the scan's fallbacks)."""
    try:
        if not S._check(svg, name="f", where=None, mode=S._GATHER):
            S._check(svg, name="f", where=None, mode=S._EXACT)
    except MechgraphError as e:
        return e.message
    return None


def scanned(svg: bytes) -> bool:
    """Whether the scan alone vouched for the document (no fallback needed)."""
    try:
        return S._check(svg, name="f", where=None, mode=S._SCAN)
    except MechgraphError:  # refused before the drawing, or malformed
        return False


FIGURE = (REPO / "renders" / "ketamine-cascade.svg").read_bytes()
_DRAWING = FIGURE.index(b">\n", FIGURE.index(b'<g id="ketamine-cascade--graph0"')) + 2


def inside(fragment: str, figure: bytes = FIGURE, at: int = _DRAWING) -> bytes:
    """A real figure with ``fragment`` placed inside its drawing."""
    return figure[:at] + fragment.encode("utf-8") + figure[at:]


def test_every_rendered_figure_is_vouched_for_by_the_scan():
    for path in sorted((REPO / "renders").glob("*.svg")):
        assert scanned(path.read_bytes()), path
    # and text with "=" in it, as a label or a tooltip may hold
    assert scanned(inside('<a xlink:title="IC50 = 3 nM; a=b"><text x="1">Ki = 2 nM, '
                          'x=y (z)</text></a>'))


DRAWING_CASES = [
    "", "<g/>", '<g id="a" class="b"><text x="1" y="2">a = "b" onload="x"</text></g>',
    "<script/>", "<s:g/>", "<foreignObject/>", "<Script/>", "<gx/>", "<g\n/>", "<g\t/>",
    '<g onload="x"/>', '<g\nonload="x"/>', '<g id="a"\tonload="x"/>', "<g onload='x'/>",
    '<g onload ="x"/>', '<g onload= "x"/>', "<g onload = 'x'/>", '<g ONLOAD="x"/>',
    '<g id="a" style="x"/>', '<g xml:base="x"/>', '<g xmlns="urn:x"><script/></g>',
    '<g xmlns="urn:x"><g/></g>', '<g xmlns="http://www.w3.org/2000/svg"/>',
    '<g xmlns:e="urn:e"><e:g/></g>', '<g data-x="1"/>', '<g ID="a"/>', '<g href="x"/>',
    '<path fill="url(#a)"/>', '<path fill="url(x)"/>', '<path fill="&#40;x)"/>',
    '<path stroke="url(https://e.example/x)"/>', '<path fill="#000" stroke="black"/>',
    '<path fill=\'url(x)\'/>', '<path filter="url(x)"/>', '<path Fill="url(x)"/>',
    '<a xlink:href="https://doi.org/10.1/x"/>', '<a xlink:href="javascript:x"/>',
    '<a xlink:href="https://doi.org/&#x41;"/>', '<a xlink:href=\'javascript:x\'/>',
    '<a xlink:href="https://doi.org/a b"/>', '<a xlink:href="https://evil.example/x"/>',
    '<a xlink:href = "javascript:x"/>', '<a xmlns:xlink="urn:y" xlink:href="javascript:x"/>',
    '<a xlink:title="a=b (c) url(x) &amp; onload=&quot;x&quot;"/>',
    '<a xlink:href="https://identifiers.org/hgnc:1" xlink:title="t"><title>t</title></a>',
    "<!-- <script/> -->", "<![CDATA[<script/>]]>", "<?pi x?>", "<g>&lt;script&gt;</g>",
    "<g>&undefined;</g>", "<g a='1' a='2'/>", "<g>", "</g>", "<style>.a{}</style>",
    '<text x="1">fill="url(x)" xlink:href="javascript:x"</text>',
    '<text x="1">\'</text><g onload="x"/>', '<g id="a\'b" onload="x"/>',
    '<g id="a" xlink:title="x"\ronload="y"/>',
]


@pytest.mark.parametrize("fragment", DRAWING_CASES)
def test_inside_a_real_figure_the_verdict_is_the_tree_checks(fragment):
    doc = inside(fragment)
    assert judged(doc) == reference(doc) == today(doc)


def test_the_drawing_cases_cover_both_verdicts_and_both_ways():
    docs = [inside(f) for f in DRAWING_CASES]
    refused = [reference(d) is not None for d in docs]
    assert sum(refused) >= 30 and len(refused) - sum(refused) >= 5
    assert 3 <= sum(map(scanned, docs)) < len(docs)  # some vouched for, some judged again


def test_the_scan_does_not_vouch_for_what_it_cannot_read():
    assert scanned(FIGURE)
    # a drawing that does not start where expat said (the head's start tags are counted)
    doc = inside("<script/>")
    start = doc.index(b'<g id="ketamine-cascade--graph0"')
    later = doc.index(b"<g ", _DRAWING)  # after the script
    before = len(S._START_TAG.findall(doc, 0, start))
    assert S._scan_passes(doc, start, before, "UTF-8") is False  # sees the script
    assert S._scan_passes(doc, later, before, "UTF-8") is False  # the count is off
    assert S._scan_passes(doc, later, len(S._START_TAG.findall(doc, 0, later)), "UTF-8")
    # a declared encoding other than UTF-8 (expat would read the bytes as it says)
    assert not scanned(FIGURE.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"', 1))
    # a comment, CDATA or processing instruction before the drawing
    head = FIGURE.index(b"<style>")
    for extra in (b"<!-- c -->", b"<?pi x?>"):
        doc = FIGURE[:head] + extra + FIGURE[head:]
        assert not scanned(doc) and judged(doc) == today(doc)
    # the same figure in UTF-16: expat reads it alike, the scan does not vouch for it
    doc = FIGURE.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert not scanned(doc) and judged(doc) is None
    doc = doc.decode("utf-16").replace("<text ", "<script/><text ", 1).encode("utf-16")
    assert judged(doc) == today(doc) == "figure 'f': SVG holds a <script> element"
    # latin-1: expat reads it, the scan does not vouch for it; its verdict is today's
    doc = inside('<a xlink:href="https://doi.org/\xe9"/>').replace(
        b'encoding="UTF-8"', b'encoding="ISO-8859-1"', 1)
    assert not scanned(doc) and judged(doc) == today(doc) is not None


# (the usual choices repeated: most generated drawings are well-formed, about a third
# pass, and the scan vouches for a tenth)
NAMES = st.sampled_from(["g", "a", "text", "path"] * 12 + ["script", "s:g", "G", "style"])
ATTRS = st.sampled_from(["id", "class", "x", "fill", "stroke", "xlink:href", "xlink:title"] * 12
                        + ["onload", "style", "ID", "xmlns", "xmlns:xlink", "data-x", "href",
                           "s:fill", "xml:base", "transform", "filter"])
VALUES = st.sampled_from(["a", "#000", "url(#a)", "https://doi.org/x", "a (b)", ""] * 8
                         + ["url(x)", "&#40;", "javascript:x", "https://doi.org/&#x41;", "a=b",
                            "'", "urn:x", "http://www.w3.org/2000/svg", "https://doi.org/a b",
                            "https://identifiers.org/(x)", "&amp;", "a\tb"])
SEPARATORS = st.sampled_from([" "] * 20 + ["\n", "\t", "\r\n"])
EQUALS = st.sampled_from(["="] * 20 + [" =", "= ", "\n=\n"])
QUOTES = st.sampled_from(['"'] * 12 + ["'"])
TEXTS = st.sampled_from(["", "t", 'a = "b"', ' onload="x" ', "&amp;", "'", "=", "<!-- c -->",
                         "<?p q?>", "<![CDATA[<x>]]>", "&lt;g onload=&quot;x&quot;&gt;"])


@st.composite
def markup(draw) -> str:
    """An element: a start tag with attributes written every way XML allows, then either
    "/>" or text and its end tag; now and then a stray end tag."""
    name = draw(NAMES)
    attrs = []
    for attr in draw(st.lists(ATTRS, max_size=3, unique=True)):
        q = draw(QUOTES)
        value = draw(VALUES).replace(q, "")
        attrs.append(f"{draw(SEPARATORS)}{attr}{draw(EQUALS)}{q}{value}{q}")
    tag = f"<{name}{''.join(attrs)}{draw(st.sampled_from(['', '', ' ', chr(10)]))}"
    ending = draw(st.integers(0, 9))
    if ending == 0:
        return f"</{name}>"
    return tag + ("/>" if ending < 5 else f">{draw(TEXTS)}</{name}>")


@settings(max_examples=500, deadline=None)
@given(st.lists(markup(), max_size=8))
def test_generated_drawings_get_the_same_verdict(pieces):
    doc = inside("".join(pieces))
    assert judged(doc) == reference(doc) == today(doc)
