"""A Sphinx extension: the ``mechgraph`` directive embeds a figure as inline SVG.

In ``conf.py``::

    extensions = ["mechgraph.sphinx"]      # with "myst_parser" for Markdown pages
    mechgraph_pathways = ["../pathways"]   # relative to conf.py; default: ["pathways"]
    mechgraph_cache = "_build/mechgraph"   # renders kept between builds (default shown)

In a page (reStructuredText; in MyST Markdown the same inside a ```{mechgraph} fence)::

    .. mechgraph:: ketamine-cascade            a figure id, or a pathway id
    .. mechgraph:: shared ketamine psilocybin  what two or more sources share
    .. mechgraph:: compare ketamine psilocybin what two drugs share (drawn as shared)
       :caption: Text shown under the figure (the figure already draws its own title).
       :alt: Text a screen reader says instead of the figure's title and caption.
       :width: 40rem                        (a CSS length: the most the figure may take)
       :theme: auto | light | dark          (auto follows the reader's colour scheme)
       :background: transparent | solid
       :prefix: ids-prefix                  (default: the figure id; a repeat gets -2, -3)
       :path: tutorial                      (pathway files or folders instead of the default)

Figures are laid out at build time into the cache with the same stamps as
``mechgraph render`` (a figure whose DOT is unchanged is not laid out again). A problem
is a Sphinx warning at the directive's file and line; the page is built without it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive, directives

from .drawing import theme as T
from .errors import MechgraphError

__all__ = ["setup", "MechgraphDirective"]

_FURO = ('.mg-dark .mg-fig,', '.mg-dark .mg-fig,body[data-theme="dark"] .mg-fig,',
         '.mg-light .mg-fig,', '.mg-light .mg-fig,body[data-theme="light"] .mg-fig,')
_projects: dict[tuple, Any] = {}


def _choice(values: tuple[str, ...]):
    return lambda arg: directives.choice(arg, values)


def _length(arg: str) -> str:
    if not re.fullmatch(r"\d+(\.\d+)?(px|pt|em|rem|%|vw|cm|mm|in)", (arg or "").strip()):
        raise ValueError(f"{arg!r} is not a CSS length such as 40rem, 600px or 80%")
    return arg.strip()


class MechgraphDirective(Directive):
    """``.. mechgraph:: NAME`` or ``.. mechgraph:: shared|compare SOURCE SOURCE ...``."""

    required_arguments = 1
    optional_arguments = 20
    has_content = False
    option_spec = {
        "caption": directives.unchanged,
        "alt": directives.unchanged,
        "width": _length,
        "theme": _choice(T.THEMES),
        "background": _choice(T.BACKGROUNDS),
        "prefix": directives.unchanged_required,
        "path": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        try:
            svg, fig_id = figure_svg(env.app, self.arguments, self._paths())
            html_text = self._html(svg, fig_id)
        except MechgraphError as e:
            from sphinx.util import logging

            logging.getLogger(__name__).warning(
                "mechgraph: %s", "; ".join(f"{d.path}:{d.line}: {d.message}" if d.path
                                           else d.message for d in e.diagnostics),
                location=(env.docname, self.lineno))
            return []
        for path in _project_files(env.app, self._paths()):
            env.note_dependency(str(path))
        figure = nodes.figure(classes=["mg-figure"])
        figure += nodes.raw("", html_text, format="html")
        if self.options.get("caption"):
            parsed, _ = self.state.inline_text(self.options["caption"], self.lineno)
            figure += nodes.caption("", "", *parsed)
        return [figure]

    def _paths(self) -> list[str] | None:
        return self.options["path"].split() if "path" in self.options else None

    def _html(self, svg: str, fig_id: str) -> str:
        document = self.state.document
        seen: dict[str, int] = document.__dict__.setdefault("_mechgraph_prefixes", {})
        prefix = self.options.get("prefix") or T.svg_prefix(fig_id)
        seen[prefix] = seen.get(prefix, 0) + 1
        if seen[prefix] > 1:
            prefix = f"{prefix}-{seen[prefix]}"
        out = T.embed(svg, fig_id, prefix=prefix, theme=self.options.get("theme", "auto"),
                      background=self.options.get("background", "transparent"))
        for old, new in zip(_FURO[::2], _FURO[1::2]):
            out = out.replace(old, new, 1)
        if "alt" in self.options:
            out = re.sub(r'aria-labelledby="[^"]*"',
                         f'aria-label="{html.escape(self.options["alt"], quote=True)}"', out,
                         count=1)
        width = self.options.get("width")
        style = f' style="max-width:{width}"' if width else ""
        return f'<div class="mg-embed"{style}>\n{out}</div>\n'


class GalleryDirective(Directive):
    """``.. mechgraph-gallery::``: every figure of the project, each under its title."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        try:
            project = _project(env.app)
        except MechgraphError as e:
            from sphinx.util import logging

            logging.getLogger(__name__).warning("mechgraph: %s", e, location=(env.docname,
                                                                                self.lineno))
            return []
        out: list[nodes.Node] = []
        for fid in sorted(project.figures):
            fig = project.figures[fid]
            section = nodes.section(ids=[f"gallery-{fid}"], names=[f"gallery-{fid}"])
            section += nodes.title(text=fig.title)
            inner = MechgraphDirective("mechgraph", [fid], {}, [], self.lineno,
                                       self.content_offset, "", self.state, self.state_machine)
            section += inner.run()
            section += nodes.paragraph(text=f"Figure id: {fid}; pathways: "
                                            f"{', '.join(fig.pathways)}.")
            out.append(section)
        return out


def _config_paths(app, paths: list[str] | None = None) -> list[Path]:
    confdir = Path(app.confdir)
    return [confdir / p for p in (paths or app.config.mechgraph_pathways)]


def _project_files(app, paths: list[str] | None = None) -> list[Path]:
    files = []
    for p in _config_paths(app, paths):
        files += sorted(p.rglob("*.yaml")) if p.is_dir() else [p]
    return files


def _project(app, paths: list[str] | None = None):
    from .language.load import load_project

    key = tuple((str(p), p.stat().st_mtime_ns) for p in _project_files(app, paths)
                if p.exists())
    if key not in _projects:
        if len(_projects) > 8:
            _projects.clear()
        _projects[key] = load_project(*_config_paths(app, paths))
    return _projects[key]


def _cache(app) -> Path:
    path = Path(app.confdir) / app.config.mechgraph_cache
    path.mkdir(parents=True, exist_ok=True)
    return path


def figure_svg(app, arguments: list[str],
               paths: list[str] | None = None) -> tuple[str, str]:
    """The SVG text of what a directive names, from the render cache, and its figure id."""
    from .drawing import render as R

    project = _project(app, paths)
    cache = _cache(app)
    if arguments[0] in ("shared", "compare") and len(arguments) > 1:
        return _view_svg(project, arguments[0], arguments[1:], cache)
    if len(arguments) != 1:
        raise MechgraphError(f"expected one figure or pathway id, or 'shared'/'compare' and "
                             f"sources; got {' '.join(arguments)!r}")
    (done,) = R.render_figures(project, arguments, formats=["svg"], out_dir=cache)
    return (cache / f"{done.name}.svg").read_text("utf-8"), done.name


def _view_svg(project, verb: str, sources: list[str], cache: Path) -> tuple[str, str]:
    """A shared/compare view: drawn like ``shared --render``, cached under its own name."""
    from dataclasses import replace

    from .analysis.query import resolve_sources, shared_nodes
    from .cli.query import shared_keys
    from .cli.report import shared_figure
    from .drawing import render as R
    from .drawing.dot import to_dot
    from .graph import build_graph

    if verb == "compare" and len(sources) != 2:
        raise MechgraphError(f"compare takes two drugs; got {len(sources)}")
    g = build_graph(project)
    srcs = resolve_sources(g, sources)
    if len(srcs) < 2:
        raise MechgraphError(f"{verb} needs two or more sources; {' '.join(sources)!r} "
                             f"names {len(srcs)}")
    rows = shared_nodes(g, srcs)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join([verb, *sources]))[:120]
    fig = replace(shared_figure(srcs, rows), id=name)
    if not fig.pathways:
        raise MechgraphError(f"nothing to draw: {', '.join(sources)} share no node")
    dot_text = to_dot(project, fig, highlight=shared_keys(g, rows, by="entity"))
    stamp, out = R.output_path(cache, name, "dot"), R.output_path(cache, name, "svg")
    if not (out.exists() and stamp.exists() and stamp.read_text("utf-8") == dot_text):
        R.write_atomic(out, R.to_files(fig, dot_text, ["svg"])["svg"])
        R.write_atomic(stamp, dot_text.encode("utf-8"))
    return out.read_text("utf-8"), name


_CSS = """.mg-embed { margin: 0 auto; }
.mg-embed svg.mg-fig { display: block; margin: 0 auto; }
figure.mg-figure { margin: 1.5rem 0; }
"""


def _add_css(app, pagename, templatename, context, doctree) -> None:
    if doctree is not None and any(isinstance(n, nodes.figure) and "mg-figure" in n["classes"]
                                   for n in doctree.findall(nodes.figure)):
        context.setdefault("metatags", "")
        context["metatags"] += f"\n<style>\n{_CSS}</style>"


def setup(app) -> dict[str, Any]:
    from importlib import import_module

    __version__ = import_module("mechgraph").__version__
    app.add_config_value("mechgraph_pathways", ["pathways"], "env")
    app.add_config_value("mechgraph_cache", "_build/mechgraph", "env")
    app.add_directive("mechgraph", MechgraphDirective)
    app.add_directive("mechgraph-gallery", GalleryDirective)
    app.connect("html-page-context", _add_css)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
