"""Hostile input through the real Graphviz: what `check` accepts, `render` draws; what
`render` refuses it refuses at file:line, leaving every previous file as it was."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, HealthCheck, event, given, settings
from hypothesis import strategies as st

from mechgraph.drawing import dot as D
from mechgraph.drawing import render as R
from mechgraph.drawing.quoting import LINE_BYTES
from mechgraph.errors import MechgraphError
from mechgraph.language.load import load_project, load_text
from mechgraph.model import Location

PATHWAY = """\
pathway: hostile
title: {title}
description: {caption}
entities:
  a: {{kind: drug, label: {label}}}
  b: protein
edges:
  - edge: a -> b
    evidence: review
    note: {note}
"""


def yaml_text(s: str) -> str:
    """A double-quoted YAML scalar holding exactly ``s``."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable() and ch not in "\u2028\u2029\x85":
            out.append(ch)
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def write(folder: Path, *, title="T", caption="C", label="A", note="N") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.yaml"
    path.write_text(PATHWAY.format(title=yaml_text(title), caption=yaml_text(caption),
                                   label=yaml_text(label), note=yaml_text(note)), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_refused_svg_leaves_every_previous_file_and_the_stamp(tmp_path: Path) -> None:
    src = write(tmp_path / "pw")
    out = tmp_path / "out"
    project = load_project(src)
    R.render_figures(project, ["hostile"], formats=["svg", "pdf"], out_dir=out)
    before = snapshot(out)
    assert sorted(before) == ["hostile.dot", "hostile.pdf", "hostile.svg"]
    # A label the language refuses, built by hand: Graphviz writes it into the SVG, which
    # is then not XML. The SVG check is the last line of defence.
    bad = replace(project.entities["a"], label="A\ufffeB")
    hacked = replace(project, entities={**project.entities, "a": bad})
    with pytest.raises(MechgraphError) as e:
        R.render_figures(hacked, ["hostile"], formats=["svg", "pdf"], out_dir=out)
    [d] = e.value.diagnostics
    assert (d.path, d.line) == (str(src), 1)
    assert d.message.startswith("figure 'hostile': Graphviz wrote malformed SVG")
    assert snapshot(out) == before  # the .dot stamp too, and no temporary files left


def test_text_that_merely_mentions_javascript_is_drawn(tmp_path: Path) -> None:
    src = write(tmp_path, label="javascript:void(0)", note="javascript:alert(1) <a href=x>",
                caption="onload=alert(1) javascript: url(https://evil.example)")
    project = load_project(src)
    svg = R.to_files(D.pathway_figure(project, "hostile"), D.to_dot(project, D.pathway_figure(
        project, "hostile")), ["svg"])["svg"].decode("utf-8")
    root = ET.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "javascript:void(0)" in texts
    titles = [v for el in root.iter() for k, v in el.attrib.items() if k.endswith("}title")]
    assert any("javascript:alert(1) <a href=x>" in t for t in titles)


WHERE = Location("pathways/x.yaml", 7)


def svg_doc(body: str) -> bytes:
    return ('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink">{body}</svg>').encode()


@pytest.mark.parametrize("body, problem", [
    ('<a xlink:href="javascript:alert(1)"/>', "SVG links to 'javascript:alert(1)'"),
    ('<g xml:base="https://evil.example/"/>', "SVG holds a 'base' attribute"),
    ('<path fill="url(https://evil.example/x.svg#a)"/>',
     "SVG attribute 'fill' refers to 'url(https://evil.example/x.svg#a)'"),
    ('<path stroke="URL(javascript:x)"/>', "SVG attribute 'stroke' refers to"),
    ("<script>alert(1)</script>", "SVG holds a <script> element"),
])
def test_svg_refusals_name_the_place(body: str, problem: str) -> None:
    with pytest.raises(MechgraphError) as e:
        R.check_svg(svg_doc(body), name="f", where=WHERE)
    assert str(e.value).startswith(f"pathways/x.yaml:7: figure 'f': {problem}")


def test_svg_check_judges_markup_not_text() -> None:
    R.check_svg(svg_doc('<g><a xlink:title="javascript:alert(1) onload= url(x)" '
                        'xlink:href="https://doi.org/10.1/x"><text>javascript:x</text></a>'
                        '<path fill="url(#l_0)" stroke="#000"/></g>'), name="f", where=WHERE)


def test_check_refuses_at_file_line_what_no_svg_can_hold(tmp_path: Path) -> None:
    src = write(tmp_path, label="A\ufffeB")
    with pytest.raises(MechgraphError) as e:
        load_project(src)
    assert [str(d) for d in e.value.diagnostics] == [
        f"{src}:5: label holds U+FFFE, which no SVG or XML file may contain; remove it"]
    src = write(tmp_path, note="x\uffffy")
    with pytest.raises(MechgraphError) as e:
        load_project(src)
    assert [str(d) for d in e.value.diagnostics] == [
        f"{src}:10: note holds U+FFFF, which no SVG or XML file may contain; remove it"]


def test_check_refuses_a_word_no_figure_can_break(tmp_path: Path) -> None:
    src = write(tmp_path, caption="y" * 20_000)
    with pytest.raises(MechgraphError) as e:
        load_project(src)
    assert [str(d) for d in e.value.diagnostics] == [
        f"{src}:3: description holds a word of 20,000 characters without a space ('yyyyyyyyyyyy"
        "yyyyyyyy'...); at most 1,000, so that a figure can break it into lines"]


def test_long_text_that_check_accepts_is_drawn(tmp_path: Path) -> None:
    words = " ".join(f"w&\\\\<{i}>é€𝔸" for i in range(4000))  # ~50k characters, escapes grow it
    src = write(tmp_path / "pw", title=words[:20_000], caption=words, label="A " * 60,
                note=words)
    project = load_project(src)  # check accepts it ...
    out = tmp_path / "out"
    R.render_figures(project, ["hostile"], formats=["svg", "dot"], out_dir=out)  # ... render draws it
    dot_text = (out / "hostile.dot").read_text(encoding="utf-8")
    assert max(len(line.encode("utf-8")) for line in dot_text.splitlines()) <= 2 * LINE_BYTES
    root = ET.fromstring((out / "hostile.svg").read_bytes())
    tooltips = [v for el in root.iter() for k, v in el.attrib.items() if k.endswith("}title")]
    assert any(words in t for t in tooltips)  # the note, whole, unchanged by the line folds


# Arbitrary Unicode, through the loader and the real dot: either a well-formed, checked SVG,
# or a refusal where every problem has its file:line.
_text = st.text(st.characters(codec="utf-8"), min_size=0, max_size=40)


@settings(max_examples=int(os.environ.get("MG_HYPOTHESIS_EXAMPLES", "30")), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(label=_text.filter(lambda s: s.strip()), note=_text, caption=_text, title=_text)
@example(label="0", note="", caption="", title="]")  # Graphviz 2.43's HTML lexer and a leading "]"
@example(label="]", note="]", caption="]", title="]]")
def test_any_unicode_is_drawn_safely_or_refused_at_its_place(tmp_path: Path, label: str,
                                                             note: str, caption: str,
                                                             title: str) -> None:
    text = PATHWAY.format(title=yaml_text(title or "T"), caption=yaml_text(caption or "C"),
                          label=yaml_text(label), note=yaml_text(note or "N"))
    try:
        project = load_text(text, "hostile.yaml")
    except MechgraphError as e:
        assert all(d.path == "hostile.yaml" and d.line for d in e.diagnostics), str(e)
        event("refused")
        return
    fig = D.pathway_figure(project, "hostile")
    try:
        svg = R.to_files(fig, D.to_dot(project, fig), ["svg"])["svg"]  # checked inside
    except MechgraphError as e:  # pragma: no cover - the point of the test is that it is not
        pytest.fail(f"check accepted what render refused: {e}")
    ET.fromstring(svg)
    event("drawn")
