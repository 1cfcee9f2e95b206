"""`mechgraph render --check / --prune`, and progress on a terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from mechgraph.cli import main

from ..conftest import REPO, TESTS

FIXTURE = TESTS / "fixtures" / "render" / "project"
MECHGRAPH = Path(sys.executable).parent / "mechgraph"


def run(*args: str, path: Path = FIXTURE):
    return CliRunner().invoke(main, ["render", "-p", str(path), *args])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_check_passes_on_fresh_renders_and_lists_each_kind_of_stale(tmp_path):
    out = tmp_path / "r"
    assert run("--out", str(out)).exit_code == 0
    ok = run("--check", "--out", str(out))
    assert (ok.exit_code, ok.stdout) == (0, f"renders in {out} are up to date\n")
    # stale: one changed stamp, one missing output, one orphan
    (out / "trial.dot").write_text("digraph old {}\n")
    (out / "convergence.png").unlink()
    (out / "deleted-figure.svg").write_text("<svg/>")
    before = snapshot(out)
    r = run("--check", "--out", str(out))
    assert r.exit_code == 1
    assert r.stdout == (f"missing    {out}/convergence.png\n"
                        f"changed    {out}/trial.dot\n"
                        f"orphaned   {out}/deleted-figure.svg\n")
    assert "3 stale render(s)" in r.stderr and "--prune" in r.stderr
    assert snapshot(out) == before  # --check writes nothing


def test_check_of_named_figures_ignores_other_files(tmp_path):
    assert run("trial", "--out", str(tmp_path)).exit_code == 0
    (tmp_path / "other.svg").write_text("<svg/>")
    assert run("trial", "--check", "--out", str(tmp_path)).exit_code == 0
    missing = run("convergence", "--check", "--out", str(tmp_path), "-f", "pdf")
    assert missing.exit_code == 1
    assert missing.stdout == (f"missing    {tmp_path}/convergence.pdf\n"
                              f"missing    {tmp_path}/convergence.dot\n")


def test_prune_removes_orphans_only(tmp_path):
    assert run("--out", str(tmp_path)).exit_code == 0
    for name in ("gone.svg", "gone.png", "gone.dot"):
        (tmp_path / name).write_text("x")
    (tmp_path / "notes.txt").write_text("kept")
    r = run("--prune", "--out", str(tmp_path))
    assert r.exit_code == 0
    assert r.stdout.splitlines()[:3] == [f"removed    {tmp_path}/gone.{e}" for e in ("dot", "png", "svg")]
    assert not any(p.stem == "gone" for p in tmp_path.iterdir())
    assert (tmp_path / "notes.txt").exists() and (tmp_path / "trial.svg").exists()
    assert run("--check", "--out", str(tmp_path)).exit_code == 0


def test_committed_renders_are_not_stale():
    r = run("--check", "--out", str(REPO / "renders"), path=REPO / "pathways")
    assert r.exit_code == 0, r.stdout


def test_progress_on_a_terminal(tmp_path):
    main_fd, child_fd = pty.openpty()
    try:
        done = subprocess.run([str(MECHGRAPH), "render", "-p", str(FIXTURE), "--out",
                               str(tmp_path), "-j", "1"], stderr=child_fd,
                              stdout=subprocess.PIPE, timeout=120)
        os.close(child_fd)
        err = b""
        while True:
            try:
                chunk = os.read(main_fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            err += chunk
    finally:
        os.close(main_fd)
    assert done.returncode == 0
    lines = err.decode().replace("\r", "").split("\n")[:-1]
    shown = [line.split(" (")[0].split() for line in lines]  # largest PNG first
    assert [n for n, _ in shown] == ["[1]", "[2]", "[3]"]
    assert sorted(f for _, f in shown) == ["convergence", "ketamine-across", "trial"]
    # not a terminal: no progress at all
    quiet = subprocess.run([str(MECHGRAPH), "render", "-p", str(FIXTURE), "--out",
                            str(tmp_path / "q")], capture_output=True, timeout=120)
    assert (quiet.returncode, quiet.stderr) == (0, b"")


def test_svg_themed_by_an_older_version_is_stale_and_drawn_again(tmp_path):
    assert run("trial", "--out", str(tmp_path), "-f", "svg").exit_code == 0
    svg = tmp_path / "trial.svg"
    svg.write_text(svg.read_text().replace(' data-mg-theme="1"', "", 1))
    r = run("trial", "--check", "--out", str(tmp_path), "-f", "svg")
    assert (r.exit_code, r.stdout) == (1, f"changed    {svg}\n")
    again = run("trial", "--out", str(tmp_path), "-f", "svg")
    assert again.stdout == f"drawn      {tmp_path}/trial.{{svg,dot}}\n"
    assert ' data-mg-theme="1"' in svg.read_text()
