"""Graphviz's SVG made stable, embeddable and safe, and its PDF made stable.

SVG output is normalised (no version comment, no synthetic ids in ``<title>``) and
checked (no scripts, event attributes, foreign objects, or links other than https
resolvers) before anything is written.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..errors import MechgraphError
from ..model import Location
from .quoting import ALLOWED_HOSTS

_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_SVG_TAGS = frozenset({"svg", "g", "title", "desc", "a", "path", "polygon", "polyline",
                       "ellipse", "circle", "rect", "line", "text", "defs", "linearGradient",
                       "radialGradient", "stop"})
_ALLOWED_LINK = re.compile(r"https://(%s)/[A-Za-z0-9._~:/()%%-]*"
                           % "|".join(re.escape(h) for h in ALLOWED_HOSTS))
# Presentation attributes that may hold url(...): only url(#id) of our own gradients.
_PAINT = frozenset({"fill", "stroke", "filter", "mask", "clip-path", "marker-start",
                    "marker-mid", "marker-end", "cursor"})
_URL_REF = re.compile(r"url\(([^)]*)\)", re.I)
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


#: what html.escape(text, quote=True) replaces (the html module's import, its entity
#: tables, costs a cold command more than every escape of a figure)
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def xml_text(text: str) -> str:
    return _XML_BAD.sub("", text).translate(_ESCAPES)


def normalise_svg(svg: bytes, *, title: str, desc: str | None) -> bytes:
    """Graphviz's SVG made stable and embeddable.

    Drops the version and title comments, the DOCTYPE, and the ``<title>`` elements
    that only repeat synthetic ids; gives the root a ``<title>``/``<desc>`` and an
    accessible role.
    """
    text = svg.decode("utf-8")
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    text = re.sub(r"<!--.*?-->\s*", "", text, flags=re.S)
    text = re.sub(r"<title>[^<]*</title>\s*", "", text)
    head = (f'<title id="mg-title">{xml_text(title)}</title>\n'
            + (f'<desc id="mg-desc">{xml_text(desc)}</desc>\n' if desc else ""))
    labelled = "mg-title mg-desc" if desc else "mg-title"
    text, n = re.subn(r"<svg\b([^>]*)>\s*",
                      lambda m: f'<svg{m.group(1)} role="img" aria-labelledby="{labelled}">\n'
                      + head, text, count=1)
    if n != 1:
        raise MechgraphError(f"figure {title!r}: Graphviz wrote no <svg> element")
    return text.encode("utf-8")


def check_svg(svg: bytes, *, name: str, where: Location | None = None) -> None:
    """Refuse SVG that could run code or send a reader anywhere but a citation resolver.

    Markup and link targets are judged, never text: a tooltip that reads
    "javascript: ..." is escaped text in an attribute, as harmless as any other words.
    A refusal names the figure's file:line (where it, or its pathway, is declared).
    """
    def refuse(problem: str) -> MechgraphError:
        return MechgraphError(f"figure {name!r}: {problem}", path=where.path if where else None,
                              line=where.line if where else None)

    text = svg.decode("utf-8")
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        raise refuse("SVG declares a DOCTYPE or entity")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise refuse(f"Graphviz wrote malformed SVG ({e})") from e
    for el in root.iter():
        tag = el.tag.removeprefix(_SVG_NS)
        if tag == "style" and el in list(root)[:4] and not el.attrib:
            check_css(el.text or "", name=name)  # ours (drawing/theme.py), still checked
            continue
        if tag not in _SVG_TAGS:
            raise refuse(f"SVG holds a <{tag}> element")
        for attr, value in el.attrib.items():
            local = attr.rpartition("}")[2].lower()
            if local.startswith("on"):
                raise refuse(f"SVG holds an event attribute {local!r}")
            if local in ("style", "base"):
                raise refuse(f"SVG holds a {local!r} attribute")
            if local == "href" and not _ALLOWED_LINK.fullmatch(value):
                raise refuse(f"SVG links to {value!r}; only https links to "
                             f"{', '.join(ALLOWED_HOSTS)} are allowed")
            if local in _PAINT and any(not ref.strip().startswith("#")
                                       for ref in _URL_REF.findall(value)):
                raise refuse(f"SVG attribute {local!r} refers to {value!r}; only references "
                             "to the figure's own gradients (url(#id)) are allowed")


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
