"""SVG that reads well wherever it is embedded: light and dark colours, unique ids.

Graphviz writes fixed colours as presentation attributes (``fill="#a6cee3"``,
``stroke="black"``). :func:`theme_svg` leaves those in place (they are what a reader
without CSS sees) and adds one ``<style>`` element whose rules override them through
CSS custom properties, with a light and a dark value for each colour:

- ``prefers-color-scheme: dark`` selects the dark values;
- a page can force either by setting ``mg-dark`` or ``mg-light`` on any ancestor (or on
  the ``<svg>`` itself);
- the background is transparent unless the root also has the class ``mg-solid``.

Every rule is scoped to ``.mg-fig``, the class of every mechgraph SVG, and is the same
for every figure (a colour always maps to the same dark colour), so many figures on
one page never disagree. Every ``id`` is prefixed (``PREFIX--id``) so that figures,
and two copies of one figure, never repeat an id on a page. No script; byte-stable.
"""

from __future__ import annotations

import re

from ..errors import MechgraphError
from .svgtext import (  # noqa: F401 (the text transforms live there; see its docstring)
    INK, MARK, PREFIX, ROOT_CLASS, SEP, THEME_VERSION, SvgTextError, dark_variant, stylesheet,
)
from .svgtext import theme_text as _theme_text

def current(svg_path) -> bool:
    """Whether an SVG file on disk was themed by this version (its first 4 KiB say)."""
    try:
        with open(svg_path, "rb") as fh:
            return MARK.encode() in fh.read(4096)
    except OSError:
        return False


def svg_prefix(figure_id: str) -> str:
    """The default id prefix of a figure: its id, made to start with a letter."""
    return figure_id if PREFIX.fullmatch(figure_id) else "mg-" + figure_id


def theme_svg(svg: bytes, *, prefix: str) -> bytes:
    """Normalised SVG (see :func:`.svg.normalise_svg`) made themeable, its ids prefixed."""
    return theme_text(svg.decode("utf-8"), prefix=prefix).encode("utf-8")


def theme_text(text: str, *, prefix: str) -> str:
    """:func:`theme_svg` on text."""
    try:
        return _theme_text(text, prefix=prefix)
    except SvgTextError as e:
        raise MechgraphError(str(e)) from None


def _prefix(text: str, rename) -> str:
    text = re.sub(r'(\sid=")([^"]+)"', lambda m: f'{m.group(1)}{rename(m.group(2))}"', text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{rename(m.group(1))})", text)
    return re.sub(r'(aria-labelledby=")([^"]+)"',
                  lambda m: m.group(1) + " ".join(map(rename, m.group(2).split())) + '"', text)


def reprefix(svg: str, old: str, new: str, *, classes: str = "") -> str:
    """A themed SVG's ids moved from prefix ``old`` to ``new``; ``classes`` added to the root.

    Only ids, ``url(#...)`` references and ``aria-labelledby`` change: a tooltip that
    happens to mention the figure's id is left alone.
    """
    if not PREFIX.fullmatch(new):
        raise MechgraphError(f"id prefix {new!r} is not usable (a letter, then letters, "
                             "digits, '.', '_' or '-')")
    head = old + SEP
    text = _prefix(svg, lambda i: new + SEP + i.removeprefix(head) if i.startswith(head) else i)
    if classes:
        text = text.replace(f'class="{ROOT_CLASS}"', f'class="{ROOT_CLASS} {classes}"', 1)
    return text


def inline(svg: str) -> str:
    """An SVG file's text as an HTML fragment: no XML declaration."""
    return re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)


THEMES = ("auto", "light", "dark")
BACKGROUNDS = ("transparent", "solid")


def embed(svg: str, figure_id: str, *, prefix: str | None = None, theme: str = "auto",
          background: str = "transparent") -> str:
    """A rendered figure's SVG as an inline HTML fragment.

    ``prefix`` replaces the figure id in every id (give each copy of a figure on one page
    its own); ``theme`` pins the colours (``auto`` follows the reader's setting);
    ``background`` ``solid`` paints the page behind the figure.
    """
    if theme not in THEMES:
        raise MechgraphError(f"unknown theme {theme!r} (expected one of: {', '.join(THEMES)})")
    if background not in BACKGROUNDS:
        raise MechgraphError(f"unknown background {background!r} "
                             f"(expected one of: {', '.join(BACKGROUNDS)})")
    classes = " ".join(c for c in (f"mg-{theme}" if theme != "auto" else "",
                                   "mg-solid" if background == "solid" else "") if c)
    old = svg_prefix(figure_id)
    return inline(reprefix(svg, old, prefix or old, classes=classes))
