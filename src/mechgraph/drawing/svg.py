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
    From the root's drawing (its first ``<g>`` child) on, elements are only gathered
    during the pass (a Python call per element is most of the cost) and judged together
    after it, with iterators that run in C: if every one is an SVG element whose
    attributes all pass the rules at once (see _all_pass), the document passes;
    otherwise it is checked again, every element judged as it comes, which finds and
    reports the first problem.
    """
    if not _check(svg, name=name, where=where, gather=True):
        _check(svg, name=name, where=where, gather=False)


def _check(svg: bytes, *, name: str, where: Location | None, gather: bool) -> bool:
    """check_svg's pass; with ``gather``, False if the gathered elements did not all
    pass at once (the caller then checks again without gathering)."""
    def refuse(problem: str) -> MechgraphError:
        return MechgraphError(f"figure {name!r}: {problem}", path=where.path if where else None,
                              line=where.line if where else None)

    if _DECLARES.search(svg):
        raise refuse("SVG declares a DOCTYPE or entity")
    found: list[MechgraphError] = []  # the first problem
    depth = [0]
    children = [0]  # of the root so far
    css: list[list[str]] = []  # the text of our <style>, while it is read

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
            parser.StartElementHandler, parser.EndElementHandler = (
                gathered if gather else late), None
        elif gather and level == 1 and qname == _SVG_NS + "g":
            # the drawing: gathered from here on (a later <style>, which could be ours
            # as the fourth child, fails _all_pass: the check without gathering decides)
            parser.StartElementHandler, parser.EndElementHandler = gathered, None
        late(qname, attrs)

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
    try:
        parser.Parse(svg, True)
    except expat.ExpatError as e:
        raise refuse(f"Graphviz wrote malformed SVG ({e})") from e
    if found:
        raise found[0]
    return not gathered_items or _all_pass(gathered_items)


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
