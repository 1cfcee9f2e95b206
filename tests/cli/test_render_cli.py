"""`mechgraph render` through click's CliRunner (and once as a real unprivileged process)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mechgraph.cli import main

from ..conftest import TESTS

HERE = TESTS
FIXTURE = HERE / "fixtures" / "render" / "project"
MECHGRAPH = Path(sys.executable).parent / "mechgraph"


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["render", "-p", str(FIXTURE), *args], env=env)


def test_render_everything_then_nothing_changed(tmp_path):
    out = tmp_path / "site"
    first = run("--out", str(out))
    assert (first.exit_code, first.stderr) == (0, "")
    assert first.stdout == (f"drawn      {out}/convergence.{{svg,png,dot}}\n"
                            f"drawn      {out}/ketamine-across.{{svg,png,dot}}\n"
                            f"drawn      {out}/trial.{{svg,png,dot}}\n"
                            f"index      {out}/index.html\n")
    second = run("--out", str(out))
    assert second.exit_code == 0
    assert second.stdout == first.stdout.replace("drawn    ", "unchanged")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{n}.{e}" for n in ("convergence", "ketamine-across", "trial")
         for e in ("svg", "png", "dot")] + ["index.html"])


def test_render_named_figure_and_pathway_in_chosen_formats(tmp_path):
    r = run("trial", "psilocybin-mini", "-f", "pdf", "-f", "dot", "--out", str(tmp_path), "-j", "1")
    assert (r.exit_code, r.stderr) == (0, "")
    assert r.stdout == (f"drawn      {tmp_path}/trial.{{pdf,dot}}\n"
                        f"drawn      {tmp_path}/psilocybin-mini.{{pdf,dot}}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "psilocybin-mini.dot", "psilocybin-mini.pdf", "trial.dot", "trial.pdf"]


def test_index_on_request(tmp_path):
    r = run("trial", "--index", "-f", "svg", "--out", str(tmp_path))
    assert r.exit_code == 0 and r.stdout.endswith(f"index      {tmp_path}/index.html\n")
    assert '<figure id="fig-trial">\n<svg ' in (tmp_path / "index.html").read_text()


def test_unknown_name_is_a_user_error(tmp_path):
    r = run("convergense", "--out", str(tmp_path))
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == "error: no figure or pathway named 'convergense'; did you mean 'convergence'?\n"
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_is_a_usage_error(tmp_path):
    r = run("-f", "gif", "--out", str(tmp_path))
    assert r.exit_code == 2
    assert "Invalid value for '--format' / '-f': 'gif' is not one of 'svg', 'png', 'pdf', 'dot'." \
        in r.stderr


def test_missing_graphviz(tmp_path):
    r = run("--out", str(tmp_path / "out"), env={"PATH": str(tmp_path / "no-bin")})
    assert r.exit_code == 1
    assert r.stderr == ("error: Graphviz is not installed (no `dot` on PATH); install it with "
                        "`sudo apt-get install graphviz fonts-dejavu-core` (Debian, Ubuntu) or "
                        "`brew install graphviz` (macOS), then run `make` again\n")


def test_timeout_names_each_figure(tmp_path):
    r = run("--timeout", "0.001", "--out", str(tmp_path))
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert [ln.split(": ", 1)[1] for ln in lines] == [
        f"figure '{f}': Graphviz took longer than 0.001 s and was stopped (draw fewer pathways "
        "in one figure, or split it)" for f in ("convergence", "ketamine-across", "trial")]
    assert [ln.split(": ", 1)[0].rsplit(":", 1)[1] for ln in lines] == ["29", "35", "39"]


def test_unwritable_output_folder_as_an_unprivileged_user():
    """A folder the user cannot write: exit 1, a clear message, the old file untouched."""
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv to drop privileges")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        reach = subprocess.run(prefix + [str(MECHGRAPH), "--help"], capture_output=True,
                               cwd="/", timeout=60)
        if reach.returncode != 0:
            pytest.skip(f"the unprivileged user (uid 65534) cannot run {MECHGRAPH}: "
                        "the checkout sits in a folder only root may enter")
    else:
        prefix = []
    folder = Path(tempfile.mkdtemp(prefix="mechgraph-ro-"))
    try:
        folder.chmod(0o755)  # others may read and enter, not write
        (folder / "trial.svg").write_text("previous")
        if not prefix:  # we own it: take our own write permission away
            folder.chmod(0o555)
        done = subprocess.run(prefix + [str(MECHGRAPH), "render", "-p", str(FIXTURE.resolve()),
                                        "--out", str(folder), "trial"],
                              capture_output=True, text=True, cwd="/", timeout=120)
        assert done.returncode == 1
        assert done.stdout == ""
        assert done.stderr == f"error: cannot write {folder}/trial.svg: Permission denied\n"
        assert (folder / "trial.svg").read_text() == "previous"
        assert sorted(p.name for p in folder.iterdir()) == ["trial.svg"]
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_large_figures_are_announced_on_stderr_and_exact_layout_is_a_choice(tmp_path,
                                                                              monkeypatch):
    from mechgraph.drawing import graphviz as GV

    monkeypatch.setattr(GV, "BOUNDED_NODES", 3)  # the fixture's trial counts as large
    r = run("trial", "-f", "svg", "--out", str(tmp_path))
    assert r.exit_code == 0
    assert r.stderr == ("warning: figure 'trial' has 6 nodes and 5 edges: an exact layout "
                        "could take about 1 s, so it is laid out with bounded effort (about "
                        "1 s); --exact-layout waits for the exact one\n")
    exact = run("trial", "-f", "svg", "--out", str(tmp_path), "--exact-layout")
    assert (exact.exit_code, exact.stderr) == (0, "")
    assert exact.stdout == f"drawn      {tmp_path}/trial.{{svg,dot}}\n"


def test_verbose_says_how_figures_were_laid_out(tmp_path):
    from mechgraph.drawing import gvworker

    gvworker._shutdown()
    many = run("--out", str(tmp_path), "-f", "svg", "--no-index", "-v")
    assert many.exit_code == 0
    expected = ("layout: worker: libgvc loaded once per resolution in a child process, kept "
                "while this process runs\n" if gvworker.unavailable() is None else
                f"layout: dot: {gvworker.unavailable()}\n")
    assert many.stderr == expected
    one = run("trial", "--out", str(tmp_path), "-f", "svg", "-v", "--force",
              env={"MECHGRAPH_LAYOUT": "dot"})
    assert one.stderr == "layout: dot: MECHGRAPH_LAYOUT=dot is set\n"
    gvworker._shutdown()
