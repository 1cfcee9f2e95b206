"""The gallery page: every rendered figure of a project, inline, with its links.

Each figure is inline SVG (its tooltips and citation links work, its colours follow
the reader's light or dark setting), listed in a table of contents, and linked to
each of its files. Title and caption are drawn in the figure itself, so the page does
not repeat them: under each figure go only its id, its files and its pathways.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Project
from .render import DEFAULT_OUT, NAME, write_atomic
from .svg import xml_text
from .theme import embed

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>mechgraph figures</title>
<style>
:root {{ --page: #ffffff; --text: #222222; --muted: #666666; --rule: #dddddd; --link: #1f5fa8; }}
@media (prefers-color-scheme: dark) {{
  :root {{ --page: #131416; --text: #dddddd; --muted: #a0a0a0; --rule: #3a3a3a; --link: #8ab4f8; }}
}}
body {{ font-family: "DejaVu Sans", sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; background: var(--page); color: var(--text); line-height: 1.45; }}
a {{ color: var(--link); }}
nav ol {{ columns: 2 20rem; }}
figure {{ margin: 0 0 3rem; border-top: 1px solid var(--rule); padding-top: 1rem; }}
figure svg {{ display: block; margin: 0 auto 0.8rem; }}
figcaption {{ color: var(--muted); font-size: 0.9em; }}
</style>
</head>
<body>
<h1>Figures</h1>
<nav aria-label="Contents"><ol>
{toc}
</ol></nav>
{figures}
</body>
</html>
"""


def index_html(project: Project, out_dir: Path | str = DEFAULT_OUT) -> str:
    """A static page showing every figure rendered in ``out_dir``, inline, with its links."""
    out_dir = Path(out_dir)
    toc, blocks = [], []
    for fig in sorted(project.figures.values(), key=lambda f: f.id):
        svg_file = out_dir / f"{fig.id}.svg"
        if not NAME.fullmatch(fig.id) or not svg_file.exists():
            continue
        anchor = f"fig-{fig.id}"
        toc.append(f'<li><a href="#{anchor}">{xml_text(fig.title)}</a></li>')
        files = [f'<a href="{fig.id}.{ext}">{ext.upper()}</a>' for ext in ("svg", "png", "pdf", "dot")
                 if (out_dir / f"{fig.id}.{ext}").exists()]
        meta = [f"id <code>{xml_text(fig.id)}</code>", " · ".join(files)]
        if fig.fills:
            src = project.sources.get(fig.fills.source)
            of = f" ({xml_text(src.title)})" if src and src.title else ""
            meta.append(f"fills the missing figure at {xml_text(str(fig.fills))}{of}")
        meta.append("pathways: " + ", ".join(xml_text(p) for p in fig.pathways))
        svg = embed(svg_file.read_text("utf-8"), fig.id)
        blocks.append(f'<figure id="{anchor}">\n{svg}'
                      f'<figcaption>{"; ".join(meta)}</figcaption>\n</figure>')
    return _PAGE.format(toc="\n".join(toc), figures="\n".join(blocks))


def write_index(project: Project, out_dir: Path | str = DEFAULT_OUT) -> Path:
    """Write ``out_dir/index.html`` (see :func:`index_html`) and return its path."""
    path = Path(out_dir) / "index.html"
    write_atomic(path, index_html(project, out_dir).encode("utf-8"))
    return path
