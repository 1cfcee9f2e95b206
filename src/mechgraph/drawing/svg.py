"""Graphviz's SVG made stable, embeddable and safe, and its PDF made stable.

SVG output is normalised (no version comment, no synthetic ids in ``<title>``) and
checked (no scripts, event attributes, foreign objects, or links other than https
resolvers) before anything is written.
"""

from __future__ import annotations

import itertools
import re
from xml.parsers import expat

from ..errors import MechgraphError
from ..gcpause import gc_paused
from ..model import Location
from .quoting import ALLOWED_HOSTS
from .svgtext import SvgTextError, xml_text  # noqa: F401 (re-exported)
from .svgtext import normalise_text as _normalise_text

_SVG_NS = "http://www.w3.org/2000/svg}"  # as expat names it (namespace, separator)
_SVG_NS_LEN = len(_SVG_NS)
_DECLARES = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)
_SVG_TAGS = frozenset({"svg", "g", "title", "desc", "a", "path", "polygon", "polyline",
                       "ellipse", "circle", "rect", "line", "text", "defs", "linearGradient",
                       "radialGradient", "stop"})
_SVG_QNAMES = _SVG_TAGS | {_SVG_NS + t for t in _SVG_TAGS}  # as expat names them
_ALLOWED_LINK = re.compile(r"https://(%s)/[A-Za-z0-9._~:/()%%-]*"
                           % "|".join(re.escape(h) for h in ALLOWED_HOSTS))
# Presentation attributes that may hold url(...): only url(#id) of our own gradients.
_PAINT = frozenset({"fill", "stroke", "filter", "mask", "clip-path", "marker-start",
                    "marker-mid", "marker-end", "cursor"})
# Attributes Graphviz writes that no rule below looks at (a fast path, nothing more).
_PLAIN = frozenset({"id", "class", "x", "y", "width", "height", "points", "d", "cx", "cy",
                    "rx", "ry", "transform", "viewbox", "font-family", "font-size",
                    "text-anchor", "stroke-width", "stroke-dasharray", "fill-opacity",
                    "stroke-opacity", "title", "target", "xmlns", "font-weight", "font-style",
                    "version", "role", "aria-labelledby"})
_SKIP, _PAINTED = 0, 1
_KIND = {**dict.fromkeys(_PLAIN, _SKIP), "http://www.w3.org/1999/xlink}title": _SKIP,
         "fill": _PAINTED, "stroke": _PAINTED}  # attribute names exactly as expat gives them
# Names whose every value without a "(" passes: no rule looks at them but url(...)'s.
_KNOWN = frozenset(_KIND)
_URL_REF = re.compile(r"url\(([^)]*)\)", re.I)


def normalise_svg(svg: bytes, *, title: str, desc: str | None) -> bytes:
    """Graphviz's SVG made stable and embeddable.

    Drops the version and title comments, the DOCTYPE, and the ``<title>`` elements
    that only repeat synthetic ids; gives the root a ``<title>``/``<desc>`` and an
    accessible role.
    """
    return normalise_text(svg.decode("utf-8"), title=title, desc=desc).encode("utf-8")


def normalise_text(text: str, *, title: str, desc: str | None) -> str:
    """:func:`normalise_svg` on text."""
    try:
        return _normalise_text(text, title=title, desc=desc)
    except SvgTextError as e:
        raise MechgraphError(str(e)) from None


@gc_paused  # many small objects, no cycles worth collecting
def check_svg(svg: bytes, *, name: str, where: Location | None = None) -> None:
    """Refuse SVG that could run code or send a reader anywhere but a citation resolver.

    Markup and link targets are judged, never text: a tooltip that reads
    "javascript: ..." is escaped text in an attribute, as harmless as any other words.
    A refusal names the figure's file:line (where it, or its pathway, is declared).

    One pass of expat over the bytes; the first problem in document order is raised
    once the whole document has parsed (malformed XML is reported as such first).
    The root and its children up to the drawing (its first ``<g>`` child) are judged
    element by element as expat reports them; from the drawing on, expat only proves the
    document well-formed (a Python call per element is most of the cost), and the
    drawing's markup is judged on the bytes by two regular expressions that run in C
    (see _scan_passes). When those cannot vouch for it (anything unusual), the pass is
    made again with the drawing's elements gathered and judged together (_all_pass),
    and if even that fails, once more judging every element as it comes, which finds
    and reports the first problem.
    """
    if not (_check(svg, name=name, where=where, mode=_SCAN)
            or _check(svg, name=name, where=where, mode=_GATHER)):
        _check(svg, name=name, where=where, mode=_EXACT)


_SCAN, _GATHER, _EXACT = "scan", "gather", "exact"  # how check_svg judges the drawing


def _check(svg: bytes, *, name: str, where: Location | None, mode: str) -> bool:
    """check_svg's pass: raises the first problem found element by element; else False
    if the drawing could not be vouched for at once (``mode`` _SCAN: by _scan_passes;
    _GATHER: by _all_pass; the caller then checks again), else True."""
    def refuse(problem: str) -> MechgraphError:
        return MechgraphError(f"figure {name!r}: {problem}", path=where.path if where else None,
                              line=where.line if where else None)

    if _DECLARES.search(svg):
        raise refuse("SVG declares a DOCTYPE or entity")
    found: list[MechgraphError] = []  # the first problem
    depth = [0]
    children = [0]  # of the root so far
    css: list[list[str]] = []  # the text of our <style>, while it is read
    seen = [0]  # elements started so far (before the drawing, in _SCAN mode)
    region: list[int] = []  # _SCAN: the byte offset where the drawing starts
    declared: list[str | None] = []  # the XML declaration's encoding, if any

    def style_done() -> None:
        parser.CharacterDataHandler = None  # text elsewhere is never judged
        try:
            check_css("".join(css.pop()), name=name)  # ours (drawing/theme.py), still checked
        except MechgraphError as e:
            found.append(e)

    def start(qname: str, attrs: list[str]) -> None:
        """Elements until the root's fourth child: depth counted, for <style>."""
        if css:
            style_done()
        level = depth[0]
        depth[0] = level + 1
        seen[0] += 1
        if level == 1:
            children[0] += 1
        if found:
            return
        if (level == 1 and children[0] <= 4 and not attrs
                and qname in (_SVG_NS + "style", "style")):
            css.append([])
            parser.CharacterDataHandler = text
            return
        if level == 1 and children[0] >= 4:
            # from here on no <style> can be ours (only the root's first four children
            # may be): every element is judged alike and depth no longer matters
            drawing()
        elif mode != _EXACT and level == 1 and qname == _SVG_NS + "g":
            # the drawing: scanned or gathered from here on (a later <style>, which
            # could be ours as the fourth child, fails both: the exact check decides)
            drawing()
        late(qname, attrs)

    def drawing() -> None:
        if mode == _SCAN:  # expat only proves well-formedness from here on
            region.append(parser.CurrentByteIndex)
            parser.StartElementHandler = parser.EndElementHandler = None
        else:
            parser.StartElementHandler, parser.EndElementHandler = (
                gathered if mode == _GATHER else late), None

    gathered_items: list = []  # qname, attrs, qname, attrs, ...
    keep = gathered_items.append

    def gathered(qname: str, attrs: list[str]) -> None:
        keep(qname)
        keep(attrs)

    def late(qname: str, attrs: list[str]) -> None:
        if found:
            return
        if qname not in _SVG_QNAMES:
            tag = qname[_SVG_NS_LEN:] if qname.startswith(_SVG_NS) else (
                "{" + qname if "}" in qname else qname)
            found.append(refuse(f"SVG holds a <{tag}> element"))
            return
        if _KNOWN.issuperset(attrs[::2]) and "(" not in "".join(attrs[1::2]):
            return  # every attribute one the loop below would pass at once (the usual case)
        it = iter(attrs)
        for attr, value in zip(it, it):
            kind = _KIND.get(attr)
            if kind is _SKIP or (kind is _PAINTED and "(" not in value):
                continue  # what the rules below would pass, found quickly
            local = (attr.rpartition("}")[2] if "}" in attr else attr).lower()
            if local in _PLAIN:
                continue
            if local.startswith("on"):
                problem = f"SVG holds an event attribute {local!r}"
            elif local in ("style", "base"):
                problem = f"SVG holds a {local!r} attribute"
            elif local == "href" and not _ALLOWED_LINK.fullmatch(value):
                problem = (f"SVG links to {value!r}; only https links to "
                           f"{', '.join(ALLOWED_HOSTS)} are allowed")
            elif local in _PAINT and any(not ref.strip().startswith("#")
                                         for ref in _URL_REF.findall(value)):
                problem = (f"SVG attribute {local!r} refers to {value!r}; only references "
                           "to the figure's own gradients (url(#id)) are allowed")
            else:
                continue
            found.append(refuse(problem))
            return

    def end(qname: str) -> None:
        if css:
            style_done()
        depth[0] -= 1

    def text(data: str) -> None:
        css[-1].append(data)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.ordered_attributes = True
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler = start, end
    if mode == _SCAN:
        parser.XmlDeclHandler = lambda version, encoding, standalone: declared.append(encoding)
    try:
        parser.Parse(svg, True)
    except expat.ExpatError as e:
        raise refuse(f"Graphviz wrote malformed SVG ({e})") from e
    if found:
        raise found[0]
    if mode == _SCAN:
        return not region or _scan_passes(svg, region[0], seen[0] - 1,
                                          declared[0] if declared else None)
    return not gathered_items or _all_pass(gathered_items)


# ---- _SCAN: the drawing judged on the bytes, once expat has found them well-formed.
# In a well-formed document in UTF-8 (or ASCII) with no comment, CDATA section or
# processing instruction, every "<" starts a start or end tag (a "<" can be neither in
# text nor in an attribute value), and every attribute of a start tag is written
# white space, name, optional white space, "=", optional white space, quoted value.
_UTF8 = frozenset({None, "utf-8", "UTF-8"})
_MARKUP_DECL = re.compile(rb"<[!?]")  # a comment, CDATA, DOCTYPE or processing instruction
_START_TAG = re.compile(rb"<(?![/?])")
# A "<" that starts neither an end tag nor a start tag whose raw name (no prefix) is an
# SVG element name: any other element, any prefixed one, and any "<!" or "<?".
_BAD_ELEMENT = re.compile(rb"<(?!/|(?:%s)[ \t\r\n/>])" % b"|".join(
    re.escape(t).encode() for t in sorted(_SVG_TAGS, key=lambda t: (-len(t), t))))
# Raw attribute names that pass the element-by-element rules whatever their value: the
# plain ones without a prefix (an unprefixed attribute is in no namespace: expat names it
# as written) but xmlns, which would change the default namespace, and xlink:title
# (whatever namespace its prefix is bound to, its local name "title" is plain).
_COMMON = ("id", "fill", "stroke", "stroke-width", "points", "class", "xlink:title", "x", "y", "text-anchor",
           "font-family", "font-size", "d")  # tried first: the most frequent in a figure
_SCAN_PLAIN = frozenset(_PLAIN - {"xmlns"} | {"xlink:title"})
_SCAN_LINK = rb"https://(?:%s)/[A-Za-z0-9._~:/()%%-]*+" % b"|".join(
    re.escape(h).encode() for h in ALLOWED_HOSTS)
# Every attribute's "=" followed at once by a double quote, preceded at once by a name that
# passes whatever its value, preceded by white space. An "=" followed by optional white
# space and a single quote, or by white space and a double quote, is one the scan cannot
# vouch for (_BAD_SPACING); an "=" followed by a double quote but not preceded by one of
# these names and white space neither: searched in the reversed bytes, where the name
# follows the "=" (a lookahead: in the bytes as they are, a lookbehind per name costs
# three times as much). (An "=" in text or in a value can only make it more cautious;
# "a = b" in a label is neither.)
_SCAN_NAMES = sorted(_SCAN_PLAIN | {"fill", "stroke", "xlink:href"}, key=lambda n: (
    n not in _COMMON, _COMMON.index(n) if n in _COMMON else 0, n))
_BAD_SPACING = re.compile(rb"=(?=[ \t\r\n'])(?:[ \t\r\n]*+'|[ \t\r\n]++\")")  # (?=: a quick test)
_BAD_NAME_REVERSED = re.compile(rb"\"=(?!(?:%s)[ \t\r\n])" % b"|".join(
    re.escape(n[::-1]).encode() for n in _SCAN_NAMES))
# The values those names are judged by, each occurrence of its name="" found by the
# literal: a fill or stroke whose value (up to the next double quote) holds a "(" or an
# "&" (a character reference could decode to one); an xlink:href whose value, as written
# (no "&", no white space: as expat decodes it), is not fully an allowed link.
_BAD_VALUES = (re.compile(rb'fill="[^"(&]*+[(&]'), re.compile(rb'stroke="[^"(&]*+[(&]'),
               re.compile(rb'xlink:href="(?!%s")' % _SCAN_LINK))


def _scan_passes(svg: bytes, at: int, before: int, encoding: str | None) -> bool:
    """Whether the drawing, from byte ``at`` (where expat reported its start tag, after
    ``before`` other start tags) to the end, passes the element-by-element rules, judged
    on the bytes of a document expat found well-formed and in which the head (the root
    and what precedes the drawing) raised no problem.

    Conservative: True only when every start tag from ``at`` on has an SVG element's name
    without a prefix (in the SVG namespace or none: no xmlns attribute can follow, and the
    drawing is the root's child, so the root's default namespace applies; the head's
    check made sure the drawing's name is an SVG one) and every attribute is written
    ``name="value"`` with a name and value that pass at once (_BAD_SPACING,
    _BAD_NAME_REVERSED, _BAD_VALUES); the head holds no comment, CDATA or processing instruction (but the XML
    declaration), and ``at`` is indeed a start tag, the one after ``before`` others; the
    document is UTF-8 (no byte order mark, no other declared encoding). False says
    nothing: the caller judges again, element by element.
    """
    if encoding not in _UTF8 or svg[:1] != b"<" or svg[1:2] == b"\0" or svg[at:at + 1] != b"<":
        return False
    if _MARKUP_DECL.search(svg, 1 if svg.startswith(b"<?xml ") else 0, at):
        return False
    if len(_START_TAG.findall(svg, 0, at)) != before:
        return False
    if _BAD_ELEMENT.search(svg, at) or _BAD_SPACING.search(svg, at) or any(
            p.search(svg, at) for p in _BAD_VALUES):
        return False
    return _BAD_NAME_REVERSED.search(svg[::-1], 0, len(svg) - at) is None


_XLINK_HREF = "http://www.w3.org/1999/xlink}href"  # as expat names it
_KNOWN_OR_HREF = _KNOWN | {_XLINK_HREF}
_PAINTED_NAMES = frozenset(k for k, kind in _KIND.items() if kind is _PAINTED)


def _all_pass(items: list) -> bool:
    """Whether every (qname, attrs) in ``items`` (flattened) passes the element-by-element
    rules: an SVG element; every attribute one that passes whatever its value, a fill or
    stroke without a "(", or an xlink:href whose value is an allowed link (as expat gives
    it, entities decoded; the rule's own test). Iterators only: no Python call per item."""
    flat = list(itertools.chain.from_iterable(items[1::2]))
    names, values = flat[::2], flat[1::2]
    if not (_SVG_QNAMES.issuperset(items[::2]) and _KNOWN_OR_HREF.issuperset(names)):
        return False
    if "(" in "".join(itertools.compress(values, map(_PAINTED_NAMES.__contains__, names))):
        return False
    return _XLINK_HREF not in names or all(map(_ALLOWED_LINK.fullmatch, itertools.compress(
        values, map(_XLINK_HREF.__eq__, names))))


# What our stylesheet may contain: selectors, custom properties, colours, and one at-rule.
_CSS_CHARS = re.compile(r'[-\w#.,:;(){}\[\]="%!>* \n]*')
_CSS_AT = "@media (prefers-color-scheme:dark){"


def check_css(css: str, *, name: str) -> None:
    """Refuse a stylesheet that could fetch, import or evaluate anything."""
    bare = css.replace(_CSS_AT, "")
    low = bare.lower()
    for bad in ("url(", "import", "expression", "javascript", "behavior", "binding"):
        if bad in low:
            raise MechgraphError(f"figure {name!r}: SVG style holds {bad!r}")
    if not _CSS_CHARS.fullmatch(bare):
        raise MechgraphError(f"figure {name!r}: SVG style holds characters outside its "
                             "generated form (an at-rule, escape or quote)")


def fix_pdf(pdf: bytes) -> bytes:
    """cairo stamps the creation time; a fixed one of the same length keeps offsets valid."""
    return re.sub(rb"/CreationDate \(D:\d{14}[^)]*\)",
                  lambda m: b"/CreationDate (D:19700101000000Z" + b" " * (len(m.group(0)) - 33)
                  + b")", pdf)
