"""`kg table coatings` records read from a real (in-memory) Oxigraph store."""

from __future__ import annotations

from ingest.extract import extract
from ingest.normalize import normalize
from ingest.resolve import resolve
from ingest.structure import structure
from kg.build import build_triples, ntriples
from kg.namespaces import VOCAB
from kg.store import OxigraphStore, doc_graph_iri
from kg.table import coatings_table

#: A primary abstract, in our own words, that never says what its ALD film is made of.
UNNAMED = (
    "A thin protective skin for lithium\n\nAbstract\n\n"
    "Here we protect lithium foil with an ultrathin coating grown by atomic layer deposition. "
    "Symmetric cells of the coated lithium cycled for 600 h at 1 mA cm-2.\n"
)


def test_a_film_of_unnamed_material_has_no_material_in_its_record() -> None:
    store = OxigraphStore(None)
    doc = structure(normalize(UNNAMED), doc_id="skin", path="skin.txt")
    triples = build_triples(resolve(extract(doc)))
    assert any(o == VOCAB.UnnamedFilm for _, _, o in triples)  # the graph keeps the concept
    store.replace_graph(doc_graph_iri("skin"), ntriples(triples))
    (record,) = coatings_table(store)
    assert record["material"] is None
    assert record["substrate"] == str(VOCAB.Li)  # no ontology graph here: labels are IRIs
