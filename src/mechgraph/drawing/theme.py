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

import colorsys
import functools
import re

from ..errors import MechgraphError

ROOT_CLASS = "mg-fig"
SEP = "--"  # docutils and Graphviz ids never hold a double hyphen
PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,127}")
_NAMED = {"black": "000000", "white": "ffffff"}
_COLOUR_ATTR = re.compile(r'\b(fill|stroke)="(#[0-9a-fA-F]{6}|black|white)"')
# The same, one literal-prefixed pattern per attribute (much faster to search); the
# word boundary before the name is checked by hand (see _colours).
_COLOUR_OF = tuple((attr, re.compile(attr + r'="(#[0-9a-fA-F]{6}|black|white)"'))
                   for attr in ("fill", "stroke"))
INK = "000000"  # text without a colour of its own
#: Written on every themed root; raised when the SVG post-processing changes, so that
#: renders made by an older mechgraph from the same DOT are drawn again.
THEME_VERSION = "1"
MARK = f'data-mg-theme="{THEME_VERSION}"'


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


def _rgb(hexa: str) -> tuple[float, float, float]:
    return tuple(int(hexa[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(r: float, g: float, b: float) -> str:
    return "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in (r, g, b))


def dark_variant(hexa: str) -> str:
    """The colour a light-background colour becomes on a dark background.

    Greys invert: dark ones (ink) become light enough to read on a dark page and on a
    darkened fill, light ones (white paper, a pale cluster) a dark surface a little
    above the page; pale fills (a pathway's colour) keep their
    hue at a low lightness, so light text stays readable on them; saturated strokes
    (an inhibition's red) keep their hue at a higher lightness.
    """
    hue, light, sat = colorsys.rgb_to_hls(*_rgb(hexa.lower()))
    if sat < 0.12 or light in (0.0, 1.0):
        dark = 0.95 - 0.6 * light if light <= 0.5 else 0.12 + 0.8 * (1 - light)
        return _hex(*colorsys.hls_to_rgb(hue, dark, sat))
    if light >= 0.6:
        return _hex(*colorsys.hls_to_rgb(hue, 0.25, min(sat, 0.45)))
    return _hex(*colorsys.hls_to_rgb(hue, max(light, 0.68), min(sat, 0.8)))


def _var(hexa: str) -> str:
    return f"--mg-c-{hexa}"


def _block(selector: str, values: dict[str, str]) -> str:
    return selector + "{" + ";".join(f"{k}:{v}" for k, v in values.items()) + "}"


def stylesheet(colours: set[tuple[str, str]]) -> str:
    """The CSS of a figure using ``colours``: (attribute, literal) pairs as Graphviz wrote them."""
    hexes = sorted({_NAMED.get(lit, lit.lstrip("#").lower()) for _, lit in colours} | {INK, "ffffff"})
    light = {_var(h): f"#{h}" for h in hexes}
    dark = {_var(h): f"#{dark_variant(h)}" for h in hexes}
    root = f".{ROOT_CLASS}"
    rules = [
        _block(root, {**light, "--mg-paper": "transparent"}),
        _block(f"{root}.mg-solid", {"--mg-paper": f"var({_var('ffffff')},#fff)"}),
        "@media (prefers-color-scheme:dark){" + _block(root, dark) + "}",
        _block(f".mg-dark {root},{root}.mg-dark", dark),
        _block(f".mg-light {root},{root}.mg-light", light),
        f"{root}{{max-width:100%;height:auto}}",
        f"{root} a,{root} text{{text-decoration:none}}",
        f"{root} text:not([fill]){{fill:var({_var(INK)})}}",
    ]
    for attr, lit in sorted(colours):
        rules.append(f'{root} [{attr}="{lit}"]{{{attr}:var({_var(_NAMED.get(lit, lit[1:].lower()))})}}')
    rules.append(f"{root} .mg-bg{{fill:var(--mg-paper)}}")
    return "\n".join(rules)


def theme_svg(svg: bytes, *, prefix: str) -> bytes:
    """Normalised SVG (see :func:`.svg.normalise_svg`) made themeable, its ids prefixed."""
    return theme_text(svg.decode("utf-8"), prefix=prefix).encode("utf-8")


def theme_text(text: str, *, prefix: str) -> str:
    """:func:`theme_svg` on text."""
    if not PREFIX.fullmatch(prefix):
        raise MechgraphError(f"id prefix {prefix!r} is not usable (a letter, then letters, "
                             "digits, '.', '_' or '-')")
    colours = _colours(text)
    # Graphviz's page background: the first polygon of the top group
    text = _BACKGROUND.sub(r'\1 class="mg-bg" fill="white"', text, count=1)
    # every id prefixed (a PREFIX holds no backslash: safe in a replacement template)
    text = _ID.sub(rf'id="{prefix}{SEP}\1"', text)
    text = _URL.sub(rf"url(#{prefix}{SEP}\1)", text)
    text = _LABELLED.sub(lambda m: m.group(1) + " ".join(f"{prefix}{SEP}{i}" for i in
                                                         m.group(2).split()) + '"', text)
    # a tooltip as a <title> child too: what browsers show for inline SVG
    text = _TOOLTIP.sub(r"\1<title>\2</title>", text)
    style = f"<style>\n{_stylesheet(frozenset(colours))}\n</style>\n"
    text, n = re.subn(r"<svg\b([^>]*)>\n", lambda m: f'<svg{m.group(1)} class="{ROOT_CLASS}" {MARK}>\n'
                      + style, text, count=1)
    if n != 1:
        raise MechgraphError(f"figure {prefix!r}: SVG has no <svg> element")
    return text


def _colours(text: str) -> set[tuple[str, str]]:
    """What _COLOUR_ATTR finds in ``text``: (attribute, literal) pairs."""
    found = set()
    for attr, pattern in _COLOUR_OF:
        for m in pattern.finditer(text):
            i = m.start()
            if i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"):  # \b
                found.add((attr, m.group(1)))
    return found


_stylesheet = functools.lru_cache(maxsize=256)(lambda colours: stylesheet(set(colours)))
_BACKGROUND = re.compile(r'(<g id="graph0" class="graph"[^>]*>\s*<polygon) fill="white"')
# an id attribute (after white space): the literal first, for a fast search
_ID = re.compile(r'id="(?<=\sid=")([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")
_LABELLED = re.compile(r'(aria-labelledby=")([^"]+)"')
_TOOLTIP = re.compile(r'(<a\b[^>]*?\sxlink:title="([^"]*)"[^>]*>)')


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
