"""Spreadsheet-safe cells for the CSV and TSV we write.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is
a formula to Excel, LibreOffice and Google Sheets; prefixing ``'`` makes it inert text.
Plain numbers (``-1``, ``+0.5``) and a lone sign are left alone: they compute nothing.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]")


def inert(cell: object) -> str:
    """``'=1+1'`` -> ``"'=1+1"``; ``'-1'`` and ``'BDNF'`` unchanged.

    >>> [inert(c) for c in ("=HYPERLINK(x)", "@SUM(A1)", "-1", "+", "BDNF", "-|")]
    ["'=HYPERLINK(x)", "'@SUM(A1)", '-1', '+', 'BDNF', "'-|"]
    """
    text = "" if cell is None else str(cell)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
