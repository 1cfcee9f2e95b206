"""Graphviz's SVG as text made stable, embeddable and themeable: the transforms of
:func:`.svg.normalise_svg` and :func:`.theme.theme_svg` (see those for what and why).

Standard library only, so that a layout worker (:mod:`.gvchild`, which runs without
site-packages) can apply them to the SVG it has just drawn, in its own process, while
this one makes the next figure's DOT; the result is checked (:func:`.svg.check_svg`)
here all the same, before anything is written.
"""

from __future__ import annotations

import colorsys
import functools
import re


class SvgTextError(ValueError):
    """What the transforms refuse (the callers turn it into a MechgraphError)."""


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


#: what html.escape(text, quote=True) replaces (the html module's import, its entity
#: tables, costs a cold command more than every escape of a figure)
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def xml_text(text: str) -> str:
    return _XML_BAD.sub("", text).translate(_ESCAPES)


def normalise_text(text: str, *, title: str, desc: str | None) -> str:
    """:func:`normalise_svg` on text."""
    text = _strip(text)
    head = (f'<title id="mg-title">{xml_text(title)}</title>\n'
            + (f'<desc id="mg-desc">{xml_text(desc)}</desc>\n' if desc else ""))
    labelled = "mg-title mg-desc" if desc else "mg-title"
    text, n = re.subn(r"<svg\b([^>]*)>\s*",
                      lambda m: f'<svg{m.group(1)} role="img" aria-labelledby="{labelled}">\n'
                      + head, text, count=1)
    if n != 1:
        raise SvgTextError(f"figure {title!r}: Graphviz wrote no <svg> element")
    return text


_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>\s*")
_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)
_TITLE = re.compile(r"<title>[^<]*</title>\s*")
_STRIPPED = re.compile(r"<(?:!DOCTYPE[^>]*>|!--.*?-->|title>[^<]*</title>)\s*", re.S)


def _strip(text: str) -> str:
    """The DOCTYPE, then every comment, then every ``<title>`` without markup in it
    removed (each with the white space after it), as three re.sub in turn would.

    One pass of the three patterns together gives the same text when removing one kind
    cannot make or unmake a match of a later kind: the DOCTYPE (if any; Graphviz writes
    one, near the top) is the only one, with no comment before or in it and nothing
    before it that could join what follows it into a "<!--"; and no "<title>" is left
    (a comment inside a title's text or tags would have kept that title whole, where
    the comment's removal first lets the third pass match it). Otherwise, three passes.
    """
    m = _DOCTYPE.search(text)
    if m is None or (text.find("<!DOCTYPE", m.end()) < 0 and text.find("<!--", 0, m.end()) < 0
                     and not text.endswith(("<", "<!", "<!-"), 0, m.start())):
        out = _STRIPPED.sub("", text)
        if "<title>" not in out:
            return out
    text = _DOCTYPE.sub("", text, count=_once(text, "<!DOCTYPE"))
    return _TITLE.sub("", _COMMENT.sub("", text))


ROOT_CLASS = "mg-fig"
SEP = "--"  # docutils and Graphviz ids never hold a double hyphen
PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,127}")
_NAMED = {"black": "000000", "white": "ffffff"}
_COLOUR_ATTR = re.compile(r'\b(fill|stroke)="(#[0-9a-fA-F]{6}|black|white)"')
_COLOUR_VALUE = "(#[0-9a-fA-F]{6}|black|white)"
INK = "000000"  # text without a colour of its own
#: Written on every themed root; raised when the SVG post-processing changes, so that
#: renders made by an older mechgraph from the same DOT are drawn again.
THEME_VERSION = "1"
MARK = f'data-mg-theme="{THEME_VERSION}"'


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


def theme_text(text: str, *, prefix: str) -> str:
    """:func:`theme_svg` on text."""
    if not PREFIX.fullmatch(prefix):
        raise SvgTextError(f"id prefix {prefix!r} is not usable (a letter, then letters, "
                             "digits, '.', '_' or '-')")
    colours = _colours(text)
    # Graphviz's page background: the first polygon of the top group
    text = _BACKGROUND.sub(r'\1 class="mg-bg" fill="white"', text, count=1)
    # every id prefixed (a PREFIX holds no backslash: safe in a replacement template)
    text = _sub_split(_ID, text, f'id="{prefix}{SEP}', '"')
    text = _URL.sub(rf"url(#{prefix}{SEP}\1)", text)
    text = _LABELLED.sub(lambda m: m.group(1) + " ".join(f"{prefix}{SEP}{i}" for i in
                                                         m.group(2).split()) + '"', text,
                         count=_once(text, 'aria-labelledby="'))
    # a tooltip as a <title> child too: what browsers show for inline SVG
    parts = _TOOLTIP.split(text)  # text, (tag, tooltip), text, ...: as sub(r"\1<title>\2</title>")
    parts[1::3] = [f"{tag}<title>{tip}</title>" for tag, tip in zip(parts[1::3], parts[2::3])]
    del parts[2::3]
    text = "".join(parts)
    style = f"<style>\n{_stylesheet(frozenset(colours))}\n</style>\n"
    text, n = re.subn(r"<svg\b([^>]*)>\n", lambda m: f'<svg{m.group(1)} class="{ROOT_CLASS}" {MARK}>\n'
                      + style, text, count=1)
    if n != 1:
        raise SvgTextError(f"figure {prefix!r}: SVG has no <svg> element")
    return text


def _sub_split(pattern: re.Pattern[str], text: str, head: str, tail: str) -> str:
    """``pattern.sub`` for a pattern of one group, each match replaced by head + the
    group + tail: without a Python call per match (re.sub expands a template in Python
    on every match)."""
    parts = pattern.split(text)
    parts[1::2] = [head + x + tail for x in parts[1::2]]
    return "".join(parts)


def _once(text: str, literal: str) -> int:
    """re.sub's count for a pattern whose every match starts with ``literal``: 1 (stop
    at the first match) when it occurs at most once, which changes nothing; else 0."""
    return 1 if text.count(literal) < 2 else 0


def _colours(text: str) -> set[tuple[str, str]]:
    """What _COLOUR_ATTR finds in ``text``: (attribute, literal) pairs.

    Its matches cannot overlap, so they are every occurrence of its text with the word
    boundary before the name (no word character: the name starts with one). Per
    attribute, a pattern led by the literal (fast to search) finds the next occurrence
    whose colour is not one found already, from the last one found on: as many searches
    as distinct colours, and no string made per match.
    """
    found = set()
    for attr in ("fill", "stroke"):
        seen: list[str] = []
        at = 0
        while m := _colour_after(attr, tuple(seen)).search(text, at):
            seen.append(m.group(1))
            at = m.end()
        found.update((attr, lit) for lit in seen)
    return found


@functools.lru_cache(maxsize=1024)
def _colour_after(attr: str, seen: tuple[str, ...]) -> re.Pattern[str]:
    """``attr="colour"`` with a word boundary before it, the colour none of ``seen``."""
    other = "(?!(?:%s)\")" % "|".join(map(re.escape, seen)) if seen else ""
    return re.compile(f'{attr}="(?<!\\w{attr}=")' + other + _COLOUR_VALUE + '"')


_stylesheet = functools.lru_cache(maxsize=256)(lambda colours: stylesheet(set(colours)))
_BACKGROUND = re.compile(r'(<g id="graph0" class="graph"[^>]*>\s*<polygon) fill="white"')
# an id attribute (after white space): the literal first, for a fast search
_ID = re.compile(r'id="(?<=\sid=")([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")
_LABELLED = re.compile(r'(aria-labelledby=")([^"]+)"')
_TOOLTIP = re.compile(r'(<a\b[^>]*?\sxlink:title="([^"]*)"[^>]*>)')
