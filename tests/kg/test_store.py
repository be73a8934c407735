"""kg/store.py: one named graph per document, replaced atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.store import OxigraphStore, StoreError, doc_graph_iri, open_store

A = '<https://example.org/a> <https://example.org/p> "one" .\n'
B = '<https://example.org/b> <https://example.org/p> "two" .\n'

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def store(tmp_path: Path) -> OxigraphStore:
    return open_store(tmp_path / "store")


def test_replace_document_replaces_only_its_graph(store: OxigraphStore) -> None:
    store.replace_graph(doc_graph_iri("one"), A)
    store.replace_graph(doc_graph_iri("two"), B)
    store.replace_graph(doc_graph_iri("one"), B)
    rows = list(store.select("SELECT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"))
    assert [r["s"] for r in rows] == ["https://example.org/b", "https://example.org/b"]
    assert store.documents() == ["one", "two"]


def test_a_failed_write_leaves_the_store_as_it_was(store: OxigraphStore) -> None:
    store.replace_graph(doc_graph_iri("one"), A)
    with pytest.raises(StoreError):
        store.replace_graph(doc_graph_iri("one"), B + "this is not N-Triples")
    assert [r["n"] for r in store.select(COUNT)] == [1]
    assert next(store.select("SELECT ?o WHERE { ?s ?p ?o }"))["o"] == "one"


def test_store_persists_on_disk(tmp_path: Path) -> None:
    first = open_store(tmp_path / "s")
    first.replace_graph(doc_graph_iri("one"), A)
    del first
    again = open_store(tmp_path / "s", read_only=True)
    assert again.documents() == ["one"]


def test_remove_graph(store: OxigraphStore) -> None:
    store.replace_graph(doc_graph_iri("one"), A)
    assert store.remove_graph(doc_graph_iri("one"))
    assert not store.remove_graph(doc_graph_iri("one"))
    assert store.is_empty()


def test_store_location_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from kg.store import store_location

    monkeypatch.setenv("KG_STORE", str(tmp_path / "env"))
    assert store_location() == tmp_path / "env"
    assert store_location(tmp_path / "flag") == tmp_path / "flag"


def test_in_memory_store_has_no_path() -> None:
    assert open_store(memory=True).description == "in-memory Oxigraph"


def test_ensure_ontology_loads_once_per_version(store: OxigraphStore) -> None:
    from kg.namespaces import ONTOLOGY_GRAPH

    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
    store.ensure_ontology()
    loaded = next(store.select(count))["n"]
    assert loaded > 1000
    store.replace_graph(str(ONTOLOGY_GRAPH), A + f"<{ONTOLOGY_GRAPH}> <x:y> <x:z> .\n")
    store.ensure_ontology()  # stale (no digest): reloaded
    assert next(store.select(count))["n"] == loaded


def test_a_batch_of_writes_is_there_after_the_batch(tmp_path: Path) -> None:
    """Inside ``batch()`` graphs are not flushed one by one; after it a query (a forked
    worker opens the folder read-only) and a later writer see every one of them."""
    store = open_store(tmp_path / "s")
    with store.batch():
        store.replace_graph(doc_graph_iri("one"), A)
        with store.batch():  # nested: the outer batch flushes
            store.replace_graph(doc_graph_iri("two"), B)
        store.replace_graph(doc_graph_iri("one"), B)
    result = store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", timeout_s=10)
    assert sorted(r["g"] for r in result.rows) == [doc_graph_iri("one"), doc_graph_iri("two")]
    store.close()
    reopened = open_store(tmp_path / "s")
    assert reopened.documents() == ["one", "two"]
    reopened.close()


def test_a_batch_writes_on_without_a_store_that_batches() -> None:
    memory = open_store(memory=True)
    with memory.batch():
        memory.replace_graph(doc_graph_iri("one"), A)
    assert memory.documents() == ["one"]


def test_a_graph_from_a_file_is_streamed_in(store: OxigraphStore, tmp_path: Path) -> None:
    path = tmp_path / "one.nt"
    path.write_text(A + B, encoding="utf-8")
    store.replace_graph_file(doc_graph_iri("one"), path)
    assert [r["n"] for r in store.select(COUNT)] == [2]
    path.write_text(B + "this is not N-Triples", encoding="utf-8")
    with pytest.raises(StoreError):
        store.replace_graph_file(doc_graph_iri("one"), path)
    assert [r["n"] for r in store.select(COUNT)] == [2]  # a bad file writes nothing


def test_a_large_graph_goes_through_the_bulk_loader_whole(
    store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.stores.oxigraph as oxigraph_store

    monkeypatch.setattr(oxigraph_store, "BULK_QUADS", 3)  # 10 quads: bulk, 3 at a time
    calls: list[int] = []
    bulk = store.raw.bulk_extend
    monkeypatch.setattr(type(store), "raw", property(lambda self: _Spy(self._store, bulk, calls)))
    text = "".join(
        f'<https://example.org/s{i}> <https://example.org/p> "{i}" .\n' for i in range(10)
    )
    store.replace_graph(doc_graph_iri("big"), A)
    store.replace_graph(doc_graph_iri("big"), text)  # replaces the earlier version
    assert calls == [3, 3, 3, 1]
    assert [r["n"] for r in store.select(COUNT)] == [10]


class _Spy:
    """The pyoxigraph store, with the bulk loader's calls counted."""

    def __init__(self, raw, bulk, calls: list[int]) -> None:  # type: ignore[no-untyped-def]
        self._raw, self._bulk, self._calls = raw, bulk, calls

    def bulk_extend(self, quads) -> None:  # type: ignore[no-untyped-def]
        self._calls.append(len(quads))
        self._bulk(quads)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._raw, name)


def test_a_batch_gathers_small_graphs_into_bulk_loads(
    store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.stores.oxigraph as oxigraph_store

    monkeypatch.setattr(oxigraph_store, "BULK_QUADS", 3)
    calls: list[int] = []
    bulk = store.raw.bulk_extend
    monkeypatch.setattr(type(store), "raw", property(lambda self: _Spy(self._store, bulk, calls)))
    with store.batch():
        store.replace_graph(doc_graph_iri("one"), A + B)  # 2 quads each
        store.replace_graph(doc_graph_iri("two"), A + B)  # 3 gathered: one bulk load
        store.remove_graph(doc_graph_iri("two"))  # what is gathered is written first
        store.replace_graph(doc_graph_iri("three"), A + B)
        store.replace_graph(doc_graph_iri("three"), A)  # the gathered version goes first
    assert calls == [3, 1, 2, 1]
    rows = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert {r["g"]: r["n"] for r in rows} == {doc_graph_iri("one"): 2, doc_graph_iri("three"): 1}
