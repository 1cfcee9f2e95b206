"""Compact identifiers (CURIEs): the prefixes we know, their syntax and their resolvers.

Links in rendered figures are built only from CURIEs that pass :func:`check_curie`,
and only to the ``https`` resolvers named here.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import quote


class Prefix(NamedTuple):
    regex: str  # the local id's syntax
    example: str
    url: str  # format string with {id}

    @property
    def pattern(self) -> re.Pattern[str]:
        """``regex`` compiled, on first use (``re`` keeps it): compiling every prefix's at
        import would cost each cold command about a millisecond."""
        return re.compile(self.regex)


def _p(regex: str, example: str, url: str) -> Prefix:
    return Prefix(regex, example, url)


_IDORG = "https://identifiers.org/{prefix}:{id}"

PREFIXES: dict[str, Prefix] = {
    "doi": _p(r"10\.\d{4,9}/[^\s]+", "doi:10.7759/cureus.83244", "https://doi.org/{id}"),
    "pmid": _p(r"[1-9]\d{0,8}", "pmid:40624295", "https://pubmed.ncbi.nlm.nih.gov/{id}/"),
    "pmc": _p(r"PMC\d+", "pmc:PMC1234567", "https://identifiers.org/pmc:{id}"),
    "nct": _p(r"NCT\d{8}", "nct:NCT01234567", "https://identifiers.org/clinicaltrials:{id}"),
    "hgnc": _p(r"[1-9]\d{0,5}", "hgnc:1033", "https://identifiers.org/hgnc:{id}"),
    "chebi": _p(r"[1-9]\d{0,6}", "chebi:6121", "https://identifiers.org/CHEBI:{id}"),
    "go": _p(r"\d{7}", "go:0007399", "https://identifiers.org/GO:{id}"),
    "uberon": _p(r"\d{7}", "uberon:0000955", "https://identifiers.org/UBERON:{id}"),
    "cl": _p(r"\d{7}", "cl:0000540", "https://identifiers.org/CL:{id}"),
    "uniprot": _p(r"[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9](?:[A-Z][A-Z0-9]{2}[0-9]){1,2}",
                  "uniprot:P23560", "https://identifiers.org/uniprot:{id}"),
    "ncbigene": _p(r"[1-9]\d{0,9}", "ncbigene:627", "https://identifiers.org/ncbigene:{id}"),
    "mesh": _p(r"[A-Z]\d{6,9}", "mesh:D011619", "https://identifiers.org/mesh:{id}"),
    "pubchem.compound": _p(r"[1-9]\d{0,9}", "pubchem.compound:3821",
                           "https://identifiers.org/pubchem.compound:{id}"),
    "drugbank": _p(r"DB\d{5}", "drugbank:DB01221", "https://identifiers.org/drugbank:{id}"),
    # as pathway databases and interaction tables give them (mechgraph import, crosscheck)
    "ensembl": _p(r"ENS[A-Z]*[FGPRT]\d{11}(?:\.\d+)?", "ensembl:ENSG00000176697",
                  "https://identifiers.org/ensembl:{id}"),
    "hgnc.symbol": _p(r"[A-Za-z0-9][A-Za-z0-9@._-]{0,39}", "hgnc.symbol:BDNF",
                      "https://identifiers.org/hgnc.symbol:{id}"),
    "hmdb": _p(r"HMDB\d{5,7}", "hmdb:HMDB0000148", "https://identifiers.org/hmdb:{id}"),
    "kegg.compound": _p(r"C\d{5}", "kegg.compound:C00025",
                        "https://identifiers.org/kegg.compound:{id}"),
    "chemspider": _p(r"\d+", "chemspider:2424", "https://identifiers.org/chemspider:{id}"),
    "wikidata": _p(r"[QP]\d+", "wikidata:Q412345", "https://identifiers.org/wikidata:{id}"),
    "eccode": _p(r"\d+(?:\.(?:\d+|-|n\d+)){0,3}", "eccode:2.7.11.1",
                 "https://identifiers.org/eccode:{id}"),
    "wikipathways": _p(r"WP\d+(?:_r\d+)?", "wikipathways:WP3676",
                       "https://identifiers.org/wikipathways:{id}"),
    "reactome": _p(r"R-[A-Z]{3}-\d+(?:-\d+)?", "reactome:R-HSA-187037",
                   "https://identifiers.org/reactome:{id}"),
    "eco": _p(r"\d{7}", "eco:0000314", "https://identifiers.org/ECO:{id}"),
    "ro": _p(r"\d{7}", "ro:0002629", "https://identifiers.org/RO:{id}"),
}

_CURIE = re.compile(r"([A-Za-z][A-Za-z0-9.]*):(\S+)")


def check_curie(text: str) -> tuple[str | None, str | None]:
    """``(normalised CURIE, None)`` or ``(None, what is wrong)``.

    The prefix is case-insensitive and normalised to lower case.

    >>> check_curie("HGNC:1033")
    ('hgnc:1033', None)
    >>> check_curie("hgnc:BDNF")[1]
    "malformed CURIE 'hgnc:BDNF': the local id does not fit hgnc (example: hgnc:1033)"
    """
    m = _CURIE.fullmatch(text.strip())
    if not m:
        return None, (f"malformed CURIE {text!r}: expected prefix:id "
                      f"(for example doi:10.7759/cureus.83244 or hgnc:1033)")
    prefix, local = m.group(1).lower(), m.group(2)
    spec = PREFIXES.get(prefix)
    if spec is None:
        import difflib

        near = difflib.get_close_matches(prefix, PREFIXES, n=1)
        hint = f"did you mean '{near[0]}'?; " if near else ""
        return None, (f"unknown CURIE prefix {prefix!r} in {text!r} "
                      f"({hint}known: {', '.join(sorted(PREFIXES))})")
    if prefix in ("go", "uberon", "cl", "chebi", "eco", "ro") and local.upper().startswith(prefix.upper() + ":"):
        local = local.split(":", 1)[1]  # go:GO:0007399 -> go:0007399
    if not spec.pattern.fullmatch(local):
        return None, (f"malformed CURIE {text!r}: the local id does not fit {prefix} "
                      f"(example: {spec.example})")
    return f"{prefix}:{local}", None


def curie_url(curie: str) -> str:
    """The https resolver URL of a checked CURIE.

    >>> curie_url("doi:10.7759/cureus.83244")
    'https://doi.org/10.7759/cureus.83244'
    """
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix].url.format(prefix=prefix, id=quote(local, safe="/.-_()"))
