"""The figures page in a real browser: Debian's headless Chromium, driven over a pipe.

Chromium speaks the DevTools protocol on file descriptors 3 and 4
(--remote-debugging-pipe), so no port is opened and no package is needed. The page is
loaded from disk with name resolution disabled; every image must decode
(naturalWidth > 0) and nothing may be logged at error level.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from mechgraph.drawing import render
from mechgraph.drawing.gallery import write_index
from mechgraph.language.load import load_project

from ..conftest import REPO, TESTS

HERE = TESTS
FIXTURE = HERE / "fixtures" / "render" / "project"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync",
         "--disable-extensions", "--mute-audio", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--window-size=1280,2000", "--remote-debugging-pipe"]


class Browser:
    """A minimal DevTools client over Chromium's debugging pipe (NUL-delimited JSON)."""

    def __init__(self, profile: Path, timeout: float = 60.0) -> None:
        exe = shutil.which(CHROMIUM) or shutil.which("chromium")
        if exe is None:
            pytest.fail(f"Chromium is missing: install it with `apt-get install chromium` "
                        f"(expected {CHROMIUM})", pytrace=False)
        to_child_r, self._w = os.pipe()
        self._r, from_child_w = os.pipe()

        def wire() -> None:  # the child's fd 3 reads our commands, fd 4 writes replies
            # first above both (a pipe may itself be fd 3 or 4, and dup2 of an fd onto
            # itself would leave it close-on-exec: Chromium would find no pipe)
            r, w = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10), fcntl.fcntl(from_child_w,
                                                                          fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [exe, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            preexec_fn=wire, close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        self.deadline = time.monotonic() + timeout
        self._buf = b""
        self._next = 0
        self.events: list[dict] = []

    def _read(self) -> dict:
        while b"\0" not in self._buf:
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([self._r], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._r, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe: "
                                   + self.proc.stderr.read().decode(errors="replace")[-2000:])
            self._buf += chunk
        msg, _, self._buf = self._buf.partition(b"\0")
        return json.loads(msg)

    def send(self, method: str, session: str | None = None, **params) -> dict:
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, method: str) -> dict:
        for i, ev in enumerate(self.events):
            if ev.get("method") == method:
                return self.events.pop(i)
        while True:
            ev = self._read()
            if ev.get("method") == method:
                return ev
            self.events.append(ev)

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stderr.close()
        os.close(self._r)
        os.close(self._w)


FIGURES_JS = (
    "Array.from(document.querySelectorAll('figure')).map(f => {"
    " const s = f.querySelector('svg'); const r = s ? s.getBoundingClientRect() : null;"
    " return [f.id, r ? Math.round(r.width) : 0, r ? Math.round(r.height) : 0,"
    " s ? s.querySelectorAll('title').length : 0,"
    " Array.from(f.querySelectorAll('figcaption a')).map(a => a.getAttribute('href'))]; })")


def open_page(path: Path, profile: Path, screenshot: Path | None = None) -> tuple[list, list]:
    """Load ``path``; return (figures as [id, width, height, titles, file links], errors)."""
    b = Browser(profile)
    try:
        target = b.send("Target.createTarget", url="about:blank")["targetId"]
        session = b.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            b.send(f"{domain}.enable", session)
        b.send("Page.navigate", session, url=path.resolve().as_uri())
        b.wait_for("Page.loadEventFired")
        images = b.send("Runtime.evaluate", session, returnByValue=True,
                        expression=FIGURES_JS)["result"]["value"]
        if screenshot is not None:
            import base64
            shot = b.send("Page.captureScreenshot", session, captureBeyondViewport=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
        b.send("Runtime.evaluate", session, expression="0")  # flush pending events
        errors = []
        for ev in b.events:
            p = ev.get("params", {})
            if ev.get("method") == "Runtime.exceptionThrown":
                errors.append(p["exceptionDetails"].get("text", "exception"))
            elif ev.get("method") == "Runtime.consoleAPICalled" and p.get("type") == "error":
                errors.append(" ".join(str(a.get("value")) for a in p.get("args", [])))
            elif ev.get("method") == "Log.entryAdded" and p["entry"]["level"] == "error":
                errors.append(f"{p['entry']['text']} {p['entry'].get('url', '')}")
        return images, errors
    finally:
        b.close()


@pytest.fixture(scope="module")
def fixture_renders(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("renders")
    project = load_project(FIXTURE)
    render.render_figures(project, formats=["svg", "png"], out_dir=out)
    write_index(project, out)
    return out


def test_index_page_shows_every_figure_without_errors(fixture_renders, tmp_path):
    figures, errors = open_page(fixture_renders / "index.html", tmp_path / "profile",
                                screenshot=tmp_path / "index.png")
    assert errors == []
    assert [f[0] for f in figures] == ["fig-convergence", "fig-ketamine-across", "fig-trial"]
    for fid, width, height, titles, links in figures:
        assert width > 100 and height > 100, fid
        assert titles > 1, fid  # the figure's own title and its tooltips
        name = fid.removeprefix("fig-")
        assert links == [f"{name}.svg", f"{name}.png", f"{name}.dot"]
        assert all((fixture_renders / link).exists() for link in links)
    assert (tmp_path / "index.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(not (REPO / "renders" / "index.html").exists(),
                    reason="no committed renders/index.html yet (make figures)")
def test_committed_index_page_loads(tmp_path):
    figures, errors = open_page(REPO / "renders" / "index.html", tmp_path / "profile")
    project = load_project(REPO / "pathways")
    assert errors == []
    assert sorted(f[0] for f in figures) == sorted(f"fig-{f}" for f in project.figures)
    assert all(w > 100 and h > 100 for _, w, h, _, _ in figures), figures
    assert all((REPO / "renders" / link).exists() for f in figures for link in f[4])
