"""Interchange formats, one module per format: ``to_<fmt>`` and ``from_<fmt>``."""
