"""The gallery page: every rendered figure of a project with its caption."""

from __future__ import annotations

from pathlib import Path

from ..model import Project
from .render import DEFAULT_OUT, NAME, write_atomic
from .svg import xml_text

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mechgraph figures</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }}
figure {{ margin: 0 0 3rem; border-top: 1px solid #ddd; padding-top: 1rem; }}
figure img {{ display: block; max-width: 100%; height: auto; margin: 0 auto 0.8rem; }}
figcaption {{ max-width: 50rem; }}
.meta {{ color: #666; font-size: 0.9em; }}
</style>
</head>
<body>
<h1>Figures</h1>
{figures}
</body>
</html>
"""


def index_html(project: Project, out_dir: Path | str = DEFAULT_OUT) -> str:
    """A static page showing every figure rendered in ``out_dir`` with its caption."""
    out_dir = Path(out_dir)
    blocks = []
    for fig in project.figures.values():
        image = next((f"{fig.id}.{ext}" for ext in ("svg", "png")
                      if NAME.fullmatch(fig.id) and (out_dir / f"{fig.id}.{ext}").exists()), None)
        if image is None:
            continue
        meta = [f"id <code>{xml_text(fig.id)}</code>"]
        if fig.fills:
            src = project.sources.get(fig.fills.source)
            of = f" ({xml_text(src.title)})" if src and src.title else ""
            meta.append(f"fills the missing figure at {xml_text(str(fig.fills))}{of}")
        meta.append("pathways: " + ", ".join(xml_text(p) for p in fig.pathways))
        blocks.append(
            f'<figure id="{fig.id}">\n<img src="{image}" alt="{xml_text(fig.title)}">\n'
            f"<figcaption><strong>{xml_text(fig.title)}.</strong> "
            f"{xml_text(' '.join((fig.caption or '').split()))}\n"
            f'<div class="meta">{"; ".join(meta)}</div></figcaption>\n</figure>')
    return _PAGE.format(figures="\n".join(blocks))


def write_index(project: Project, out_dir: Path | str = DEFAULT_OUT) -> Path:
    """Write ``out_dir/index.html`` (see :func:`index_html`) and return its path."""
    path = Path(out_dir) / "index.html"
    write_atomic(path, index_html(project, out_dir).encode("utf-8"))
    return path
