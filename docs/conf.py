"""Sphinx configuration of mechgraph's documentation (`make docs` builds it)."""

project = "mechgraph"
author = "mechgraph contributors"
copyright = "mechgraph contributors"

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon", "mechgraph.sphinx"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header", "misc.highlighting_failure"]  # included README sections start below the page's level

html_theme = "furo"
html_title = "mechgraph"
html_static_path: list[str] = []

mechgraph_pathways = ["../pathways"]
mechgraph_cache = "_build/mechgraph"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
