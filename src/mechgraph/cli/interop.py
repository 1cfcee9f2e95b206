"""Commands that exchange graphs with other tools: import, crosscheck."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import click

from .common import handle_errors, load, path_option

IMPORT_FORMATS = ["sbgn", "gpml", "bel", "cx2", "sif", "table"]


def _id_prefix_option(f):  # type: ignore[no-untyped-def]
    return click.option("--id-prefix", default=None, metavar="PREFIX",
                        help="CURIE prefix of a table's bare node names (for gene symbols: "
                             "hgnc.symbol).")(f)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Pathway file to write (its name is the pathway id). Default: print it.")
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS), default=None,
              help="The file's format (default: from its name, else its first bytes).")
@click.option("--catalog", "-p", "--path", "catalog", multiple=True,
              type=click.Path(path_type=Path),
              help="Pathway files or folders whose entities imported nodes are matched to "
                   "(by CURIE, then by name). Default: the folder of --out.")
@_id_prefix_option
@click.option("--force", is_flag=True,
              help="Replace --out even if it is not a file an earlier import wrote.")
@handle_errors
def import_(file: Path, out: Path | None, fmt: str | None, catalog: tuple[Path, ...],
            id_prefix: str | None, force: bool) -> None:
    """Read FILE (SBGN-ML Activity Flow, GPML, BEL, CX2, SIF, TSV/CSV) into pathway YAML.

    Prints what could not be expressed, with counts, on stderr. The written file is
    checked against the catalog before it replaces anything.
    """
    from ..errors import MechgraphError
    from ..formats.registry import import_file
    from ..formats.source import pathway_id
    from ..language.fields import ID_PATTERN
    from ..language.load import load_project

    pid = None
    if out is not None:
        pid = out.stem
        if not ID_PATTERN.fullmatch(pid) or out.suffix not in (".yaml", ".yml"):
            raise MechgraphError(f"output {str(out)!r}: the file name is the pathway id, so it "
                                 f"must be letters, digits, '-', '_' and '.' ending in .yaml "
                                 f"(for example {pathway_id(file)}.yaml)")
        if out.exists() and not force and "\n# Imported from " not in out.read_text(
                "utf-8", errors="replace")[:4096]:
            raise MechgraphError("exists and was not written by 'mechgraph import'; choose "
                                 "another name, or add --force to replace it", path=str(out))
    imp = import_file(file, fmt, pathway=pid, id_prefix=id_prefix)
    files = _catalog_files(catalog, out)
    base = load_project(*files) if files else None
    text = imp.yaml(out=out, base=base)
    if out is None:
        click.echo(text, nl=False)
        click.echo(imp.summary(), err=True, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".import-") as tmp:
        trial = Path(tmp) / out.name
        trial.write_text(text, encoding="utf-8")
        try:
            load_project(*files, trial)
        except MechgraphError as e:  # ours to fix, not the user's: say so, write nothing
            raise MechgraphError(f"the imported pathway does not load beside the catalog; "
                                 f"nothing written:\n{e}", path=str(file)) from None
        os.replace(trial, out)
    click.echo(imp.summary(), err=True, nl=False)
    click.echo(f"wrote {out}")


def _catalog_files(catalog: tuple[Path, ...], out: Path | None) -> list[Path]:
    roots = list(catalog) or ([out.parent] if out is not None and out.parent.is_dir() else [])
    files: list[Path] = []
    for root in roots:
        found = sorted(root.rglob("*.y*ml")) if root.is_dir() else [root]
        files += [f for f in found if f.suffix in (".yaml", ".yml") and
                  not any(part.startswith(".import-") for part in f.parts) and
                  (out is None or f.resolve() != out.resolve())]
    return files


@click.command()
@click.argument("reference", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("pathways", nargs=-1)
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "csv"]),
              default="table", show_default=True, help="Output format.")
@click.option("--ref-format", type=click.Choice(IMPORT_FORMATS), default=None,
              help="The reference's format (default: from its name).")
@_id_prefix_option
@path_option
@handle_errors
def crosscheck(reference: Path, pathways: tuple[str, ...], fmt: str, ref_format: str | None,
               id_prefix: str | None, paths: tuple[Path, ...]) -> None:
    """Match our edges to a signed REFERENCE network by CURIE identity.

    Each of our edges (of PATHWAYS, default all) is supported, contradicted, unsigned,
    reversed or absent; reference edges between our entities that we lack are listed.
    """
    from ..errors import MechgraphError
    from ..formats.crosscheck import crosscheck as run
    from ..formats.registry import import_file

    project = load(paths)
    unknown = [p for p in pathways if p not in project.pathways]
    if unknown:
        from ..language.fields import near

        raise MechgraphError(f"unknown pathway {unknown[0]!r}{near(unknown[0], project.pathways)}"
                             f"; known: {', '.join(sorted(project.pathways))}")
    ref = import_file(reference, ref_format, id_prefix=id_prefix)
    result = run(project, ref, pathways or None)
    click.echo(_crosscheck_text(result, fmt), nl=False)


def _crosscheck_text(result, fmt: str) -> str:  # type: ignore[no-untyped-def]
    from ..formats.crosscheck import sign_text

    edges = [{"status": e.status, "source": e.source, "sign": sign_text(e.sign),
              "target": e.target, "pathways": list(e.pathways), "reference": list(e.reference),
              "why": e.why} for e in result.edges]
    missing = [{"source": m.source, "sign": sign_text(m.sign), "target": m.target,
                "reference": m.reference, "reverse_in_ours": m.reverse_in_ours}
               for m in result.missing]
    if fmt == "json":
        doc = {"query": "crosscheck", "schema_version": 1, "reference": result.reference,
               "counts": result.counts(), "edges": edges, "missing": missing,
               "unmatched_reference_nodes": result.unmatched_reference_nodes,
               "left_out": result.skipped}
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        from ..formats.cells import inert

        buf = io.StringIO()
        out = csv.writer(buf, lineterminator="\n")

        class _Inert:
            @staticmethod
            def writerow(row: list) -> None:
                out.writerow([inert(c) for c in row])

        w = _Inert()
        w.writerow(["kind", "status", "source", "sign", "target", "pathways", "reference", "why"])
        for e in edges:
            w.writerow(["ours", e["status"], e["source"], e["sign"], e["target"],
                        " ".join(e["pathways"]), "; ".join(e["reference"]), e["why"]])
        for m in missing:
            w.writerow(["missing", "missing", m["source"], m["sign"], m["target"], "",
                        m["reference"], "reverse is ours" if m["reverse_in_ours"] else ""])
        return buf.getvalue()
    from .columns import table

    counts = result.counts()
    head = (f"our edges against {result.reference}: "
            + ", ".join(f"{n} {s}" for s, n in counts.items()) + "\n\n")
    rows = [(e["status"], e["source"], e["sign"], e["target"],
             "; ".join(e["reference"]) or e["why"]) for e in edges]
    text = head + table(("status", "source", "sign", "target", "reference"), rows)
    if missing:
        text += "\nreference edges between our entities that we lack\n\n" + table(
            ("source", "sign", "target", "reference"),
            [(m["source"], m["sign"], m["target"],
              m["reference"] + (" (we have the reverse)" if m["reverse_in_ours"] else ""))
             for m in missing])
    if result.skipped:
        text += "\nleft out: " + ", ".join(f"{n} {w}" for w, n in sorted(result.skipped.items())) + "\n"
    return text


@click.command("export")
@click.argument("fmt", metavar="FORMAT",
                type=click.Choice(["sbgn", "cx2", "graphml", "bel", "sif", "tsv", "csv", "json"]))
@click.argument("names", nargs=-1)
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: print to stdout).")
@click.option("--drug", "drugs", multiple=True, help="Also every pathway of this drug (repeatable).")
@path_option
@handle_errors
def export(fmt: str, names: tuple[str, ...], out: Path | None, drugs: tuple[str, ...],
           paths: tuple[Path, ...]) -> None:
    """Write pathways (NAMES: pathway or figure ids; --drug; default every signalling
    pathway) as SBGN-ML, CX2, GraphML, BEL, SIF, TSV, CSV or node-link JSON.

    What a format cannot hold is left out and said on stderr.
    """
    from ..formats.export import export as run
    from ..formats.select import export_graph

    g = export_graph(load(paths), names, drugs=drugs)
    text, warnings = run(g, fmt)
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    if out is None:
        click.echo(text, nl=False)
        return
    _write(out, text)
    click.echo(f"wrote {out} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)", err=True)


def _write(out: Path, text: str) -> None:
    """Written beside the target, then renamed: a failure leaves the old file as it was."""
    from ..errors import MechgraphError

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=out.parent, delete=False,
                                         prefix=f".{out.name}.", newline="") as f:
            f.write(text)
        os.replace(f.name, out)
    except OSError as e:
        raise MechgraphError(f"cannot write: {e.strerror}", path=str(out)) from None


COMMANDS: list[click.Command] = [import_, export, crosscheck]
