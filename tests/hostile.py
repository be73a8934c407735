"""A small review whose document-controlled text is hostile Markdown and HTML, for app tests.

Written for these tests (not taken from any paper). ``url`` is where a rendered image would
fetch from: the browser test passes a canary server that must receive no request.
"""

from __future__ import annotations

from pathlib import Path

#: The id of the document (from its file name) and of its one cited study.
DOC_ID = "hostile-review"


def hostile_review(url: str) -> str:
    """A review with an image-Markdown reference author, a scripted title and evidence."""
    return (
        f"Thin films on lithium anodes <script>window.pwned=1</script> ![title]({url}/title)\n\n"
        "1. Introduction\n\n"
        "In the work of Smith et al. [7], an Al2O3 film of 3 nm grown by ALD at 150 °C kept a "
        "Li metal anode cycling for 800 h in symmetric cells. "
        f'<img src="{url}/evidence" onerror="window.pwned=2"> [link]({url}/link)\n\n'
        "References\n\n"
        f"[7] ![t]({url}/author), B. Jones, J. Power Sources 2019, 41, 100.\n"
    )


def write_hostile_store(location: Path, url: str) -> Path:
    """Build the hostile review and write it (with the ontology) to an on-disk store."""
    import gc

    from kg.pipeline import build_files
    from kg.store import doc_graph_iri, open_store
    from kg.vocab import ontology_graph

    source = location.parent / f"{DOC_ID}.txt"
    source.write_text(hostile_review(url), encoding="utf-8")
    store = open_store(location)
    store.ensure_ontology(ontology_graph())
    triples = []
    for doc in build_files([source]):
        triples.append(doc.load_ntriples())
        store.replace_graph(doc_graph_iri(doc.doc_id), triples[-1])
    (location.parent / "hostile.nt").write_text("".join(triples), encoding="utf-8")
    del store
    gc.collect()  # release Oxigraph's lock for the app's process
    return location


def labelled(location: Path, start: str) -> str:
    """The IRI of the node whose rdfs:label starts with ``start`` in the hostile store at
    ``location`` (IRIs of studies and coatings are derived by the graph, so they are looked up,
    not spelled)."""
    for line in (location.parent / "hostile.nt").read_text(encoding="utf-8").splitlines():
        subject, predicate, rest = line.split(" ", 2)
        if predicate.endswith("rdf-schema#label>") and rest.startswith(f'"{start}'):
            return subject.strip("<>")
    raise AssertionError(f"no node labelled {start!r}…")
