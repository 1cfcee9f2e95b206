"""theme.py: light/dark colours in the SVG's own stylesheet, prefixed ids, the style check."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechgraph.drawing import render as R
from mechgraph.drawing import svgtext
from mechgraph.drawing import theme as T
from mechgraph.errors import MechgraphError
from mechgraph.language.load import load_project

from ..conftest import REPO, TESTS

SVG = "{http://www.w3.org/2000/svg}"
FIXTURE = TESTS / "fixtures" / "render" / "project"

RAW = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
       b'<svg width="8pt" height="8pt" xmlns="http://www.w3.org/2000/svg" '
       b'xmlns:xlink="http://www.w3.org/1999/xlink" role="img" '
       b'aria-labelledby="mg-title">\n<title id="mg-title">T</title>\n'
       b'<g id="graph0" class="graph" transform="x">\n'
       b'<polygon fill="white" stroke="transparent" points="0,0"/>\n'
       b'<g id="n0" class="node"><a xlink:title="tip &amp; more"><path fill="url(#l_0)" stroke="black"/></a>'
       b'<ellipse fill="#a6cee3" stroke="#b2182b"/><text>A</text></g>\n</g>\n</svg>\n')


def test_dark_variants():
    assert T.dark_variant("000000") == "f2f2f2"  # ink turns light
    assert T.dark_variant("ffffff") == "1f1f1f"  # paper turns dark
    assert T.dark_variant("f4f4f4") == "272727"  # a pale cluster stays just above the page
    assert T.dark_variant("a6cee3") == "23495c"  # a pathway fill keeps its hue, darkened
    assert T.dark_variant("b2182b") == "ec6f7f"  # an inhibition keeps its red, lightened


def test_theme_exact():
    out = T.theme_svg(RAW, prefix="fig").decode()
    root = ET.fromstring(out)
    assert root.get("class") == "mg-fig" and root.get("aria-labelledby") == "fig--mg-title"
    assert root.get("data-mg-theme") == T.THEME_VERSION
    assert re.findall(r'\bid="([^"]+)"', out) == ["fig--mg-title", "fig--graph0", "fig--n0"]
    assert 'fill="url(#fig--l_0)"' in out
    assert '<a xlink:title="tip &amp; more"><title>tip &amp; more</title><path' in out
    assert '<polygon class="mg-bg" fill="white"' in out
    css = root.find(f"{SVG}style").text.strip()
    assert css.splitlines()[0] == (
        ".mg-fig{--mg-c-000000:#000000;--mg-c-a6cee3:#a6cee3;--mg-c-b2182b:#b2182b;"
        "--mg-c-ffffff:#ffffff;--mg-paper:transparent}")
    assert ("@media (prefers-color-scheme:dark){.mg-fig{--mg-c-000000:#f2f2f2;"
            "--mg-c-a6cee3:#23495c;--mg-c-b2182b:#ec6f7f;--mg-c-ffffff:#1f1f1f}}") in css
    assert ".mg-dark .mg-fig,.mg-fig.mg-dark{" in css and ".mg-light .mg-fig,.mg-fig.mg-light{" in css
    rules = [line for line in css.splitlines() if line.startswith(".mg-fig [")]
    assert rules == ['.mg-fig [fill="#a6cee3"]{fill:var(--mg-c-a6cee3)}',
                     '.mg-fig [fill="white"]{fill:var(--mg-c-ffffff)}',
                     '.mg-fig [stroke="#b2182b"]{stroke:var(--mg-c-b2182b)}',
                     '.mg-fig [stroke="black"]{stroke:var(--mg-c-000000)}']
    assert ".mg-fig a,.mg-fig text{text-decoration:none}" in css
    assert ".mg-fig{max-width:100%;height:auto}" in css
    R.check_svg(out.encode(), name="fig")
    assert T.theme_svg(RAW, prefix="fig") == out.encode()  # byte-stable


def test_reprefix_two_copies_share_no_id():
    out = T.theme_svg(RAW, prefix="fig").decode()
    a, b = T.reprefix(out, "fig", "fig-1"), T.reprefix(out, "fig", "fig-2", classes="mg-solid")
    ids = re.findall(r'\bid="([^"]+)"', a + b)
    assert len(ids) == 6 and len(set(ids)) == 6
    assert 'aria-labelledby="fig-2--mg-title"' in b and 'url(#fig-2--l_0)' in b
    assert 'class="mg-fig mg-solid"' in b
    with pytest.raises(MechgraphError, match="id prefix '1x' is not usable"):
        T.reprefix(out, "fig", "1x")


def test_rendered_figures_pass_their_own_check(tmp_path):
    project = load_project(FIXTURE)
    R.render_figures(project, formats=["svg"], out_dir=tmp_path)
    for svg in tmp_path.glob("*.svg"):
        text = svg.read_text()
        assert text.count("<style>") == 1 and "url(" not in text.split("</style>")[0]
        ids = re.findall(r'\bid="([^"]+)"', text)
        assert all(i.startswith(svg.stem + "--") for i in ids)


def doc(style: str) -> bytes:
    return ('<svg xmlns="http://www.w3.org/2000/svg"><style>' + style + "</style></svg>").encode()


@pytest.mark.parametrize("css, problem", [
    (".mg-fig{fill:url(https://x.example/a)}", "SVG style holds 'url('"),
    ("@import 'x.css';", "SVG style holds 'import'"),
    (".a{width:expression(alert(1))}", "SVG style holds 'expression'"),
    ("@font-face{font-family:x}", "SVG style holds characters outside its generated form"),
    (".a{content:'\\41'}", "SVG style holds characters outside its generated form"),
])
def test_style_check_refuses(css, problem):
    with pytest.raises(MechgraphError) as e:
        R.check_svg(doc(css), name="f")
    assert problem in e.value.message


def test_style_only_at_the_top():
    with pytest.raises(MechgraphError, match="SVG holds a <style> element"):
        R.check_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><g/><g/><g/><g/>'
                    b'<style>.a{}</style></svg>', name="f")
    with pytest.raises(MechgraphError, match="SVG holds a <style> element"):
        R.check_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><style media="x">.a{}</style>'
                    b'</svg>', name="f")


# ---- the colours a stylesheet is made for: exactly what one findall over the text finds

_FRAGMENTS = ['fill="#a6cee3"', 'fill="#A6CEE3"', 'stroke="black"', 'stroke="white"',
              'fill="white"', 'fill="#12345"', 'fill="#1234567"', 'fill="blackish"',
              'stroke="#bfbfbf"', 'xfill="#000000"', '_stroke="black"', 'éfill="#111111"',
              '-fill="#222222"', ' ', '\n', 'fill=', '"', '#333333"', 'stroke', 'fill="',
              'fill="black"fill="#444444"', "fill='#555555'", 'fill="none"']


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=14))
def test_colours_are_what_the_pattern_finds(pieces):
    text = "".join(pieces)
    assert svgtext._colours(text) == set(svgtext._COLOUR_ATTR.findall(text))


def test_colours_of_the_rendered_figures():
    for path in sorted((REPO / "renders").glob("*.svg")):
        text = path.read_text(encoding="utf-8")
        assert svgtext._colours(text) == set(svgtext._COLOUR_ATTR.findall(text)), path


# ---- normalising: one pass where it gives what the three removals in turn give

def three_passes(text: str) -> str:
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    text = re.sub(r"<!--.*?-->\s*", "", text, flags=re.S)
    return re.sub(r"<title>[^<]*</title>\s*", "", text)


_PROLOG = ['<?xml version="1.0"?>', "<!DOCTYPE svg>", "<!DOCTYPE a <!-- b -->", "<!DOCTYPE",
           "<!-- c -->", "<!--", "-->", "<!-", "<", "<!", "-", "--", ">", " ", "\n",
           "<title>", "</title>", "<title>t</title>", "<ti", "tle>", "</ti", "t", "<g>",
           "<title>a<!-- x --></title>", "<!DOCTYPE x>\n<!-- y -->", "<svg>"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PROLOG), max_size=12))
def test_removals_in_one_pass_are_the_three(pieces):
    text = "".join(pieces)
    assert svgtext._strip(text) == three_passes(text)


def test_removals_from_graphviz_svg(tmp_path):
    for path in sorted((REPO / "renders").glob("*.dot")):
        raw = subprocess.run([shutil.which("dot"), "-Tsvg"], input=path.read_bytes(),
                             capture_output=True, check=True).stdout.decode("utf-8")
        assert "<!DOCTYPE" in raw and "<!--" in raw and "<title>" in raw
        assert svgtext._strip(raw) == three_passes(raw), path


@pytest.mark.parametrize("text", [
    "<!-<!DOCTYPE x>- a -->b",  # the DOCTYPE's removal joins a comment's start
    "<!<!DOCTYPE x>-- a -->b", "<<!DOCTYPE x>!-- a -->b",
    "<!-- <!DOCTYPE x> --> <!DOCTYPE y> b",  # one inside a comment, one after
    "<!DOCTYPE a <!-- b --> c> d",  # a comment inside the DOCTYPE
    "<!DOCTYPE x>\n<!-- c -->\n<svg><title>t<!-- c --></title><title>u</title></svg>",
    "<!DOCTYPE x><title></title ><title><!----></title>", "<ti<!---->tle>t</title>",
])
def test_removals_where_one_pass_would_differ(text):
    assert svgtext._strip(text) == three_passes(text)
