"""The documentation site (docs/) built with Sphinx, opened in headless Chromium.

In a light and in a dark colour scheme (emulated ``prefers-color-scheme``, which furo's
default "auto" theme and the figures both follow), on every page with figures: every
figure is visible, has its tooltips, its text contrasts with what is behind it, no
large light area shows in dark mode (sampled from a screenshot of the figure), and no
id repeats on the page. Screenshots are kept in the test's folder (``-s`` prints it).
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO
from ..drawing.test_render_page import Browser

pytest.importorskip("sphinx", reason="the docs extra (pip install -e '.[docs]') is not installed")
pytest.importorskip("furo", reason="the docs extra is not installed")

PAGES = ["index.html", "tutorial.html", "embedding.html", "gallery.html"]

FIGURES_JS = """
(() => {
  const lum = c => { const m = c.match(/[\\d.]+/g); if (!m) return null;
    const [r, g, b] = m.slice(0, 3).map(v => { v = v / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ids = Array.from(document.querySelectorAll('[id]')).map(e => e.id);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  const page = getComputedStyle(document.body).backgroundColor;
  const figs = Array.from(document.querySelectorAll('svg.mg-fig')).map(s => {
    const r = s.getBoundingClientRect();
    const texts = Array.from(s.querySelectorAll('text')).map(t => lum(getComputedStyle(t).fill));
    const fills = Array.from(s.querySelectorAll('.node :is(polygon,ellipse,path), .cluster path, .graph > polygon'))
      .map(e => getComputedStyle(e).fill).filter(f => f.startsWith('rgb(')).map(lum);
    return {id: s.querySelector('title').id, x: r.x + scrollX, y: r.y + scrollY,
            w: r.width, h: r.height, titles: s.querySelectorAll('title').length,
            textMin: Math.min(...texts), textMax: Math.max(...texts),
            fillMax: Math.max(...fills), fillMin: Math.min(...fills),
            underlined: Array.from(s.querySelectorAll('a text')).filter(
              t => getComputedStyle(t).textDecorationLine !== 'none').length};
  });
  return JSON.stringify({repeated, page: lum(page), figs});
})()
"""

# fraction of light (luminance > 0.8) and of dark (< 0.1) pixels of a screenshot
PIXELS_JS = """
new Promise(done => { const img = new Image(); img.onload = () => {
  const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
  const x = c.getContext('2d'); x.drawImage(img, 0, 0);
  const d = x.getImageData(0, 0, c.width, c.height).data; let light = 0, dark = 0;
  for (let i = 0; i < d.length; i += 4) {
    const l = (0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2]) / 255;
    if (l > 0.8) light++; else if (l < 0.1) dark++; }
  const n = d.length / 4; done(JSON.stringify([light / n, dark / n])); };
  img.src = 'data:image/png;base64,%s'; })
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-W", "--keep-going", "-b", "html",
         str(REPO / "docs"), str(out / "html"), "-d", str(out / "doctrees"),
         "-D", f"mechgraph_cache={out / 'cache'}"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out / "html"


def inspect(site: Path, scheme: str, shots: Path, profile: Path,
            pages: list[str] = PAGES) -> dict[str, dict]:
    b = Browser(profile, timeout=240)
    found = {}
    try:
        target = b.send("Target.createTarget", url="about:blank")["targetId"]
        s = b.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        b.send("Page.enable", s)
        b.send("Emulation.setDeviceMetricsOverride", s, width=1100, height=900,
               deviceScaleFactor=1, mobile=False)
        b.send("Emulation.setEmulatedMedia", s,
               features=[{"name": "prefers-color-scheme", "value": scheme}])
        for page in pages:
            b.send("Page.navigate", s, url=(site / page).as_uri())
            b.wait_for("Page.loadEventFired")
            info = json.loads(b.send("Runtime.evaluate", s, expression=FIGURES_JS,
                                     returnByValue=True)["result"]["value"])
            shot = b.send("Page.captureScreenshot", s, captureBeyondViewport=True,
                          clip={"x": 0, "y": 0, "width": 1100, "height": 1400, "scale": 1})
            (shots / f"{page[:-5]}-{scheme}.png").write_bytes(base64.b64decode(shot["data"]))
            for i, f in enumerate(info["figs"]):
                clip = {"x": f["x"], "y": f["y"], "width": f["w"], "height": f["h"],
                        "scale": min(1.0, 500 / max(f["w"], 1))}
                data = b.send("Page.captureScreenshot", s, clip=clip,
                              captureBeyondViewport=True)["data"]
                (shots / f"{page[:-5]}-{i}-{scheme}.png").write_bytes(base64.b64decode(data))
                f["light"], f["dark"] = json.loads(b.send(
                    "Runtime.evaluate", s, expression=PIXELS_JS % data, awaitPromise=True,
                    returnByValue=True)["result"]["value"])
            found[page] = info
    finally:
        b.close()
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_docs_figures_read_in_both_schemes(site, scheme, tmp_path):
    shots = tmp_path / "shots"
    shots.mkdir()
    found = inspect(site, scheme, shots, tmp_path / "profile")
    print(f"\nscreenshots: {shots}")
    counts = {page: len(info["figs"]) for page, info in found.items()}
    assert counts == {"index.html": 1, "tutorial.html": 1, "embedding.html": 1,
                      "gallery.html": 12}
    check(found, scheme)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_committed_gallery_reads_in_both_schemes(scheme, tmp_path):
    """renders/index.html, the same checks (its own page colours, not furo's)."""
    shots = tmp_path / "shots"
    shots.mkdir()
    found = inspect(REPO / "renders", scheme, shots, tmp_path / "profile", ["index.html"])
    assert len(found["index.html"]["figs"]) == 12
    check(found, scheme)


def check(found: dict[str, dict], scheme: str) -> None:
    for page, info in found.items():
        assert info["repeated"] == [], (page, info["repeated"])
        dark_page = info["page"] < 0.2
        assert dark_page == (scheme == "dark"), page  # furo follows the scheme
        for f in info["figs"]:
            where = (page, scheme, f["id"])
            assert f["w"] > 150 and f["h"] > 100, where  # visible
            assert f["w"] <= 1100, where  # never wider than the window
            assert f["titles"] > 5, where  # the figure's title and its tooltips
            assert f["underlined"] == 0, where
            if scheme == "dark":
                assert f["textMin"] > 0.45, where  # every label light
                assert f["fillMax"] < 0.2, where  # no white box: every node, cluster and background fill dark
                assert f["light"] < 0.03 and f["dark"] > 0.5, (where, f["light"], f["dark"])
            else:
                assert f["textMax"] < 0.1, where  # every label dark
                assert f["fillMin"] > 0.2, where  # node and cluster fills stay light
                assert f["dark"] < 0.1 and f["light"] > 0.6, (where, f["light"], f["dark"])
