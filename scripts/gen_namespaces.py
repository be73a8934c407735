"""Regenerate kg/namespaces.py from ontology/akg.ttl (run after adding a class or property)."""

from pathlib import Path

import rdflib

ROOT = Path(__file__).resolve().parent.parent
AKG = "https://w3id.org/ald-kg/ontology#"

HEADER = '''"""Ontology terms as constants that reject typos (generated from ontology/akg.ttl).

``AKG.hasPrecursr`` raises AttributeError instead of minting a new predicate; a test checks
that this list and ``ontology/akg.ttl`` agree. Regenerate with ``python scripts/gen_namespaces.py``.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/ald-kg/"
VOCAB = Namespace(BASE + "vocab/")
ID = Namespace(BASE + "id/")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")


class AKG(DefinedNamespace):
    """The project ontology (ontology/akg.ttl)."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

'''


def terms() -> list[str]:
    g = rdflib.Graph().parse(ROOT / "ontology" / "akg.ttl")
    return sorted({str(s)[len(AKG) :] for s in g.subjects() if str(s).startswith(AKG)})


def main() -> None:
    body = "".join(f"    {name}: URIRef\n" for name in terms())
    (ROOT / "kg" / "namespaces.py").write_text(HEADER + body)


if __name__ == "__main__":
    main()
