"""Figures: style tables, legend, escaping, DOT, running Graphviz, SVG checks, gallery."""
