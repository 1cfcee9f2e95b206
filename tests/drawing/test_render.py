"""render.py with the real Graphviz: outputs, SVG hygiene, caching, faults."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from mechgraph.drawing import dot as D
from mechgraph.drawing import graphviz as GV
from mechgraph.drawing import render as R
from mechgraph.drawing.gallery import write_index
from mechgraph.errors import MechgraphError
from mechgraph.language.load import load_project

from ..conftest import TESTS

HERE = TESTS
FIXTURE = HERE / "fixtures" / "render" / "project"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


@pytest.fixture(scope="module")
def project():
    return load_project(FIXTURE)


def files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# ---------------------------------------------------------------------------- outputs

def test_renders_every_figure_in_every_format(project, tmp_path):
    results = R.render_figures(project, formats=["svg", "png", "pdf", "dot"], out_dir=tmp_path)
    assert [(r.name, r.fresh) for r in results] == [
        ("convergence", True), ("ketamine-across", True), ("trial", True)]
    assert files(tmp_path) == {f"{n}.{ext}" for n in ("convergence", "ketamine-across", "trial")
                               for ext in ("svg", "png", "pdf", "dot")}
    for name in ("convergence", "ketamine-across", "trial"):
        assert (tmp_path / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (tmp_path / f"{name}.pdf").read_bytes()[:5] == b"%PDF-"
        assert (tmp_path / f"{name}.dot").read_text() == D.to_dot(project, project.figures[name])


def test_default_formats_and_a_pathway_drawn_alone(project, tmp_path):
    (r,) = R.render_figures(project, ["psilocybin-mini"], out_dir=tmp_path)
    assert r.paths == tuple(tmp_path / f"psilocybin-mini.{e}" for e in ("svg", "png", "dot"))
    assert files(tmp_path) == {"psilocybin-mini.svg", "psilocybin-mini.png", "psilocybin-mini.dot"}
    root = ET.parse(tmp_path / "psilocybin-mini.svg").getroot()
    assert root.find(f"{SVG}title").text == "Psilocybin acts through 5-HT₂A"


def test_outputs_are_byte_stable(project, tmp_path):
    R.render_figures(project, ["convergence"], formats=["svg", "png", "pdf"], out_dir=tmp_path / "a")
    R.render_figures(project, ["convergence"], formats=["svg", "png", "pdf"], out_dir=tmp_path / "b",
                     jobs=1)
    for ext in ("svg", "png", "pdf"):
        assert (tmp_path / "a" / f"convergence.{ext}").read_bytes() == \
            (tmp_path / "b" / f"convergence.{ext}").read_bytes(), ext


def test_svg_is_made_for_embedding(project, tmp_path):
    R.render_figures(project, ["convergence"], formats=["svg"], out_dir=tmp_path)
    text = (tmp_path / "convergence.svg").read_text()
    assert "<!--" not in text and "DOCTYPE" not in text and "graphviz" not in text.lower()
    root = ET.fromstring(text)
    assert root.get("role") == "img" and root.get("aria-labelledby") == \
        "convergence--mg-title convergence--mg-desc"
    assert root.get("class") == "mg-fig" and list(root)[0].tag == f"{SVG}style"
    assert [(c.tag, c.text) for c in list(root)[1:3]] == [
        (f"{SVG}title", "Ketamine and psilocybin converge on BDNF"),
        (f"{SVG}desc", "Nodes in both pathways carry both colours and an orange outline.")]
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert titles[0] == "Ketamine and psilocybin converge on BDNF"
    # no synthetic ids left in titles: the others are the tooltips, repeated as <title>
    assert titles[1:] == [a.get(f"{XLINK}title") for a in root.iter(f"{SVG}a")]
    classes = {g.get("id").removeprefix("convergence--"): g.get("class")
               for g in root.iter(f"{SVG}g") if g.get("id")}
    assert classes["n1"] == ("node mg-node mg-kind-protein mg-pw-ketamine-mini "
                             "mg-pw-psilocybin-mini mg-shared")
    edge_classes = sorted({c for i, c in classes.items() if re.fullmatch(r"e\d+", i)})
    assert edge_classes == [
        "edge mg-edge mg-effect-conversion mg-grade-clinical mg-pw-psilocybin-mini",
        "edge mg-edge mg-effect-necessary mg-grade-preclinical mg-pw-ketamine-mini",
        "edge mg-edge mg-effect-negative mg-grade-preclinical mg-pw-ketamine-mini",
        "edge mg-edge mg-effect-positive mg-grade-clinical mg-pw-ketamine-mini "
        "mg-pw-psilocybin-mini",
        "edge mg-edge mg-effect-positive mg-grade-in-vitro mg-pw-ketamine-mini",
        "edge mg-edge mg-effect-positive mg-grade-preclinical mg-pw-ketamine-mini",
        "edge mg-edge mg-effect-positive mg-grade-preclinical mg-pw-psilocybin-mini",
        "edge mg-edge mg-effect-unknown mg-grade-hypothesis mg-pw-psilocybin-mini",
    ]
    links = {a.get(f"{XLINK}href") for a in root.iter(f"{SVG}a")} - {None}
    assert links == {"https://identifiers.org/CHEBI:6121", "https://identifiers.org/hgnc:4584",
                     "https://identifiers.org/hgnc:5293", "https://identifiers.org/hgnc:1033",
                     "https://doi.org/10.1126/science.1190287", "https://doi.org/10.1038/nature09146"}
    tips = {a.get(f"{XLINK}title") for a in root.iter(f"{SVG}a")}
    assert ("Ketamine inhibits NMDAR\n[ketamine-mini] preclinical; cureus:64 refs 16\n"
            "note: Blocks the open channel.") in tips


def test_view_for_notebooks(project):
    v = R.view(project, "trial")
    assert v.dot == D.to_dot(project, project.figures["trial"])
    svg = v._repr_svg_()
    assert svg.startswith("<?xml") and '<title id="trial--mg-title">A two-arm trial</title>' in svg
    assert v._repr_svg_() is svg  # laid out once


def test_index_page(project, tmp_path):
    R.render_figures(project, ["convergence", "trial"], formats=["svg"], out_dir=tmp_path)
    page = write_index(project, tmp_path).read_text()
    assert re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', page) == [
        ("fig-convergence", "Ketamine and psilocybin converge on BDNF"),
        ("fig-trial", "A two-arm trial")]
    assert re.findall(r'<figure id="([^"]+)">\n<svg ', page) == ["fig-convergence", "fig-trial"]
    assert "<script" not in page and "<img" not in page and "<?xml" not in page
    # title and caption are drawn in the figure: the page around it does not repeat them
    outside = re.sub(r"<svg .*?</svg>", "", page, flags=re.S)
    assert "Nodes in both pathways" not in outside and outside.count("A two-arm trial") == 1
    assert '<a href="trial.svg">SVG</a>' in page and "trial.png" not in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------------------- caching

def test_unchanged_figures_are_not_laid_out_again(project, tmp_path):
    R.render_figures(project, out_dir=tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    again = R.render_figures(project, out_dir=tmp_path)
    assert [r.fresh for r in again] == [False, False, False]
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before
    # a changed caption changes the DOT: only that figure is drawn again
    fig = project.figures["trial"]
    changed = replace(project, figures={**project.figures, "trial": replace(fig, caption="New.")})
    third = R.render_figures(changed, out_dir=tmp_path)
    assert [(r.name, r.fresh) for r in third] == [
        ("convergence", False), ("ketamine-across", False), ("trial", True)]
    # a missing output is drawn again; --force draws everything
    (tmp_path / "convergence.png").unlink()
    assert [r.fresh for r in R.render_figures(changed, out_dir=tmp_path)] == [True, False, False]
    assert [r.fresh for r in R.render_figures(changed, out_dir=tmp_path, force=True)] == [
        True, True, True]


def test_dot_only_needs_no_graphviz(project, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    R.render_figures(project, formats=["dot"], out_dir=tmp_path / "out")
    assert files(tmp_path / "out") == {"convergence.dot", "ketamine-across.dot", "trial.dot"}


# ---------------------------------------------------------------------------- faults

def test_no_graphviz_is_one_clear_error(project, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    with pytest.raises(MechgraphError) as e:
        R.render_figures(project, out_dir=tmp_path / "out")
    assert str(e.value) == (
        "error: Graphviz is not installed (no `dot` on PATH); install it with `sudo apt-get "
        "install graphviz fonts-dejavu-core` (Debian, Ubuntu) or `brew install graphviz` "
        "(macOS), then run `make` again")
    assert not (tmp_path / "out" / "convergence.svg").exists()


def test_timeout_names_the_figure_and_keeps_the_old_file(project, tmp_path):
    (tmp_path / "trial.svg").write_text("previous")
    with pytest.raises(MechgraphError) as e:
        R.render_figures(project, ["trial"], out_dir=tmp_path, timeout=0.001)
    (diag,) = e.value.diagnostics
    assert diag.message == ("figure 'trial': Graphviz took longer than 0.001 s and was stopped "
                            "(draw fewer pathways in one figure, or split it)")
    assert (Path(diag.path).resolve(), diag.line) == ((FIXTURE / "catalog.yaml").resolve(), 39)
    assert (tmp_path / "trial.svg").read_text() == "previous"
    assert files(tmp_path) == {"trial.svg"}  # no temporary files left behind


def test_every_failure_is_reported_and_the_rest_are_written(project, tmp_path):
    (tmp_path / "trial.png").mkdir()  # a folder where an output should go
    with pytest.raises(MechgraphError) as e:
        R.render_figures(project, out_dir=tmp_path)
    (diag,) = e.value.diagnostics
    assert diag.message == f"cannot write {tmp_path / 'trial.png'}: Is a directory"
    assert {"convergence.svg", "convergence.png", "convergence.dot",
            "ketamine-across.svg", "ketamine-across.png", "ketamine-across.dot"} <= files(tmp_path)
    assert "trial.dot" not in files(tmp_path)  # no stamp: the next run tries again
    assert not [f for f in files(tmp_path) if f.endswith(".tmp")]


def test_output_folder_that_is_a_file(project, tmp_path):
    blocker = tmp_path / "renders"
    blocker.write_text("not a folder")
    with pytest.raises(MechgraphError) as e:
        R.render_figures(project, out_dir=blocker / "sub")
    assert str(e.value) == f"error: cannot create output folder {blocker / 'sub'}: Not a directory"
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_unwritable_output_folder_keeps_previous_file(project, tmp_path):
    (tmp_path / "trial.svg").write_text("previous")
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(MechgraphError) as e:
            R.render_figures(project, ["trial"], out_dir=tmp_path)
        assert str(e.value).startswith(f"error: cannot write {tmp_path}/trial.")
        assert (tmp_path / "trial.svg").read_text() == "previous"
    finally:
        tmp_path.chmod(0o755)


def test_graphviz_failure_is_reported_with_its_message(tmp_path):
    fig = D.pathway_figure(load_project(FIXTURE), "mini-trial")
    with pytest.raises(MechgraphError) as e:
        R.to_files(fig, "digraph { a -> }", ["svg"])
    # a pathway drawn alone is placed where the pathway is declared
    assert fig.location is not None and fig.location.line == 1
    assert str(e.value).startswith(
        f"{fig.location.path}:1: figure 'mini-trial': Graphviz failed (exit status 1): Error: "
        "<stdin>: syntax error in line 1")


@pytest.mark.parametrize("name", ["../escape", "a/b", ".hidden", "", "x" * 200, "a b", "é"])
def test_names_cannot_leave_the_output_folder(tmp_path, name):
    with pytest.raises(MechgraphError) as e:
        R.output_path(tmp_path, name, "svg")
    assert str(e.value) == (f"error: figure id {name!r} cannot be used as a file name "
                            "(letters, digits, '.', '_' and '-' only)")


def test_unknown_names_and_formats(project):
    with pytest.raises(MechgraphError) as e:
        R.select_figures(project, ["convergense"])
    assert str(e.value) == "error: no figure or pathway named 'convergense'; did you mean 'convergence'?"
    with pytest.raises(MechgraphError) as e:
        R.verify_formats(["svg", "gif"])
    assert str(e.value) == "error: unknown format 'gif' (expected one of: svg, png, pdf, dot)"
    assert R.verify_formats(["PDF", "svg", "svg"]) == ("svg", "pdf")


# ---------------------------------------------------------------------------- SVG checks

def svg_doc(body: str) -> bytes:
    return ('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink">{body}</svg>').encode()


@pytest.mark.parametrize("body, problem", [
    ("<script>alert(1)</script>", "SVG holds a <script> element"),
    ('<g onload="alert(1)"/>', "SVG holds an event attribute 'onload'"),
    ('<g ONCLICK="x"/>', "SVG holds an event attribute 'onclick'"),
    ("<foreignObject/>", "SVG holds a <foreignObject> element"),
    ('<image xlink:href="x.png"/>', "SVG holds a <image> element"),
    ('<a xlink:href="javascript:alert(1)"/>',
     "SVG links to 'javascript:alert(1)'; only https links to doi.org, identifiers.org, "
     "pubmed.ncbi.nlm.nih.gov are allowed"),
    ('<a xlink:href="http://doi.org/10.1/x"/>',
     "SVG links to 'http://doi.org/10.1/x'; only https links to doi.org, identifiers.org, "
     "pubmed.ncbi.nlm.nih.gov are allowed"),
    ('<a href="https://doi.org.evil.example/x"/>',
     "SVG links to 'https://doi.org.evil.example/x'; only https links to doi.org, "
     "identifiers.org, pubmed.ncbi.nlm.nih.gov are allowed"),
    ('<g style="background:url(x)"/>', "SVG holds a 'style' attribute"),
])
def test_check_svg_refuses(body, problem):
    with pytest.raises(MechgraphError) as e:
        R.check_svg(svg_doc(body), name="f")
    assert e.value.message == f"figure 'f': {problem}"


def test_check_svg_accepts_resolver_links():
    R.check_svg(svg_doc('<a xlink:href="https://doi.org/10.1038/nature09146"><text>x</text></a>'
                        '<a xlink:href="https://identifiers.org/hgnc:1033"/>'), name="f")


def test_normalise_svg_exact():
    raw = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
           b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
           b' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
           b"<!-- Generated by graphviz version 2.43.0 (0)\n -->\n"
           b"<!-- Title: mg Pages: 1 -->\n"
           b'<svg width="8pt" height="8pt" xmlns="http://www.w3.org/2000/svg">\n'
           b'<g id="graph0" class="graph">\n<title>mg</title>\n<!-- n0 -->\n'
           b'<g id="n0" class="node">\n<title>n0</title>\n<text>A &amp; B</text>\n</g>\n</g>\n'
           b"</svg>\n")
    out = R.normalise_svg(raw, title='T <&> "q"', desc="Caption\x07.")
    assert out.decode() == (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<svg width="8pt" height="8pt" xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-labelledby="mg-title mg-desc">\n'
        '<title id="mg-title">T &lt;&amp;&gt; &quot;q&quot;</title>\n'
        '<desc id="mg-desc">Caption.</desc>\n'
        '<g id="graph0" class="graph">\n'
        '<g id="n0" class="node">\n<text>A &amp; B</text>\n</g>\n</g>\n</svg>\n')


def test_write_atomic_replaces_whole_files(tmp_path):
    target = tmp_path / "f.svg"
    target.write_bytes(b"old")
    R.write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and files(tmp_path) == {"f.svg"}
    assert (target.stat().st_mode & 0o777) == 0o644


def test_graphviz_runs_in_an_empty_folder_with_limits(tmp_path, monkeypatch):
    """A DOT file cannot read files beside it: dot's working folder is a fresh, empty one."""
    monkeypatch.chdir(tmp_path)
    R.render_figures(load_project(FIXTURE), ["trial"], formats=["png"], out_dir=tmp_path)
    (tmp_path / "trial.png").rename(tmp_path / "secret.png")
    text = 'digraph { a [image="secret.png" label=""] }'
    beside = subprocess.run([shutil.which("dot"), "-Tsvg"], input=text.encode(), cwd=tmp_path,
                            capture_output=True, check=True).stdout
    assert b"<image" in beside  # run where the file is, dot would embed it
    out = R.run_dot(text, ["svg"], name="f")
    assert b"<image" not in out["svg"]


@pytest.mark.parametrize("spawn", ["posix_spawn", "fork"])
@pytest.mark.parametrize("limit, value", [("MEMORY_LIMIT", 24 << 20), ("FILE_LIMIT", 4096)])
def test_resource_limits_stop_dot(project, limit, value, spawn, monkeypatch):
    """The limits are real: too little memory, or too small a file, and dot is stopped,
    whether they are set from outside (posix_spawn, prlimit) or in the forked child."""
    if spawn == "fork":
        monkeypatch.setattr(GV, "_chdir_env", lambda: None)
    monkeypatch.setattr(GV, limit, value)
    fig = project.figures["trial"]
    with pytest.raises(MechgraphError) as e:
        R.to_files(fig, D.to_dot(project, fig), ["png"])
    assert e.value.message.startswith("figure 'trial': Graphviz failed (")
    if limit == "FILE_LIMIT":
        assert e.value.message == ("figure 'trial': Graphviz failed (stopped by the 0 MiB file "
                                   "size limit): no message")
    monkeypatch.undo()
    assert R.to_files(fig, D.to_dot(project, fig), ["png"])["png"][:4] == b"\x89PNG"


def test_dot_starts_by_posix_spawn_without_preexec_fn(project, monkeypatch):
    """No fork of this (threaded) process: Python's posix_spawn path, through `env -C`."""
    if sys.platform != "linux":
        pytest.skip("GNU env -C and prlimit(2) are Linux's; elsewhere dot is forked")
    assert GV._chdir_env() is not None  # GNU env, as on Debian
    spawned = []
    real = os.posix_spawn

    def spy(path, argv, env, **kwargs):
        spawned.append(argv)
        return real(path, argv, env, **kwargs)

    monkeypatch.setattr(os, "posix_spawn", spy)
    fig = project.figures["trial"]
    assert R.to_files(fig, D.to_dot(project, fig), ["svg"])["svg"].startswith(b"<?xml")
    ((env, chdir, work, dot, *rest),) = spawned
    assert (chdir, Path(dot).name, rest) == ("-C", "dot", ["-Tsvg", "-osvg.out"])
    assert Path(work).name.startswith("mechgraph-dot-") and not Path(work).exists()


def test_graphviz_is_the_version_the_renders_were_made_with():
    # renders/ and the SVG checks were made with Debian's Graphviz 2.43; another version
    # lays out differently, so say so plainly instead of failing on bytes elsewhere.
    assert R.graphviz_version()[:2] == (2, 43), (
        f"Graphviz {R.graphviz_version()} is installed; the committed renders were made with "
        "2.43 (Debian's `graphviz` package, which `make` installs)")
