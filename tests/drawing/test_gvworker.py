"""Layout workers (gvworker/gvchild) with the real Graphviz: the same bytes as a fresh
`dot`, the same limits, timeout and failures, and the fallback to `dot`."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mechgraph.drawing import graphviz as GV
from mechgraph.drawing import gvproc as P
from mechgraph.drawing import gvworker as W
from mechgraph.drawing import render as R
from mechgraph.drawing.svg import fix_pdf
from mechgraph.errors import MechgraphError
from mechgraph.language.load import load_project

from ..conftest import REPO, TESTS

pytestmark = pytest.mark.skipif(W.unavailable() is not None, reason="no layout worker here")

REAL = sorted((REPO / "renders").glob("*.dot"))
GOLDEN = sorted((TESTS / "golden").rglob("*.dot"))
FIXTURE = TESTS / "fixtures" / "render" / "project"


def fresh_dot(text: bytes, *args: str) -> bytes:
    """What `dot` alone makes of ``text`` (a fresh process: the reference)."""
    return subprocess.run([shutil.which("dot"), *args], input=text, capture_output=True,
                          check=True).stdout


@pytest.fixture
def layouts(monkeypatch):
    """A run that uses workers for every figure, and leaves none behind."""
    W._shutdown()
    monkeypatch.setenv("MECHGRAPH_LAYOUT", "worker")
    with W.Layouts({}, 1) as run:
        yield run
    W._shutdown()


def idle_worker(gargs=()) -> P.Worker:
    (w,) = W._POOL[W._pool_key(tuple(gargs))]
    return w


def draw(worker: P.Worker, dot: bytes, formats, timeout=60) -> dict[str, bytes]:
    ticket = worker.submit(dot, formats, timeout)
    ticket.done.wait()
    assert ticket.error is None and isinstance(ticket.result, dict)
    return ticket.result


def test_the_figures_exist():
    assert len(REAL) == 12 and len(GOLDEN) >= 10


def test_svg_of_every_real_figure_and_golden_dot_is_a_fresh_dots(layouts):
    for _ in range(2):  # a worker with a history too
        for path in REAL + GOLDEN:
            text = path.read_text("utf-8")
            got = layouts.run(text, ["svg"], name=path.stem)["svg"]
            assert got == fresh_dot(text.encode(), "-Tsvg"), path
    assert W.route().startswith("worker: ")


def test_png_and_pdf_of_every_real_figure_are_a_fresh_dots(layouts):
    for path in REAL:
        text = path.read_text("utf-8")
        got = layouts.run(text, ["svg", "png", "pdf"], name=path.stem)
        assert got["png"] == fresh_dot(text.encode(), f"-Gdpi={GV.PNG_DPI}", "-Tpng"), path
        svg_pdf = subprocess.run(  # vector formats share one dot run, as in run_dot
            [shutil.which("dot"), "-Tsvg", "-Tpdf"], input=text.encode(), capture_output=True,
            check=True).stdout
        assert svg_pdf.startswith(got["svg"]), path
        assert fix_pdf(svg_pdf[len(got["svg"]):]) == fix_pdf(got["pdf"]), path


def test_bounded_arguments_as_on_dots_command_line(monkeypatch):
    """-G attributes are fixed prototype defaults, as dot makes them: the file's own root
    value does not override them (dpi=96 below), and they reach the layout."""
    W._shutdown()
    monkeypatch.setenv("MECHGRAPH_LAYOUT", "worker")
    work = tempfile_dir()
    try:
        w = P.Worker(GV.BOUNDED_ARGS, "svg", work, 61)
        for path in REAL[:6]:
            text = path.read_bytes()
            assert draw(w, text, ["svg"])["svg"] == fresh_dot(text, *GV.BOUNDED_ARGS, "-Tsvg")
        w.close()
        w = P.Worker(("-Gdpi=192",), "png", work, 61)
        own = b'digraph { dpi=96; a -> b; subgraph cluster_x { dpi=50; c } }'
        assert draw(w, own, ["png"])["png"] == fresh_dot(own, "-Gdpi=192", "-Tpng")
        assert fresh_dot(own, "-Gdpi=192", "-Tpng") != fresh_dot(own, "-Tpng")
        w.close()
    finally:
        shutil.rmtree(work)


def tempfile_dir() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="mechgraph-dot-")


def test_anonymous_and_named_subgraphs_in_a_fresh_dots_order(layouts):
    """Anonymous objects are numbered from 3 (the title of an anonymous graph is %3) and
    come before named subgraphs, as in a fresh dot; clusters in order of creation."""
    text = ('digraph { subgraph cluster_b { label=B; b1 b2 } { rank=same; x y } '
            'subgraph cluster_a { label=A; a1 -> a2 } { rank=same; a1 b1 } x -> a1 -> b2 }')
    got = layouts.run(text, ["svg"], name="anon")["svg"]
    assert b"<title>%3</title>" in got
    assert got == fresh_dot(text.encode(), "-Tsvg")


def test_a_subgraph_named_again_under_another_parent_keeps_its_own_name(layouts):
    """A name met again with create set (a cluster reopened under another parent) is
    found in cgraph's own map; the anonymous subgraph made next is still anonymous."""
    text = ('digraph { subgraph cluster_p { label=P; subgraph cluster_a { label=A; x } } '
            'subgraph cluster_a { { rank=same; y z } } x -> y }')
    got = layouts.run(text, ["svg"], name="reopened")["svg"]
    assert got.count(b"<title>cluster_a</title>") == fresh_dot(text.encode(), "-Tsvg").count(
        b"<title>cluster_a</title>")
    assert got == fresh_dot(text.encode(), "-Tsvg")


def test_render_figures_writes_what_the_dot_path_writes(tmp_path, monkeypatch):
    """Also where the worker normalised and themed the SVG itself (svgtext.py)."""
    project = load_project(FIXTURE)
    W._shutdown()
    themed = []
    finalise = R._finalise
    monkeypatch.setattr(R, "_finalise", lambda *a, **k: themed.append(k["themed"])
                        or finalise(*a, **k))
    R.render_figures(project, formats=["svg", "png", "pdf"], out_dir=tmp_path / "w",
                     force=True)
    assert W.route().startswith("worker: ") and themed == [True, True, True]
    monkeypatch.setenv("MECHGRAPH_LAYOUT", "dot")
    R.render_figures(project, formats=["svg", "png", "pdf"], out_dir=tmp_path / "d",
                     force=True)
    assert W.route() == "dot: MECHGRAPH_LAYOUT=dot is set" and themed[3:] == [False] * 3
    names = sorted(p.name for p in (tmp_path / "d").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "w").iterdir()) and len(names) == 12
    for n in names:
        assert (tmp_path / "w" / n).read_bytes() == (tmp_path / "d" / n).read_bytes(), n


def test_pngs_are_laid_out_by_dot_on_every_core_and_svgs_by_a_worker(tmp_path, monkeypatch):
    """Rasterising costs far more than starting dot: PNGs go to dot runs in threads."""
    W._shutdown()
    monkeypatch.delenv("MECHGRAPH_LAYOUT", raising=False)
    spawned = []
    real = os.posix_spawn
    monkeypatch.setattr(os, "posix_spawn", lambda path, argv, env, **kw:
                        spawned.append(argv) or real(path, argv, env, **kw))
    project = load_project(FIXTURE)
    R.render_figures(project, formats=["svg", "png"], out_dir=tmp_path, force=True)
    programs = sorted(Path(a[3]).name for a in spawned)
    assert programs == ["dot", "dot", "dot", Path(sys.executable).name]
    assert sum("-Gdpi=%d" % GV.PNG_DPI in a for a in spawned) == 3
    W._shutdown()


def test_one_figure_alone_is_laid_out_by_dot(tmp_path, monkeypatch):
    """A worker costs a Python start and the library's load: more than one dot run."""
    W._shutdown()
    spawned = []
    real = os.posix_spawn
    monkeypatch.setattr(os, "posix_spawn", lambda path, argv, env, **kw:
                        spawned.append(argv) or real(path, argv, env, **kw))
    project = load_project(FIXTURE)
    R.render_figures(project, ["trial"], formats=["svg"], out_dir=tmp_path, force=True)
    assert [Path(a[3]).name for a in spawned] == ["dot"]
    assert W.route().startswith("dot: a large figure, or fewer than 3 figures")
    spawned.clear()
    R.render_figures(project, formats=["svg"], out_dir=tmp_path, force=True)
    ((env, chdir, work, python, *rest),) = spawned  # one worker for three figures
    assert (chdir, python, rest) == ("-C", sys.executable, ["-I", "-S", str(P.CHILD), "svg"])
    assert Path(work).name.startswith("mechgraph-dot-") and not os.listdir(work)
    W._shutdown()


def test_the_worker_runs_under_the_limits(layouts):
    text = REAL[0].read_text("utf-8")
    layouts.run(text, ["svg"], name="f", timeout=7)
    w = idle_worker()
    limits = {line[:26].strip(): line[26:].split()[:2]
              for line in Path(f"/proc/{w.proc.pid}/limits").read_text().splitlines()[1:]}
    assert limits["Max address space"] == [str(GV.MEMORY_LIMIT)] * 2
    assert limits["Max file size"] == [str(GV.FILE_LIMIT)] * 2
    assert limits["Max core file size"] == ["0", "0"]
    soft, hard = map(int, limits["Max cpu time"])
    used = P._cpu_seconds(w.proc.pid)
    assert used < soft <= used + 10 and hard == P.START_CPU + 64 * 9
    assert os.readlink(f"/proc/{w.proc.pid}/cwd").rpartition("/")[2].startswith("mechgraph-dot-")
    env = Path(f"/proc/{w.proc.pid}/environ").read_bytes().split(b"\0")
    assert {e.partition(b"=")[0] for e in env if e} <= {
        b"PATH", b"HOME", b"XDG_CACHE_HOME", b"XDG_CONFIG_HOME", b"XDG_DATA_DIRS",
        b"FONTCONFIG_FILE", b"FONTCONFIG_PATH", b"LANG", b"LC_ALL", b"SOURCE_DATE_EPOCH"}


def slow_dot(n: int = 300) -> str:
    """A graph dot needs seconds for (many crossings to minimise)."""
    edges = " ".join(f"n{i} -> n{(i * 7919 + j * 104729) % n};" for i in range(n) for j in range(3))
    return f"digraph {{ {edges} }}"


def test_a_figure_over_the_timeout_is_stopped_and_the_next_one_drawn(layouts):
    text = REAL[0].read_text("utf-8")
    layouts.run(text, ["svg"], name="first")
    first = idle_worker().proc.pid
    start = time.monotonic()
    with pytest.raises(MechgraphError) as e:
        layouts.run(slow_dot(), ["svg"], name="slow", timeout=0.5)
    assert time.monotonic() - start < 5
    assert e.value.message == ("figure 'slow': Graphviz took longer than 0.5 s and was stopped "
                               "(draw fewer pathways in one figure, or split it)")
    with pytest.raises(ProcessLookupError):
        os.kill(first, 0)  # killed (and reaped)
    assert layouts.run(text, ["svg"], name="next")["svg"] == fresh_dot(text.encode(), "-Tsvg")
    assert idle_worker().proc.pid != first


def test_a_worker_killed_mid_figure_fails_that_figure_clearly_and_the_run_recovers(layouts):
    text = REAL[0].read_text("utf-8")
    layouts.run(text, ["svg"], name="first")
    pid = idle_worker().proc.pid
    threading.Timer(0.3, os.kill, (pid, signal.SIGKILL)).start()
    with pytest.raises(MechgraphError) as e:
        layouts.run(slow_dot(), ["svg"], name="victim", timeout=30)
    assert e.value.message == "figure 'victim': Graphviz failed (killed by signal 9): no message"
    assert layouts.run(text, ["svg"], name="after")["svg"] == fresh_dot(text.encode(), "-Tsvg")
    # an idle worker that died between figures is replaced without a word
    os.kill(idle_worker().proc.pid, signal.SIGKILL)
    time.sleep(0.1)
    assert layouts.run(text, ["svg"], name="again")["svg"] == fresh_dot(text.encode(), "-Tsvg")


def test_graphviz_errors_are_reported_as_dots_are(layouts):
    bad = "digraph { a -> }"
    with pytest.raises(MechgraphError) as by_worker:
        layouts.run(bad, ["svg"], name="bad")
    with pytest.raises(MechgraphError) as by_dot:
        GV.run_dot(bad, ["svg"], name="bad")
    assert by_worker.value.message == by_dot.value.message
    assert "syntax error in line 1" in by_dot.value.message
    # and the worker goes on
    text = REAL[1].read_text("utf-8")
    assert layouts.run(text, ["svg"], name="ok")["svg"] == fresh_dot(text.encode(), "-Tsvg")


def test_the_cpu_limit_stops_a_worker(layouts, monkeypatch):
    """The soft CPU limit is what the worker used plus the figure's allowance."""
    text = REAL[0].read_text("utf-8")
    layouts.run(text, ["svg"], name="first")
    w = idle_worker()
    w.cpu_allowance = 1  # one CPU second for the next figure, whatever its timeout
    with pytest.raises(MechgraphError) as e:
        layouts.run(slow_dot(), ["svg"], name="slow", timeout=60)
    assert e.value.message.startswith(
        "figure 'slow': Graphviz failed (stopped by the CPU time limit)")


def test_output_over_the_file_limit_fails_as_with_dot(layouts, monkeypatch):
    monkeypatch.setattr(GV, "FILE_LIMIT", 4096)
    text = REAL[0].read_text("utf-8")
    with pytest.raises(MechgraphError) as e:
        layouts.run(text, ["svg"], name="big")
    assert e.value.message == ("figure 'big': Graphviz failed (stopped by the 0 MiB file size "
                               "limit): no message")


# ---------------------------------------------------------------------------- fallback

def test_fallback_reasons(monkeypatch):
    monkeypatch.setenv("MECHGRAPH_LAYOUT", "dot")
    assert W.unavailable() == "MECHGRAPH_LAYOUT=dot is set"
    monkeypatch.delenv("MECHGRAPH_LAYOUT")
    assert W.unavailable() is None
    monkeypatch.setattr(sys, "platform", "darwin")
    assert W.unavailable() == "layout workers need Linux (prlimit, /proc); this is darwin"
    monkeypatch.undo()
    monkeypatch.setattr(GV, "_chdir_env", lambda: None)
    assert W.unavailable().startswith("no GNU `env -C`")


@pytest.mark.parametrize("child", [
    "import os, struct; m = b'Fno libgvc.so.6'; os.write(1, struct.pack('<I', len(m)) + m)",
    "raise SystemExit(3)",
])
def test_a_worker_that_cannot_start_falls_back_to_dot(child, tmp_path, monkeypatch):
    """Graphviz's library missing (the child says so) or the child exiting at start:
    the figures are drawn by dot, the same bytes, and the reason is kept."""
    W._shutdown()
    W._BROKEN.clear()
    script = tmp_path / "child.py"
    script.write_text(child)
    monkeypatch.setattr(P, "CHILD", script)
    project = load_project(FIXTURE)
    R.render_figures(project, formats=["svg"], out_dir=tmp_path / "out", force=True)
    assert W.route() == ("dot: a layout worker could not start (no libgvc.so.6)" if "F" in child
                         else "dot: a layout worker could not start (exited at start: no message)")
    monkeypatch.undo()
    W._BROKEN.clear()
    monkeypatch.setenv("MECHGRAPH_LAYOUT", "dot")
    R.render_figures(project, formats=["svg"], out_dir=tmp_path / "ref", force=True)
    for p in (tmp_path / "ref").iterdir():
        assert (tmp_path / "out" / p.name).read_bytes() == p.read_bytes()


def test_a_closed_worker_answers_every_figure_it_was_given():
    """Closed with figures queued (the end of the process, or a spent CPU budget): each
    is answered, with its bytes or as one to send to another worker; none waits forever."""
    work = tempfile_dir()
    try:
        w = P.Worker((), "svg", work, 61)
        tickets = [w.submit(p.read_bytes(), ["svg"], 60) for p in REAL * 2]
        w.close()
        assert all(t.done.is_set() for t in tickets)
        assert all(isinstance(t.error, P._Again) or t.result is not None for t in tickets)
        late = w.submit(REAL[0].read_bytes(), ["svg"], 60)
        assert late.done.is_set() and isinstance(late.error, P._Again)
    finally:
        shutil.rmtree(work)


def test_the_memory_limit_holds_for_workers_and_is_not_held_against_later_runs(
        tmp_path, monkeypatch):
    """Too little address space: no worker can start, dot cannot draw either, each figure
    fails by name; with the limit back, workers draw again."""
    W._shutdown()
    W._BROKEN.clear()
    project = load_project(FIXTURE)
    # PNGs go to workers only when asked (a worker drawing PNG needs more than 24 MiB)
    monkeypatch.setenv("MECHGRAPH_LAYOUT", "worker")
    monkeypatch.setattr(GV, "MEMORY_LIMIT", 24 << 20)  # as for dot in test_render.py
    with pytest.raises(MechgraphError) as e:
        R.render_figures(project, formats=["png"], out_dir=tmp_path, force=True)
    assert [d.message.split(": ", 1)[0] for d in e.value.diagnostics] == [
        "figure 'convergence'", "figure 'ketamine-across'", "figure 'trial'"]
    assert all("Graphviz failed (" in d.message for d in e.value.diagnostics)
    assert not list(tmp_path.iterdir())
    monkeypatch.undo()
    monkeypatch.setenv("MECHGRAPH_LAYOUT", "worker")
    R.render_figures(project, formats=["png"], out_dir=tmp_path, force=True)
    assert W.route().startswith("worker: ") and len(list(tmp_path.iterdir())) == 6
    W._shutdown()
