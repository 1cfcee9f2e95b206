"""Query results as tables: HTML for notebooks, records, and pandas DataFrames.

``table(result)`` accepts what the query verbs return (shared nodes, a comparison,
net effects, paths, a knockout, experiment outcomes) and gives a :class:`Table`: it
displays as an HTML table in Jupyter (``_repr_html_``), as text elsewhere, and
converts with :meth:`Table.records` (a list of dicts) or :meth:`Table.to_pandas`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..analysis.experiments import ExperimentOutcome
from ..analysis.knockout import Knockout
from ..analysis.net import Influence, Path
from ..analysis.shared import Comparison, SharedNode
from ..errors import MechgraphError


def _path_text(p: Path | None) -> str | None:
    if p is None:
        return None
    return " ".join([p.start] + [f"{'->' if h.sign > 0 else '-|' if h.sign < 0 else '~>'} {h.target}"
                                 for h in p.hops])


def _shared(row: SharedNode, part: str | None = None) -> dict[str, Any]:
    rec: dict[str, Any] = {"part": part} if part else {}
    rec.update(node=row.key, concordant=row.concordant)
    for r in row.reach:
        rec[r.source.name] = r.effect
    return rec


def _influence(i: Influence) -> dict[str, Any]:
    return {"node": i.node, "effect": i.effect,
            "signs": "".join(sorted({1: "+", -1: "-", 0: "?"}[s] for s in i.signs)),
            "path": _path_text(i.path)}


def records(result: Any) -> list[dict[str, Any]]:
    """One dict per row of a query result (see the module for what is accepted)."""
    if isinstance(result, Comparison):
        return ([_shared(r, "shared") for r in result.shared]
                + [_shared(r, f"only {result.a}") for r in result.only_a]
                + [_shared(r, f"only {result.b}") for r in result.only_b])
    if isinstance(result, Knockout):
        return [{"node": r.node, "status": r.status, "before": r.before.effect,
                 "after": r.after.effect if r.after else None} for r in result.rows]
    if isinstance(result, Mapping):
        return [_influence(i) for i in result.values() if isinstance(i, Influence)]
    rows = list(result) if isinstance(result, Iterable) else [result]
    out = []
    for row in rows:
        if isinstance(row, SharedNode):
            out.append(_shared(row))
        elif isinstance(row, Influence):
            out.append(_influence(row))
        elif isinstance(row, Path):
            out.append({"path": _path_text(row), "sign": {1: "+", -1: "-", 0: "?"}[row.sign],
                        "hops": len(row.hops)})
        elif isinstance(row, ExperimentOutcome):
            out.append({"experiment": row.experiment.id, "status": row.status,
                        "before": row.before, "observed": row.observed})
        else:
            raise MechgraphError(f"cannot show a {type(row).__name__} as a table")
    return out


@dataclass(frozen=True)
class Table:
    """Rows of a query result, shown as an HTML table in notebooks."""

    rows: tuple[dict[str, Any], ...]

    @property
    def columns(self) -> list[str]:
        return list(dict.fromkeys(k for r in self.rows for k in r))

    def records(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.rows]

    def to_pandas(self):
        """A ``pandas.DataFrame`` (pandas is the ``notebook`` extra)."""
        try:
            import pandas
        except ImportError as e:
            raise MechgraphError("to_pandas needs pandas: pip install 'mechgraph[notebook]'") from e
        return pandas.DataFrame(self.records(), columns=self.columns)

    def _repr_html_(self) -> str:
        cols = self.columns
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "\n".join("<tr>" + "".join(f"<td>{_cell(r.get(c))}</td>" for c in cols) + "</tr>"
                         for r in self.rows)
        return (f'<table class="mg-table">\n<thead><tr>{head}</tr></thead>\n'
                f"<tbody>\n{body}\n</tbody>\n</table>")

    def __str__(self) -> str:
        cols = self.columns
        cells = [cols] + [[_text(r.get(c)) for c in cols] for r in self.rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(cols))]
        return "\n".join("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip()
                         for row in cells)


def _text(v: Any) -> str:
    return "" if v is None else ("yes" if v is True else "no" if v is False else str(v))


def _cell(v: Any) -> str:
    return html.escape(_text(v))


def table(result: Any) -> Table:
    """A query result as a :class:`Table` (HTML in Jupyter, records, pandas)."""
    return Table(tuple(records(result)))
